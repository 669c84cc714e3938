/**
 * The memory-bounding stages of container transfers (`_transfer.ts`): `releaseSent` frees each
 * sent chunk once the next is read, and `pumpThrough` reads a byte stream into two reused
 * buffers, never into one whose chunk is still being processed, with errors and cancellation
 * passed both ways.
 */
import assert from "node:assert/strict";
import { pumpThrough, releaseSent } from "../lib/sdk/containers/_transfer.ts";

/** A transform that copies each chunk (keeps nothing of its input past the write). */
function copying(): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform: (chunk, controller) => controller.enqueue(chunk.slice()),
  });
}

/** A byte stream of `total` bytes (byte i = i % 251) that records the views it is asked to fill. */
function byteSource(total: number, views: number[]): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view! as Uint8Array;
      views.push(view.byteLength);
      const length = Math.min(view.byteLength, 50_000, total - sent);
      for (let i = 0; i < length; i++) view[i] = (sent + i) % 251;
      sent += length;
      request.respond(length);
      if (sent === total) {
        controller.close();
        // A pending BYOB read must be answered even when the stream closes.
        controller.byobRequest?.respond(0);
      }
    },
  });
}

Deno.test("releaseSent: a chunk is released once the next one is read, the last at the end", async () => {
  const chunks = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])];
  const reader = releaseSent(ReadableStream.from(chunks)).getReader();
  const first = await reader.read();
  assert.deepEqual(first.value, new Uint8Array([1, 2]), "delivered intact");
  assert.equal(chunks[0]!.length, 2, "not released while it is the latest");
  await reader.read();
  assert.equal(chunks[0]!.length, 0, "released when the next one was read");
  assert.equal(chunks[1]!.length, 1);
  assert.deepEqual((await reader.read()).value, new Uint8Array([4, 5, 6]));
  assert.equal((await reader.read()).done, true);
  assert.deepEqual(chunks.map((chunk) => chunk.length), [0, 0, 0]);
});

Deno.test("releaseSent: a cancel releases the chunk held and cancels the source", async () => {
  let reason: unknown;
  const held = new Uint8Array(4);
  const source = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(held),
    cancel: (why) => {
      reason = why;
    },
  }, { highWaterMark: 0 });
  const reader = releaseSent(source).getReader();
  await reader.read();
  await reader.cancel("stop");
  assert.equal(held.length, 0);
  assert.equal(reason, "stop");
});

Deno.test("releaseSent: a failing source fails the stream with its error", async () => {
  const source = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.error(new Error("short stream")),
  });
  await assert.rejects(new Response(releaseSent(source)).bytes(), /short stream/);
});

Deno.test("pumpThrough: a byte stream is read into reused buffers of fixed size, bytes intact", async () => {
  const views: number[] = [];
  const total = 1_000_000;
  const seen: number[] = [];
  const out = pumpThrough(byteSource(total, views), copying(), (chunk) => seen.push(chunk.length));
  const bytes = await new Response(out).bytes();
  assert.equal(bytes.length, total);
  assert.ok(
    bytes.every((b, i) => b === i % 251),
    "every byte is right although the buffer is reused",
  );
  assert.ok(views.length > 10);
  assert.ok(views.every((length) => length === 128 * 1024), "each read fills the reused buffer");
  assert.equal(seen.reduce((a, b) => a + b, 0), total, "onChunk sees every byte read");
});

Deno.test("pumpThrough: a buffer is not read into again while a slow transform holds its chunk", async () => {
  const total = 2_000_000;
  const slow = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.enqueue(chunk.slice()); // Copied only after the pause.
    },
  });
  const bytes = await new Response(pumpThrough(byteSource(total, []), slow)).bytes();
  assert.equal(bytes.length, total);
  assert.ok(bytes.every((b, i) => b === i % 251), "no chunk was overwritten before its copy");
});

Deno.test("pumpThrough: a stream of chunks (not bytes) is read as it comes", async () => {
  const out = pumpThrough(
    ReadableStream.from([new Uint8Array([1]), new Uint8Array([2, 3])]),
    copying(),
  );
  assert.deepEqual(await new Response(out).bytes(), new Uint8Array([1, 2, 3]));
});

Deno.test("pumpThrough: a failing source fails the output with its error", async () => {
  let pulls = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (++pulls === 3) controller.error(new Error("connection reset"));
      else controller.enqueue(new Uint8Array(10));
    },
  });
  await assert.rejects(new Response(pumpThrough(source, copying())).bytes(), /connection reset/);
});

Deno.test("pumpThrough: a failing transform fails the output and cancels the source", async () => {
  let cancelled: unknown;
  const source = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array(10)),
    cancel: (reason) => {
      cancelled = reason;
    },
  });
  const failing = new TransformStream<Uint8Array, Uint8Array>({
    transform: () => {
      throw new Error("chunk failed authentication");
    },
  });
  await assert.rejects(new Response(pumpThrough(source, failing)).bytes(), /authentication/);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.match(String(cancelled), /authentication/);
});

Deno.test("pumpThrough: cancelling the output cancels the source", async () => {
  const { promise: cancelled, resolve } = Promise.withResolvers<unknown>();
  const source = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array(10)),
    cancel: resolve,
  });
  const reader = pumpThrough(source, copying()).getReader();
  await reader.read();
  await reader.cancel("enough");
  assert.equal(await cancelled, "enough");
});
