/**
 * The `BlobStore` interface: where the bytes of large files live, apart from the `Store`. Blobs
 * are immutable and streamed both ways; nothing is ever held whole in memory. The default is a
 * directory (`fs_blob_store.ts`); an object store would implement the same shape.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** A byte range: `start` inclusive, `end` exclusive. */
export interface ByteRange {
  /** First byte. */
  start: number;
  /** One past the last byte. */
  end: number;
}

/** Streaming storage of immutable blobs under string keys. */
export interface BlobStore {
  /**
   * Streams `body` into the blob `key` and returns its size. The blob becomes visible only when
   * `body` ends without error; if `body` errors (a failed checksum, a dropped connection) or
   * writing fails, nothing is kept and the error is rethrown. The key must not exist yet.
   */
  put(key: string, body: ReadableStream<Uint8Array>): Promise<number>;
  /** The blob's size in bytes, or `undefined` when there is no such blob. */
  size(key: string): Promise<number | undefined>;
  /** A stream of the blob's bytes (or of `range`), or `undefined` when there is no such blob. */
  read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Deletes the blob; false when there was none. */
  delete(key: string): Promise<boolean>;
  /** Removes leftovers of writes that stopped before `beforeMillis` (epoch ms); returns how many. */
  removeAbandoned(beforeMillis: number): Promise<number>;
}

const BLOB_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,199}$/;

/**
 * Throws {@linkcode ValidationError} unless `key` is a safe blob key: 2-200 characters of
 * `A-Z a-z 0-9 _ -`, starting with a letter or digit (no dots, no slashes).
 *
 * @example
 * ```ts
 * import { requireBlobKey } from "./blob_store.ts";
 * requireBlobKey("b2a735c5-9f3a-4c1e-8e0f-0123456789ab-1800000000000000"); // ok
 * ```
 */
export function requireBlobKey(key: string): void {
  if (typeof key !== "string" || !BLOB_KEY_PATTERN.test(key)) {
    throw new ValidationError(
      `Blob key must be 2-200 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(key)}`,
    );
  }
}

/**
 * Throws {@linkcode ValidationError} unless `range` is a valid range of a blob of `size` bytes.
 *
 * @example
 * ```ts
 * import { requireByteRange } from "./blob_store.ts";
 * requireByteRange({ start: 0, end: 10 }, 10); // ok
 * ```
 */
export function requireByteRange(range: ByteRange, size: number): void {
  if (
    typeof range !== "object" || range === null || !Number.isSafeInteger(range.start) ||
    !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start ||
    range.end > size
  ) {
    throw new ValidationError(
      `Byte range must satisfy 0 <= start <= end <= ${size}, got ${JSON.stringify(range)}`,
    );
  }
}
