/**
 * The browser's `_spool.ts`: sealed content of unknown length waits in a `Blob` (the browser
 * may keep a large one on disk itself); `tempDir` is not used.
 *
 * @module
 */

import type { Spool } from "./_spool.ts"; // A type only: nothing of _spool.ts is bundled.

export type { Spool };

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
