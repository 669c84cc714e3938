/**
 * The body of an upload. Deno's `fetch` streams a `ReadableStream` body as it is read; a
 * browser's `fetch` streams request bodies only over HTTP/2 (and only with `duplex: "half"`), so
 * there the stream is gathered into a `Blob` first (the browser may keep a large one on disk).
 *
 * @module
 */

/**
 * `stream` itself under Deno; in a browser, a `Blob` of its bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uploadBody } from "./_upload_body.ts";
 * const stream = ReadableStream.from([new Uint8Array([1, 2])]);
 * assert.equal(await uploadBody(stream), stream);
 * ```
 */
export async function uploadBody(
  stream: ReadableStream<Uint8Array>,
): Promise<ReadableStream<Uint8Array> | Blob> {
  if (typeof Deno !== "undefined") return stream;
  return await new Response(stream).blob();
}
