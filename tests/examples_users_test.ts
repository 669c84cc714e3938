/** `examples/users.ts` run as `deno run -A examples/users.ts` against a real server, both suites. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { startHttpServer, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

for (const suite of ["Sodium", "NIST"]) {
  Deno.test(`example users.ts runs against a real server (${suite})`, async () => {
    const server = await startHttpServer();
    try {
      const run = await runExample("users", {
        ARCA_API_URL: server.url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_CRYPTO_SUITE: suite,
        ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^refused before sending: Password rejected by the default/m);
      assert.match(run.stdout, /^created user [0-9a-f-]{36}$/m);
      assert.match(run.stdout, /^logged in with the password; wrote record [0-9a-f-]{36}$/m);
      assert.match(run.stdout, /^wrong password: IntegrityError$/m);
      assert.match(run.stdout, /^reminder: our first horse$/m);
      assert.match(run.stdout, /^wrong passphrase: wrong passphrase or unknown user$/m);
      assert.match(run.stdout, /^logged in on the other device: dear diary$/m);
      assert.match(run.stdout, /^shared with a plain client: dear diary$/m);
      assert.match(run.stdout, /^changed credentials: checksum changed true$/m);
      const keyType = suite === "Sodium" ? "curve25519" : "p384";
      assert.match(run.stdout, new RegExp(`^plain client's public key type: ${keyType}$`, "m"));
      assert.match(run.stdout, /^module-level reminder: a new reminder$/m);
      assert.match(run.stdout, /^deleted the user$/m);
    } finally {
      await server.close();
    }
  });
}
