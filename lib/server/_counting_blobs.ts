/**
 * A blob store that counts the bytes going in and out for the server's metrics
 * (`arca_blob_bytes_in_total`, `arca_blob_bytes_out_total`). Reads are counted by the size
 * handed out (the range, or the whole blob), not by wrapping the stream, so a file's bytes still
 * stream straight from the blob store.
 *
 * @module
 */
import type { BlobStore, ByteRange } from "../store/blob_store.ts";
import type { ServerMetrics } from "./_metrics.ts";

/**
 * `blobs`, counting its bytes in `metrics`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FsBlobStore } from "../store/fs_blob_store.ts";
 * import { countingBlobs } from "./_counting_blobs.ts";
 * import { ServerMetrics } from "./_metrics.ts";
 * const dir = await Deno.makeTempDir();
 * const metrics = new ServerMetrics();
 * const blobs = countingBlobs(new FsBlobStore(dir), metrics);
 * await blobs.put("blob1", new Blob([new Uint8Array(5)]).stream());
 * await (await blobs.read("blob1", { start: 1, end: 3 }))!.cancel();
 * assert.deepEqual([metrics.blobBytesIn, metrics.blobBytesOut], [5, 2]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function countingBlobs(blobs: BlobStore, metrics: ServerMetrics): BlobStore {
  return {
    async put(key, body) {
      const size = await blobs.put(key, body);
      metrics.blobBytesIn += size;
      return size;
    },
    size: (key) => blobs.size(key),
    async read(key: string, range?: ByteRange) {
      const stream = await blobs.read(key, range);
      if (stream === undefined) return undefined;
      metrics.blobBytesOut += range === undefined
        ? await blobs.size(key) ?? 0
        : range.end - range.start;
      return stream;
    },
    delete: (key) => blobs.delete(key),
    removeAbandoned: (beforeMillis) => blobs.removeAbandoned(beforeMillis),
  };
}
