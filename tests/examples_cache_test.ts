/** `examples/cache.ts` run as `deno run -A examples/cache.ts` against a real server, both suites. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { startHttpServer, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

for (const suite of ["Sodium", "NIST"]) {
  Deno.test(`example cache.ts runs against a real server (${suite})`, async () => {
    const server = await startHttpServer();
    try {
      const run = await runExample("cache", {
        ARCA_API_URL: server.url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_CRYPTO_SUITE: suite,
        ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^alice reads from the cache: The plan: meet at noon\.$/m);
      assert.match(run.stdout, /^cached read took under 100 ms: true$/m);
      assert.match(run.stdout, /^forceRefresh reads the server: version 1$/m);
      assert.match(run.stdout, /^bob's events: .*deleted.*$/m);
      assert.match(run.stdout, /^bob's cached copy was purged: NotFoundError$/m);
      assert.match(run.stdout, /^phone needs sync: true$/m);
      assert.match(run.stdout, /^after sync: false$/m);
      assert.match(run.stdout, /^ofs reads: kept on this device$/m);
      assert.match(run.stdout, /^ofs cache holds 1 container$/m);
      assert.match(run.stdout, /^logged out and purged$/m);
    } finally {
      await server.close();
    }
  });
}
