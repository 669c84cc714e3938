/**
 * Stream plumbing of container transfers: streams opened on first read, a plaintext length
 * check, and the release and reuse of chunk buffers (progress is `../_transfer_progress.ts`).
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";

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

/** Frees a chunk's memory now (detaches its buffer) rather than at a later garbage collection. */
function release(chunk: Uint8Array): void {
  const buffer = chunk.buffer;
  if (buffer instanceof ArrayBuffer && !buffer.detached) buffer.transfer(0);
}

/**
 * The same stream for a consumer that is done with a chunk when it reads the next one (`fetch`
 * sending a request body): each chunk's buffer is released as soon as the next one is read, so
 * the bytes sent do not wait for a garbage collection. Only for chunks that belong to this
 * stream alone (a sealer's output, a file's reads), never a caller's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { releaseSent } from "./_transfer.ts";
 * const first = new Uint8Array([1, 2]);
 * const reader = releaseSent(ReadableStream.from([first, new Uint8Array([3])])).getReader();
 * assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2]));
 * await reader.read();
 * assert.equal(first.length, 0); // released once the next chunk was read
 * ```
 */
export function releaseSent(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let sent: Uint8Array | undefined;
  const releaseLast = () => {
    if (sent !== undefined) release(sent);
    sent = undefined;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      releaseLast();
      const { done, value } = await reader.read();
      if (done) return controller.close();
      sent = value;
      controller.enqueue(value);
    },
    cancel(reason) {
      releaseLast();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** Bytes asked of a byte stream at a time, into one of the two buffers it reuses in turn. */
const READ_BUFFER_BYTES = 128 * 1024;

/**
 * Reads chunks; a byte stream's into two buffers used in turn, so a chunk is valid until the
 * next-but-one read.
 */
interface ChunkReader {
  /** The next chunk, or `undefined` at the end. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason: unknown): Promise<void>;
}

function chunkReader(source: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = source.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: its own chunks, read as they come.
  }
  if (byob === undefined) {
    const reader = source.getReader();
    return {
      next: async () => (await reader.read()).value,
      cancel: (reason) => reader.cancel(reason),
    };
  }
  const reader = byob;
  const buffers = [new ArrayBuffer(READ_BUFFER_BYTES), new ArrayBuffer(READ_BUFFER_BYTES)];
  let turn = 0;
  return {
    async next() {
      const { done, value } = await reader.read(new Uint8Array(buffers[turn]!));
      if (done) return undefined;
      // The read transferred the buffer: the same memory, a new ArrayBuffer object.
      buffers[turn] = value.buffer as ArrayBuffer;
      turn = 1 - turn;
      return value;
    },
    cancel: (reason) => reader.cancel(reason),
  };
}

/**
 * `source` piped through `transform`, a chunk being read while the last one is processed but
 * no further: a byte stream (a `fetch` body) is read into two buffers used in turn, so no
 * buffer is allocated per read. Only for a transform that keeps nothing of a chunk past its
 * write (the content opener copies what it holds). `onChunk` sees each chunk read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pumpThrough } from "./_transfer.ts";
 * const upper = new TransformStream<Uint8Array, Uint8Array>({
 *   transform: (chunk, controller) => controller.enqueue(chunk.map((b) => b - 32)),
 * });
 * const lengths: number[] = [];
 * const out = pumpThrough(new Blob(["abc"]).stream(), upper, (c) => lengths.push(c.length));
 * assert.equal(await new Response(out).text(), "ABC");
 * assert.deepEqual(lengths, [3]);
 * ```
 */
export function pumpThrough(
  source: ReadableStream<Uint8Array>,
  transform: TransformStream<Uint8Array, Uint8Array>,
  onChunk?: (chunk: Uint8Array) => void,
): ReadableStream<Uint8Array> {
  const writer = transform.writable.getWriter();
  const reader = chunkReader(source);
  const pump = async () => {
    // The writes of the last two chunks: the buffer of the older one is read into next.
    let older: Promise<void> = Promise.resolve();
    let newer: Promise<void> = Promise.resolve();
    try {
      while (true) {
        await older;
        const chunk = await reader.next();
        if (chunk === undefined) break;
        onChunk?.(chunk);
        const written = writer.write(chunk);
        written.catch(() => {}); // Awaited in turn; a failure also fails every later write.
        older = newer;
        newer = written;
      }
      await writer.close();
    } catch (error) {
      // A failed read fails the output; a failed or cancelled output stops the reads.
      await writer.abort(error).catch(() => {});
      await reader.cancel(error).catch(() => {});
    }
  };
  pump();
  return transform.readable;
}
