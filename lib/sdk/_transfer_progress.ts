/**
 * Progress of a transfer (files and containers): a counter, and a stream stage built on it.
 *
 * @module
 */

/** How far a transfer has got: the shape of `FileProgress` and `TransferProgress`. */
export interface Progress {
  /** `upload` or `download`. */
  phase: "upload" | "download";
  /** Bytes so far. */
  bytes: number;
  /** Bytes in all, when known. */
  total: number | undefined;
}

/**
 * Reports progress: the start (0 bytes) at once, then the running total of each call's bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressCounter } from "./_transfer_progress.ts";
 * const seen: number[] = [];
 * const count = progressCounter("download", 5, (p) => seen.push(p.bytes));
 * count(2);
 * count(3);
 * assert.deepEqual(seen, [0, 2, 5]);
 * ```
 */
export function progressCounter(
  phase: Progress["phase"],
  total: number | undefined,
  onProgress: ((progress: Progress) => void) | undefined,
): (length: number) => void {
  let bytes = 0;
  onProgress?.({ phase, bytes, total });
  return (length) => {
    bytes += length;
    onProgress?.({ phase, bytes, total });
  };
}

/**
 * A pass-through stage that reports the bytes passing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressStage } from "./_transfer_progress.ts";
 * const seen: number[] = [];
 * const out = new Blob(["abc"]).stream()
 *   .pipeThrough(progressStage("upload", 3, (p) => seen.push(p.bytes)));
 * await new Response(out).bytes();
 * assert.deepEqual(seen, [0, 3]);
 * ```
 */
export function progressStage(
  phase: Progress["phase"],
  total: number | undefined,
  onProgress: ((progress: Progress) => void) | undefined,
): TransformStream<Uint8Array, Uint8Array> {
  let count: ((length: number) => void) | undefined;
  return new TransformStream({
    start() {
      count = progressCounter(phase, total, onProgress);
    },
    transform(chunk, controller) {
      controller.enqueue(chunk);
      count!(chunk.length);
    },
  });
}
