/**
 * Identity login: an administrator creates a realm and registers an identity; the user logs in
 * with a username and password and gets tokens and a ready storage client.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_ADMIN_TOKEN=... deno run -A examples/identity.ts
 */
import { createRealm, identityLogin, registerIdentity, UnauthorizedError } from "../mod.ts";
import { apiUrl } from "./_env.ts";

const adminToken = Deno.env.get("ARCA_ADMIN_TOKEN");
if (!adminToken) {
  console.error("Set ARCA_ADMIN_TOKEN (and ARCA_API_URL) to run this example.");
  Deno.exit(2);
}
const admin = { apiUrl, adminToken };
const realmName = `Example${crypto.randomUUID().slice(0, 8)}`;

// Administrator: a realm, and an identity in it. The password derives the identity's keys here;
// the server only ever sees public keys.
await createRealm(realmName, admin);
await registerIdentity({ ...admin, realmName, username: "alice", password: "correct horse" });
console.log(`registered alice in ${realmName}`);

// User: log in with the password, get tokens and a client.
const identity = await identityLogin("alice", "correct horse", realmName, "account", { apiUrl });
console.log(`logged in as ${identity.username}; client ${identity.client.clientId}`);
const record = await identity.client.write("diary", { entry: "dear diary" });
console.log(`diary: ${(await identity.client.read(record.meta.recordId)).data.entry}`);

// Tokens refresh before they expire (or on demand).
const before = identity.tokens.accessToken;
await identity.refresh();
console.log(`token refreshed: ${identity.tokens.accessToken !== before}`);

// A wrong password and an unknown user look the same.
for (const [user, password] of [["alice", "wrong"], ["mallory", "correct horse"]]) {
  try {
    await identityLogin(user!, password!, realmName, "account", { apiUrl });
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    console.log(`${user}: ${error.message} (${error.status})`);
  }
}
