/** `examples/containers.ts` run as `deno run -A examples/containers.ts` against a real server, both suites. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { startHttpServer, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

for (const suite of ["Sodium", "NIST"]) {
  Deno.test(`example containers.ts runs against a real server (${suite})`, async () => {
    const server = await startHttpServer();
    try {
      const run = await runExample("containers", {
        ARCA_API_URL: server.url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_CRYPTO_SUITE: suite,
        ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^created container [0-9a-f-]{36} version 1$/m);
      assert.match(run.stdout, /^bob reads: The plan: meet at noon\. \(type memo\)$/m);
      assert.match(
        run.stdout,
        /^bob's permissions: container\.download, container\.decrypt, access\.view, container\.type\.view$/m,
      );
      assert.match(run.stdout, /^bob's update refused: .*(upload|access\.modify).*$/m);
      assert.match(run.stdout, /^alice re-keyed: version 2$/m);
      assert.match(run.stdout, /^bob's live event: deleted by alice$/m);
      assert.match(run.stdout, /^after the revoke bob gets: NotFoundError$/m);
      assert.match(run.stdout, /^bob's events: added, (accessed, )+updated, deleted$/m);
      assert.match(run.stdout, /^module-level list: 1 memo$/m);
      assert.match(run.stdout, /^deleted the last access: the server removed the container$/m);
    } finally {
      await server.close();
    }
  });
}
