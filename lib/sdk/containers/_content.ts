/**
 * Opened content fetched as it is read: a {@linkcode ContainerContent} over a stream that is
 * requested on its first read and checked against the declared length (constant memory).
 *
 * @module
 */
import { IntegrityError } from "../../errors.ts";
import { ContainerContent } from "../container_content.ts";

/**
 * Content fetched and opened when it is first read; `IntegrityError` when the opened stream is
 * not `length` bytes long.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamedContent } from "./_content.ts";
 * const content = streamedContent(2, () => Promise.resolve(new Blob(["hi"]).stream()));
 * assert.equal(await content.text(), "hi");
 * ```
 */
export function streamedContent(
  length: number,
  open: () => Promise<ReadableStream<Uint8Array>>,
): ContainerContent {
  const fail = (seen: number) =>
    new IntegrityError(
      `Container content has ${seen}${seen > length ? "+" : ""} bytes, ${length} declared`,
    );
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let seen = 0;
  // Nothing is requested before the first read (a pipe would start one at once).
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await open()).getReader();
      const { done, value } = await reader.read();
      if (done) {
        if (seen !== length) throw fail(seen);
        return controller.close();
      }
      seen += value.length;
      if (seen > length) {
        await reader.cancel();
        throw fail(seen);
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader?.cancel(reason),
  }, { highWaterMark: 0 });
  return new ContainerContent(stream);
}
