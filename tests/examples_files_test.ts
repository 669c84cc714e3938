/** `examples/files.ts` run as `deno run -A examples/files.ts` against a real server with blobs. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { withFileServer } from "./_file_helpers.ts";
import { TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";

for (const suite of ["Sodium", "NIST"]) {
  Deno.test(`example files.ts runs against a real server (${suite})`, async () => {
    await withFileServer(async ({ url, blobs }) => {
      const { code, stdout, stderr } = await runExample("files", {
        ARCA_API_URL: url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_CRYPTO_SUITE: suite,
      });
      assert.equal(code, 0, stderr);
      assert.match(stdout, /uploaded 5242880 bytes as record [0-9a-f-]{36}/);
      assert.match(stdout, /encrypted size \d+, MD5 [A-Za-z0-9+/]{22}==/);
      assert.match(stdout, /bob read it back: identical/);
      assert.match(stdout, /streamed 5242880 bytes/);
      assert.match(stdout, /after revoke: forbidden/);
      assert.match(stdout, /deleted/);
      const left = [...Deno.readDirSync(blobs.root)]
        .filter((entry) => entry.isDirectory && entry.name !== ".tmp")
        .flatMap((entry) => [...Deno.readDirSync(`${blobs.root}/${entry.name}`)]);
      assert.deepEqual(left, [], "the deleted record's bytes are gone");
    });
  });
}
