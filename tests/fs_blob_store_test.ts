import assert from "node:assert/strict";
import { join } from "node:path";
import { ConflictError, ValidationError } from "../lib/errors.ts";
import { randomBytes } from "./_file_helpers.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";

const roots: string[] = [];

async function tempStore(): Promise<{ blobs: FsBlobStore; root: string }> {
  const root = await Deno.makeTempDir({ prefix: "arca-blobs-" });
  roots.push(root);
  return { blobs: new FsBlobStore(root, { durable: false }), root };
}

async function tempFiles(root: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, ".tmp"))) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

function stream(bytes: Uint8Array, piece = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

Deno.test("fs blob store: put, size, read, ranges, delete", async () => {
  const { blobs, root } = await tempStore();
  const bytes = randomBytes(600_000);
  assert.equal(await blobs.put("ab12-x", stream(bytes, 7777)), bytes.length);
  assert.equal(await blobs.size("ab12-x"), bytes.length);
  assert.deepEqual(await new Response(await blobs.read("ab12-x")).bytes(), bytes);
  const middle = await new Response(await blobs.read("ab12-x", { start: 300_000, end: 560_001 }))
    .bytes();
  assert.deepEqual(middle, bytes.subarray(300_000, 560_001));
  const none = await new Response(await blobs.read("ab12-x", { start: 10, end: 10 })).bytes();
  assert.equal(none.length, 0);
  assert.deepEqual(await tempFiles(root), [], "no temporary file is left");
  assert.equal((await Deno.stat(join(root, "ab", "ab12-x"))).size, bytes.length);
  assert.equal(await blobs.delete("ab12-x"), true);
  assert.equal(await blobs.delete("ab12-x"), false);
  assert.equal(await blobs.size("ab12-x"), undefined);
  assert.equal(await blobs.read("ab12-x"), undefined);
});

Deno.test("fs blob store: empty blobs and a cancelled read", async () => {
  const { blobs } = await tempStore();
  assert.equal(await blobs.put("e0", new Blob([]).stream()), 0);
  assert.equal(await blobs.size("e0"), 0);
  assert.equal((await new Response(await blobs.read("e0")).bytes()).length, 0);
  await blobs.put("big", stream(new Uint8Array(2_000_000), 65536));
  const reader = (await blobs.read("big"))!.getReader();
  assert.equal((await reader.read()).value?.length, 64 * 1024);
  await reader.cancel();
  assert.equal(await blobs.delete("big"), true, "a cancelled read released the file");
});

Deno.test("fs blob store: a failing body keeps nothing", async () => {
  const { blobs, root } = await tempStore();
  let sent = 0;
  const failing = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 3) return controller.error(new Error("checksum mismatch"));
      controller.enqueue(new Uint8Array(1000));
    },
  });
  await assert.rejects(() => blobs.put("f1", failing), /checksum mismatch/);
  assert.equal(await blobs.size("f1"), undefined);
  assert.deepEqual(await tempFiles(root), []);
});

Deno.test("fs blob store: blobs are immutable, keys are checked", async () => {
  const { blobs } = await tempStore();
  await blobs.put("k1", new Blob(["one"]).stream());
  await assert.rejects(() => blobs.put("k1", new Blob(["two"]).stream()), ConflictError);
  assert.equal(await new Response(await blobs.read("k1")).text(), "one");
  for (const key of ["", "a", "../etc", "a/b", ".tmp", "x".repeat(201), "a.b"]) {
    await assert.rejects(() => blobs.put(key, new Blob([]).stream()), ValidationError, key);
    await assert.rejects(() => blobs.size(key), ValidationError, key);
  }
  await assert.rejects(() => blobs.read("k1", { start: 2, end: 4 }), /start <= end <= 3/);
  await assert.rejects(() => blobs.read("k1", { start: 2, end: 1 }), ValidationError);
  await assert.rejects(
    () => blobs.put("k2", "text" as unknown as ReadableStream<Uint8Array>),
    /ReadableStream/,
  );
  assert.throws(() => new FsBlobStore(""), ValidationError);
});

Deno.test("fs blob store: removeAbandoned deletes only old temporary files", async () => {
  const { blobs, root } = await tempStore();
  assert.equal(await blobs.removeAbandoned(Date.now()), 0, "no .tmp folder yet");
  await blobs.put("keep", new Blob(["x"]).stream());
  const tmp = join(root, ".tmp");
  await Deno.writeTextFile(join(tmp, "old.1"), "partial");
  await Deno.writeTextFile(join(tmp, "new.1"), "partial");
  const hourAgo = new Date(Date.now() - 3_600_000);
  await Deno.utime(join(tmp, "old.1"), hourAgo, hourAgo);
  assert.equal(await blobs.removeAbandoned(Date.now() - 60_000), 1);
  assert.deepEqual(await tempFiles(root), ["new.1"]);
  assert.equal(await blobs.size("keep"), 1, "blobs themselves are never touched");
  await assert.rejects(() => blobs.removeAbandoned(Number.NaN), ValidationError);
});

Deno.test("fs blob store: durable writes and cleanup of the test folders", async () => {
  const root = await Deno.makeTempDir({ prefix: "arca-blobs-" });
  roots.push(root);
  const blobs = new FsBlobStore(root);
  assert.equal(await blobs.put("d1", new Blob(["durable"]).stream()), 7);
  assert.equal(await new Response(await blobs.read("d1")).text(), "durable");
  // Past 32 MiB the file is also flushed in the background while it is written.
  const big = randomBytes(1024 * 1024);
  let sent = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 40) return controller.close();
      controller.enqueue(big.slice());
    },
  });
  assert.equal(await blobs.put("d2", source), 40 * 1024 * 1024);
  const tail = await new Response(
    await blobs.read("d2", { start: 39 * 1024 * 1024, end: 40 * 1024 * 1024 }),
  ).bytes();
  assert.deepEqual(tail, big);
  for (const dir of roots.splice(0)) await Deno.remove(dir, { recursive: true });
});
