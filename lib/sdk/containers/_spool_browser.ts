/**
 * The browser's `_spool.ts`: sealed content of unknown length waits in a `Blob` (the browser
 * may keep a large one on disk itself); `tempDir` is not used.
 *
 * @module
 */

/** Bytes kept aside: their size, reading them back, and removing them. */
export interface Spool {
  /** Size in bytes. */
  size: number;
  /** All the bytes. */
  bytes(): Promise<Uint8Array>;
  /** The bytes as a stream (may be called more than once). */
  stream(): ReadableStream<Uint8Array>;
  /** Forgets the bytes. */
  remove(): Promise<void>;
}

/**
 * Collects `input` into a `Blob`.
 *
 * @example
 * ```ts ignore
 * // Used in the browser bundle in place of _spool.ts.
 * const kept = await spool("unused", stream);
 * ```
 */
export async function spool(_tempDir: string, input: ReadableStream<Uint8Array>): Promise<Spool> {
  const blob = await new Response(input).blob();
  return {
    size: blob.size,
    bytes: async () => new Uint8Array(await blob.arrayBuffer()),
    stream: () => blob.stream(),
    remove: () => Promise.resolve(),
  };
}
