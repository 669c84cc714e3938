/**
 * Opened container content: in memory (small content, already checked), or fetched and opened
 * as it is read (large content: constant memory).
 *
 * @module
 */
import { IntegrityError } from "../../errors.ts";
import type { ContainerContent } from "./container_types.ts";
import { bytesStream, exactLength, lazyStream } from "./_transfer.ts";

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Container content is not JSON: ${(error as Error).message}`);
  }
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/**
 * Content already opened and held in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryContent } from "./_content.ts";
 * const content = memoryContent(new TextEncoder().encode('{"a":1}'));
 * assert.deepEqual(await content.json(), { a: 1 });
 * assert.equal(content.length, 7);
 * ```
 */
export function memoryContent(bytes: Uint8Array): ContainerContent {
  return {
    length: bytes.length,
    bytes: () => Promise.resolve(bytes.slice()),
    text: () => Promise.resolve(decodeText(bytes)),
    json: () => Promise.resolve(parseJson(decodeText(bytes))),
    stream: () => bytesStream(bytes),
  };
}

/**
 * Content fetched and opened when it is read: `open()` gives the opened stream each time.
 * The declared length is checked against what the stream gave.
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
  const stream = () => lengthChecked(open, length);
  const bytes = async () => await new Response(stream()).bytes();
  return {
    length,
    bytes,
    text: async () => decodeText(await bytes()),
    json: async () => parseJson(decodeText(await bytes())),
    stream,
  };
}

/** The opened stream, failing with `IntegrityError` if it is not `length` bytes long. */
function lengthChecked(
  open: () => Promise<ReadableStream<Uint8Array>>,
  length: number,
): ReadableStream<Uint8Array> {
  const fail = (seen: number) =>
    new IntegrityError(`Container content has ${seen}+ bytes, ${length} declared`);
  return lazyStream(open).pipeThrough(exactLength(length, fail));
}
