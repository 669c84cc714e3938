/**
 * Where sealed content of unknown length waits until its size is known: a temporary file (mode
 * 0600) under the given folder. The browser bundle uses `_spool_browser.ts` instead (a `Blob`).
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
  /** Forgets the bytes (removes the file). */
  remove(): Promise<void>;
}

/**
 * Writes `input` to a new temporary file under `tempDir` (made 0700 when missing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spool } from "./_spool.ts";
 * const kept = await spool(await Deno.makeTempDir(), ReadableStream.from([new Uint8Array(3)]));
 * assert.equal(kept.size, 3);
 * assert.deepEqual(await kept.bytes(), new Uint8Array(3));
 * await kept.remove();
 * ```
 */
export async function spool(tempDir: string, input: ReadableStream<Uint8Array>): Promise<Spool> {
  await Deno.mkdir(tempDir, { recursive: true, mode: 0o700 });
  const path = await Deno.makeTempFile({ dir: tempDir, prefix: ".arca-seal-" });
  const remove = () => Deno.remove(path).catch(() => {});
  try {
    const file = await Deno.open(path, { write: true, truncate: true });
    await input.pipeTo(file.writable);
    return {
      size: (await Deno.stat(path)).size,
      bytes: () => Deno.readFile(path),
      stream: () => Deno.openSync(path, { read: true }).readable,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
