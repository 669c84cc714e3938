/**
 * A container's content, plain or sealed: bytes held in memory or a stream read once, readable
 * as bytes, text, JSON or a stream.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** What content can be made from: bytes, a string (UTF-8) or a stream of bytes. */
export type ContentSource = Uint8Array | string | ReadableStream<Uint8Array>;

/**
 * Content of a container. In-memory content reads any number of times; stream content reads
 * once (as a stream, or as bytes, text or JSON, which keep the bytes for later reads).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContainerContent } from "./container_content.ts";
 * const content = new ContainerContent('{"total": 42}');
 * assert.equal(content.length, 13);
 * assert.deepEqual(await content.json(), { total: 42 });
 * assert.equal(await content.text(), '{"total": 42}');
 * ```
 */
export class ContainerContent {
  #bytes: Uint8Array | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  #streamRead = false;

  /**
   * Content from bytes, a string (encoded as UTF-8) or a stream.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * const content = new ContainerContent(ReadableStream.from([new Uint8Array([1, 2])]));
   * assert.equal(content.length, null);
   * assert.deepEqual(await content.bytes(), new Uint8Array([1, 2]));
   * assert.equal(content.length, 2);
   * ```
   */
  constructor(source: ContentSource) {
    if (typeof source === "string") this.#bytes = new TextEncoder().encode(source);
    else if (source instanceof Uint8Array) this.#bytes = source;
    else if (source instanceof ReadableStream) this.#stream = source;
    else {
      throw new ValidationError("Container content must be a Uint8Array, a string or a stream");
    }
  }

  /**
   * The length in bytes when the content is in memory; `null` for a stream not yet read.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * assert.equal(new ContainerContent("é").length, 2);
   * ```
   */
  get length(): number | null {
    return this.#bytes?.length ?? null;
  }

  /**
   * The bytes when in memory, without reading a stream; `undefined` for a stream.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * assert.deepEqual(new ContainerContent("a").inMemory, new Uint8Array([97]));
   * ```
   */
  get inMemory(): Uint8Array | undefined {
    return this.#bytes;
  }

  /**
   * The content as a stream: a fresh one each time for in-memory content; the source stream,
   * once, otherwise (a second read throws `ValidationError`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * const content = new ContainerContent("abc");
   * assert.equal(await new Response(content.stream()).text(), "abc");
   * assert.equal(await new Response(content.stream()).text(), "abc");
   * ```
   */
  stream(): ReadableStream<Uint8Array> {
    if (this.#bytes !== undefined) return ReadableStream.from([this.#bytes]);
    if (this.#streamRead) throw new ValidationError("Container content stream was already read");
    this.#streamRead = true;
    return this.#stream!;
  }

  /**
   * The content as bytes (reading a stream to its end, which keeps the bytes).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * assert.deepEqual(await new ContainerContent("hi").bytes(), new Uint8Array([104, 105]));
   * ```
   */
  async bytes(): Promise<Uint8Array> {
    if (this.#bytes === undefined) this.#bytes = await new Response(this.stream()).bytes();
    return this.#bytes;
  }

  /**
   * The content as UTF-8 text; `ValidationError` when it is not UTF-8.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * assert.equal(await new ContainerContent(new Uint8Array([104, 105])).text(), "hi");
   * ```
   */
  async text(): Promise<string> {
    const bytes = await this.bytes();
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (error) {
      throw new ValidationError("Container content is not UTF-8 text", { cause: error });
    }
  }

  /**
   * The content parsed as JSON; `ValidationError` when it is not JSON.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerContent } from "./container_content.ts";
   * assert.deepEqual(await new ContainerContent("[1,2]").json(), [1, 2]);
   * await assert.rejects(new ContainerContent("nope").json(), { name: "ValidationError" });
   * ```
   */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ValidationError("Container content is not JSON", { cause: error });
    }
  }
}
