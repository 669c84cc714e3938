/**
 * Stream plumbing of container transfers: progress reporting, streams opened on first read,
 * and a plaintext length check.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import type { TransferProgress } from "./container_types.ts";

/**
 * A pass-through stage that reports the bytes passing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressStage } from "./_transfer.ts";
 * const seen: number[] = [];
 * const out = new Blob(["abc"]).stream()
 *   .pipeThrough(progressStage("upload", 3, (p) => seen.push(p.bytes)));
 * await new Response(out).bytes();
 * assert.deepEqual(seen, [0, 3]);
 * ```
 */
export function progressStage(
  phase: TransferProgress["phase"],
  total: number | undefined,
  onProgress: ((progress: TransferProgress) => void) | undefined,
): TransformStream<Uint8Array, Uint8Array> {
  let bytes = 0;
  return new TransformStream({
    start() {
      onProgress?.({ phase, bytes, total });
    },
    transform(chunk, controller) {
      bytes += chunk.length;
      controller.enqueue(chunk);
      onProgress?.({ phase, bytes, total });
    },
  });
}

/**
 * A stream that calls `open` on its first read (nothing is fetched for a stream never read);
 * it pulls one chunk per read, so memory stays constant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lazyStream } from "./_transfer.ts";
 * let opened = 0;
 * const stream = lazyStream(() => {
 *   opened++;
 *   return Promise.resolve(new Blob(["x"]).stream());
 * });
 * assert.equal(opened, 0);
 * assert.equal(await new Response(stream).text(), "x");
 * assert.equal(opened, 1);
 * ```
 */
export function lazyStream(
  open: () => Promise<ReadableStream<Uint8Array>>,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await open()).getReader();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader?.cancel(reason),
  }, { highWaterMark: 0 });
}

/**
 * A stage that fails unless exactly `length` bytes pass (`make` builds the error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exactLength } from "./_transfer.ts";
 * const out = new Blob(["abc"]).stream()
 *   .pipeThrough(exactLength(2, (seen) => new Error(`got ${seen}`)));
 * await assert.rejects(new Response(out).bytes(), /got 3/);
 * ```
 */
export function exactLength(
  length: number,
  make: (seen: number) => Error,
): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > length) throw make(seen);
      controller.enqueue(chunk);
    },
    flush() {
      if (seen !== length) throw make(seen);
    },
  });
}

/**
 * The stage that holds a content stream to its announced `length`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { announcedLength } from "./_transfer.ts";
 * const out = new Blob(["ab"]).stream().pipeThrough(announcedLength(3));
 * await assert.rejects(new Response(out).bytes(), /length/);
 * ```
 */
export function announcedLength(length: number): TransformStream<Uint8Array, Uint8Array> {
  return exactLength(
    length,
    (seen) =>
      new ValidationError(`Content stream gave ${seen}+ bytes, but its length is ${length}`),
  );
}

/**
 * Bytes in memory as a stream (one chunk).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytesStream } from "./_transfer.ts";
 * assert.equal(await new Response(bytesStream(new Uint8Array([104, 105]))).text(), "hi");
 * ```
 */
export function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * The same stream, telling `onError` about an error it fails with (a request that sends it
 * only reports that it failed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchErrors } from "./_transfer.ts";
 * let seen: unknown;
 * const failing = new ReadableStream({ pull: (c) => c.error(new Error("short")) });
 * await assert.rejects(new Response(watchErrors(failing, (e) => seen = e)).bytes());
 * assert.equal((seen as Error).message, "short");
 * ```
 */
export function watchErrors(
  stream: ReadableStream<Uint8Array>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
