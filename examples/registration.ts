/**
 * Registering a client and keeping its credentials in an E3DB credential file.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/registration.ts
 *
 * Set ARCA_CRYPTO_SUITE=NIST for P-384 keys. The profile is written under a temporary HOME, so
 * your own ~/.tozny is left alone.
 */
import { Client, Config } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const token = registrationToken();

// 1. Key pairs: encryption (X25519 or P-384) and signing (Ed25519 or ECDSA P-384).
const keys = await Client.generateKeypair();
const signingKeys = await Client.generateSigningKeypair();

// 2. Register. The reply holds the client id and API key pair; `config` bundles everything.
const registration = await Client.register(token, "example-app", keys, { apiUrl, signingKeys });
console.log(`registered ${registration.clientId} (${registration.suite})`);

// 3. Save it as a profile: ~/.tozny/<profile>/e3db.json, mode 0600, version "2".
const home = await Deno.makeTempDir({ prefix: "arca-example-" });
try {
  const path = await registration.config.write("example", { home });
  console.log(`saved credentials to ${path}`);

  // 4. Later: load the profile and use it.
  const client = new Client(await Config.load("example", { home }));
  const record = await client.write("greeting", { text: "hello" });
  console.log(`wrote record ${record.meta.recordId} as ${client.clientId}`);
} finally {
  await Deno.remove(home, { recursive: true });
}
