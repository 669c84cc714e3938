// The PostgreSQL blob store (ARCA_BLOB_STORE=postgres): the BlobStore semantics, and constant
// memory both ways for a blob far larger than a chunk. Needs DATABASE_URL (ignored without it,
// failing in CI without it).
import assert from "node:assert/strict";
import { ConflictError } from "../lib/errors.ts";
import { PostgresBlobStore } from "../lib/store/postgres/blob_store.ts";
import { randomBytes } from "./_file_helpers.ts";
import { dropTestSchema, freshSchemaName, postgresRun, postgresTestUrl } from "./_postgres.ts";

const ignore = postgresRun.ignore;

async function withBlobs(
  fn: (blobs: PostgresBlobStore) => Promise<void>,
  chunkBytes = 1000,
): Promise<void> {
  const schema = freshSchemaName();
  const blobs = await PostgresBlobStore.open(postgresTestUrl(), { schema, chunkBytes });
  try {
    await fn(blobs);
  } finally {
    await blobs.close();
    await dropTestSchema(schema);
  }
}

function stream(bytes: Uint8Array, piece = 777): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

async function collect(body: ReadableStream<Uint8Array> | undefined): Promise<Uint8Array> {
  assert.ok(body);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

Deno.test({
  name: "postgres blob store: put, size, read, ranges across chunks, delete",
  ignore,
  fn: () =>
    withBlobs(async (blobs) => {
      const bytes = randomBytes(10_500);
      assert.equal(await blobs.put("ab12-x", stream(bytes)), bytes.length);
      assert.equal(await blobs.size("ab12-x"), bytes.length);
      assert.deepEqual(await collect(await blobs.read("ab12-x")), bytes);
      for (const [start, end] of [[0, 0], [0, 1], [999, 1001], [1000, 2000], [1234, 10_500]]) {
        const part = await collect(await blobs.read("ab12-x", { start: start!, end: end! }));
        assert.deepEqual(part, bytes.slice(start, end));
      }
      await assert.rejects(blobs.read("ab12-x", { start: 5, end: 10_501 }));
      assert.equal(await blobs.size("missing"), undefined);
      assert.equal(await blobs.read("missing"), undefined);
      assert.equal(await blobs.put("empty", stream(new Uint8Array(0))), 0);
      assert.deepEqual(await collect(await blobs.read("empty")), new Uint8Array(0));
      assert.equal(await blobs.delete("ab12-x"), true);
      assert.equal(await blobs.delete("ab12-x"), false);
      assert.equal(await blobs.size("ab12-x"), undefined);
    }),
});

Deno.test({
  name: "postgres blob store: a key is written once; a failed body keeps nothing",
  ignore,
  fn: () =>
    withBlobs(async (blobs) => {
      await blobs.put("once", stream(randomBytes(10)));
      await assert.rejects(blobs.put("once", stream(randomBytes(10))), ConflictError);
      let sent = 0;
      const failing = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === 3) return controller.error(new Error("checksum mismatch"));
          controller.enqueue(randomBytes(900));
        },
      });
      await assert.rejects(blobs.put("broken", failing), /checksum mismatch/);
      assert.equal(await blobs.size("broken"), undefined);
      // The key is free again: the failed write left nothing.
      assert.equal(await blobs.put("broken", stream(randomBytes(5))), 5);
    }),
});

Deno.test({
  name: "postgres blob store: an unfinished write is invisible and removeAbandoned deletes it",
  ignore,
  fn: () =>
    withBlobs(async (blobs) => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => release = resolve);
      let sent = 0;
      const slow = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent++ === 2) await gate;
          if (sent > 4) return controller.close();
          controller.enqueue(randomBytes(1000));
        },
      });
      const writing = blobs.put("slow", slow);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await blobs.size("slow"), undefined);
      assert.equal(await blobs.read("slow"), undefined);
      assert.equal(await blobs.removeAbandoned(Date.now() - 60_000), 0); // too recent
      assert.equal(await blobs.removeAbandoned(Date.now() + 1000), 1);
      release();
      await assert.rejects(writing); // its row is gone: the write cannot finish
      assert.equal(await blobs.size("slow"), undefined);
    }),
});

Deno.test({
  name: "postgres blob store: 256 MiB in and out grows RSS by at most 150 MB (constant memory)",
  ignore,
  fn: async () => {
    // A subprocess, so the RSS is the transfer's own; V8's young generation is capped as in
    // files_memory_test.ts, so the growth measures what the transfer keeps alive.
    const probe = new URL("./_postgres_blob_memory_probe.ts", import.meta.url);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", probe.pathname],
      env: { ARCA_PROBE_MIB: "256", NO_COLOR: "1", DATABASE_URL: postgresTestUrl() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, `probe failed:\n${stdout}\n${stderr}`);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(result.written, 256 * 1024 * 1024);
    assert.equal(result.readBack, result.written, "every byte came back");
    assert.equal(result.mismatches, 0, "and every byte is right");
    const growthMb = (result.peakRss - result.baselineRss) / 1e6;
    assert.ok(growthMb <= 150, `RSS grew by ${growthMb.toFixed(1)} MB moving 256 MiB`);
  },
});
