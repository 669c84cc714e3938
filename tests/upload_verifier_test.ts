import assert from "node:assert/strict";
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import { verifyFileStream } from "../lib/crypto/file_verifier.ts";
import { ArcaError, IntegrityError, ValidationError } from "../lib/errors.ts";
import { verifyUpload } from "../lib/server/_upload_verifier.ts";
import { byteStream, randomBytes } from "./_file_helpers.ts";

const BYTES = randomBytes(70_000);
const EXPECTED = fileChecksum(BYTES);

function rejectsWith(status: number | undefined, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof IntegrityError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, pattern);
    return true;
  };
}

Deno.test("file verifier: passes matching bytes through and measures them", async () => {
  const stage = verifyFileStream(EXPECTED);
  assert.deepEqual(await new Response(byteStream(BYTES, 4096).pipeThrough(stage)).bytes(), BYTES);
  assert.deepEqual(stage.result(), EXPECTED);
  const open = verifyFileStream({});
  await new Response(byteStream(BYTES).pipeThrough(open)).bytes();
  assert.deepEqual(open.result(), EXPECTED, "without expectations it only measures");
  const empty = verifyFileStream(fileChecksum(new Uint8Array(0)));
  assert.equal((await new Response(new Blob([]).stream().pipeThrough(empty)).bytes()).length, 0);
});

Deno.test("file verifier: wrong MD5, short and long files are IntegrityErrors", async () => {
  const changed = BYTES.slice();
  changed[100]! ^= 1;
  const cases: Array<[Uint8Array, Parameters<typeof verifyFileStream>[0], RegExp]> = [
    [changed, EXPECTED, /MD5/],
    [BYTES.subarray(0, 69_999), EXPECTED, /truncated: got 69999 of its recorded 70000/],
    [new Uint8Array([...BYTES, 0]), EXPECTED, /longer than its recorded 70000/],
    [BYTES, { maxSize: 1000 }, /longer than the limit of 1000/],
    [BYTES, { size: 70_000, checksum: fileChecksum(changed).checksum }, /MD5/],
  ];
  for (const [body, expected, pattern] of cases) {
    await assert.rejects(
      () => new Response(byteStream(body).pipeThrough(verifyFileStream(expected))).bytes(),
      rejectsWith(undefined, pattern),
    );
  }
  assert.throws(() => verifyFileStream({}).result(), /not known until the stream has closed/);
});

Deno.test("file verifier: bad expectations are ValidationErrors", () => {
  assert.throws(() => verifyFileStream(null as unknown as object), ValidationError);
  assert.throws(() => verifyFileStream({ size: -1 }), /size/);
  assert.throws(() => verifyFileStream({ maxSize: 1.5 }), /maxSize/);
  assert.throws(() => verifyFileStream({ checksum: "abc" }), /checksum/);
});

Deno.test("upload verifier: mismatches are IntegrityErrors with status 400", async () => {
  const upload = verifyUpload(byteStream(BYTES), EXPECTED);
  assert.deepEqual(await new Response(upload.body).bytes(), BYTES);
  assert.deepEqual(upload.measured(), EXPECTED);
  const short = verifyUpload(byteStream(BYTES.subarray(1)), { checksum: null, size: 70_000 });
  await assert.rejects(
    () => new Response(short.body).bytes(),
    rejectsWith(400, /^Upload rejected: File is truncated/),
  );
  const unannounced = verifyUpload(byteStream(BYTES), { checksum: null, size: null });
  await new Response(unannounced.body).bytes();
  assert.deepEqual(unannounced.measured(), EXPECTED);
});

Deno.test("upload verifier: a body that fails to read is a 400 'interrupted'", async () => {
  let sent = false;
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(new Error("connection reset"));
      sent = true;
      controller.enqueue(BYTES.subarray(0, 1000));
    },
  });
  await assert.rejects(
    () => new Response(verifyUpload(broken, EXPECTED).body).bytes(),
    (error: unknown) =>
      error instanceof ArcaError && error.status === 400 && /interrupted/.test(error.message),
  );
  assert.throws(
    () => verifyUpload("body" as unknown as ReadableStream<Uint8Array>, EXPECTED),
    ValidationError,
  );
});
