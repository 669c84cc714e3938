/** The SDK's large files against a real server over HTTP, in both cipher suites. */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { ForbiddenError, IntegrityError, NotFoundError, ValidationError } from "../lib/errors.ts";
import type { Client } from "../lib/sdk/client.ts";
import type {
  FileDestination,
  FileProgress,
  FileSource,
  FileTransferOptions,
} from "../lib/sdk/files.ts";
import { byteStream, randomBytes, withFileServer } from "./_file_helpers.ts";
import { registerTestClient } from "./_sdk_helpers.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** The SDK's file methods of a registered client. */
async function files(client: Client) {
  return await Promise.resolve({
    write: (
      type: string,
      source: FileSource,
      plain: Record<string, string> = {},
      options: FileTransferOptions = {},
    ) => client.writeFile(type, source, plain, options),
    read: (recordId: string, destination: FileDestination, options: FileTransferOptions = {}) =>
      client.readFile(recordId, destination, options),
  });
}

for (const suite of SUITES) {
  Deno.test(`${suite}: files round-trip through paths and streams (0 B to 64 KiB + 1)`, async () => {
    await withFileServer(async ({ url, dir }) => {
      const alice = await files(await registerTestClient(url, "alice", suite));
      for (const size of [0, 1, 65535, 65536, 65537]) {
        const bytes = randomBytes(size);
        const source = join(dir, `plain-${size}`);
        await Deno.writeFile(source, bytes);
        const record = await alice.write("large_files", source, { name: `f${size}` });
        assert.deepEqual(record.meta.plain, { name: `f${size}` });
        assert.equal(record.meta.type, "large_files");
        const fileMeta = record.meta.fileMeta!;
        assert.ok((fileMeta.size as number) > size, "the ciphertext is larger than the plaintext");
        assert.match(String(fileMeta.checksum), /^[A-Za-z0-9+/]{22}==$/);

        const target = join(dir, `out-${size}`);
        const read = await alice.read(record.meta.recordId, target);
        assert.equal(read.meta.recordId, record.meta.recordId);
        assert.deepEqual(await Deno.readFile(target), bytes, `path round trip of ${size} bytes`);

        const streamed = await alice.write("large_files", byteStream(bytes, 1000));
        const chunks: Uint8Array<ArrayBuffer>[] = [];
        await alice.read(
          streamed.meta.recordId,
          new WritableStream({ write: (chunk) => void chunks.push(chunk.slice()) }),
        );
        assert.deepEqual(
          new Uint8Array(await new Blob(chunks).arrayBuffer()),
          bytes,
          `stream round trip of ${size} bytes`,
        );
      }
    });
  });
}

Deno.test("files SDK: progress counts plaintext up and ciphertext down", async () => {
  await withFileServer(async ({ url, dir }) => {
    const alice = await files(await registerTestClient(url, "alice"));
    const source = join(dir, "plain");
    await Deno.writeFile(source, randomBytes(1_000_000));
    const seen: FileProgress[] = [];
    const onProgress = (p: FileProgress) => void seen.push(p);
    const record = await alice.write("t", source, {}, { onProgress });
    assert.deepEqual(seen[0], { phase: "upload", bytes: 0, total: 1_000_000 });
    assert.deepEqual(seen.at(-1), { phase: "upload", bytes: 1_000_000, total: 1_000_000 });
    assert.ok(seen.length > 3, "several updates");
    const size = record.meta.fileMeta!.size as number;
    seen.length = 0;
    await alice.read(record.meta.recordId, join(dir, "out"), { onProgress });
    assert.deepEqual(seen.at(-1), { phase: "download", bytes: size, total: size });
    seen.length = 0;
    await alice.write("t", byteStream(new Uint8Array(10)), {}, { onProgress });
    assert.deepEqual(seen.at(-1), { phase: "upload", bytes: 10, total: undefined });
  });
});

Deno.test("files SDK: a shared reader reads; a revoked or unshared one cannot", async () => {
  await withFileServer(async ({ url, dir }) => {
    const aliceClient = await registerTestClient(url, "alice");
    const bobClient = await registerTestClient(url, "bob");
    const alice = await files(aliceClient);
    const bob = await files(bobClient);
    const bytes = randomBytes(200_000);
    const record = await alice.write("shared_files", byteStream(bytes));
    const target = join(dir, "bob-out");
    await assert.rejects(() => bob.read(record.meta.recordId, target), ForbiddenError);
    await aliceClient.share("shared_files", bobClient.clientId);
    await bob.read(record.meta.recordId, target);
    assert.deepEqual(await Deno.readFile(target), bytes);
    await aliceClient.revoke("shared_files", bobClient.clientId);
    await Deno.remove(target);
    await assert.rejects(() => bob.read(record.meta.recordId, target), ForbiddenError);
    await assert.rejects(() => Deno.stat(target), Deno.errors.NotFound, "nothing was written");
  });
});

Deno.test("files SDK: tampered bytes are an IntegrityError and leave no output", async () => {
  await withFileServer(async ({ url, dir, blobs }) => {
    const alice = await files(await registerTestClient(url, "alice"));
    const bytes = randomBytes(150_000);
    const record = await alice.write("t", byteStream(bytes));
    const key = String(record.meta.fileMeta!.file_name);
    const path = join(blobs.root, key.slice(0, 2), key);
    const stored = await Deno.readFile(path);
    await Deno.chmod(path, 0o600);
    // Flip one ciphertext byte in place: the MD5 check fails before any plaintext is trusted.
    stored[100_000]! ^= 1;
    await Deno.writeFile(path, stored);
    const target = join(dir, "tampered-out");
    await assert.rejects(() => alice.read(record.meta.recordId, target), IntegrityError);
    await assert.rejects(() => Deno.stat(target), Deno.errors.NotFound);
    const partials = [...Deno.readDirSync(dir)].filter((e) => e.name.includes("arca-partial"));
    assert.deepEqual(partials, []);
    // A truncated blob is caught too.
    await Deno.writeFile(path, stored.subarray(0, 1000));
    await assert.rejects(() => alice.read(record.meta.recordId, target), /truncated/);
  });
});

Deno.test("files SDK: bad arguments and missing records", async () => {
  await withFileServer(async ({ url, dir }) => {
    const alice = await files(await registerTestClient(url, "alice"));
    const bad = [
      () => alice.write("", "x"),
      () => alice.write("t", 42 as unknown as string),
      () => alice.write("t", "x", { a: 1 } as unknown as Record<string, string>),
      () => alice.write("t", "x", {}, { onProgress: "no" } as unknown as FileTransferOptions),
      () => alice.read("not-an-id", join(dir, "x")),
      () => alice.read("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", 42 as unknown as string),
    ];
    for (const call of bad) await assert.rejects(call, ValidationError);
    await assert.rejects(() => alice.write("t", join(dir, "does-not-exist")), Deno.errors.NotFound);
    await assert.rejects(() => alice.write("t", dir), /not a file/);
    await assert.rejects(
      () => alice.read("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", join(dir, "x")),
      NotFoundError,
    );
  });
});
