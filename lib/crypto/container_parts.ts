/**
 * Sealing a container's two parts under a {@linkcode ContainerKeys}. Each part has its own key,
 * `HMAC-SHA256(container key, label)`, with the ASCII label
 * `arca container v1|<container_id>|<part>|<version>` (part `header` or `content`, version in
 * decimal), so that a part moved to another container, part or version fails its MAC.
 *
 * - Header: `aeadSeal(partKey(header), UTF-8 JSON of the header, associated data = label)`.
 * - Content: the chunked file stream format of `file_stream.ts` keyed with `partKey(content)`;
 *   streaming, constant memory, for small and large content alike.
 *
 * The byte formats are in `docs/containers.md` ("Cryptography and byte formats").
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import type { ContainerKeys } from "./container_keys.ts";
import { fromUtf8, utf8 } from "./encoding.ts";
import {
  decryptFileBytes,
  decryptFileStream,
  encryptedSize,
  encryptFileBytes,
  encryptFileStream,
} from "./file_stream.ts";
import { hmacSha256 } from "./hmac.ts";
import type { CryptoSuite } from "./suite.ts";

/** The two encrypted parts of a container. */
export type ContainerPart = "header" | "content";

/**
 * The label of a part: `arca container v1|<container_id>|<part>|<version>`. It derives the part
 * key and is the header's associated data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerPartLabel } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * const keys = ContainerKeys.generate("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", 7);
 * assert.equal(
 *   containerPartLabel(keys, "header"),
 *   "arca container v1|b2a735c5-9f3a-4c1e-8e0f-0123456789ab|header|7",
 * );
 * ```
 */
export function containerPartLabel(keys: ContainerKeys, part: ContainerPart): string {
  if (part !== "header" && part !== "content") {
    throw new ValidationError(`Container part must be "header" or "content", got "${part}"`);
  }
  return `arca container v1|${keys.containerId}|${part}|${keys.version}`;
}

/**
 * The 32-byte key of one part: `HMAC-SHA256(container key, label)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerPartKey } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const header = await containerPartKey(keys, "header");
 * assert.equal(header.length, 32);
 * assert.notDeepEqual(header, await containerPartKey(keys, "content"));
 * ```
 */
export async function containerPartKey(
  keys: ContainerKeys,
  part: ContainerPart,
): Promise<Uint8Array> {
  return await hmacSha256(keys.key, utf8(containerPartLabel(keys, part)));
}

/** UTF-8 JSON of a header value; anything JSON cannot represent is a `ValidationError`. */
function headerJson(header: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(header);
  } catch (error) {
    throw new ValidationError("Container header must be a JSON value", { cause: error });
  }
  if (text === undefined) throw new ValidationError("Container header must be a JSON value");
  return utf8(text);
}

/**
 * Seals a header (any JSON value) for the container version of `keys`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openContainerHeader, sealContainerHeader } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await sealContainerHeader(suite, keys, { title: "Q3" });
 * assert.deepEqual(await openContainerHeader(suite, keys, sealed), { title: "Q3" });
 * ```
 */
export async function sealContainerHeader(
  suite: CryptoSuite,
  keys: ContainerKeys,
  header: unknown,
): Promise<Uint8Array> {
  const plaintext = headerJson(header);
  const key = await containerPartKey(keys, "header");
  return await suite.aeadSeal(key, plaintext, utf8(containerPartLabel(keys, "header")));
}

/**
 * Opens a sealed header; throws {@linkcode IntegrityError} when it was not sealed under `keys`
 * for this container, part and version, or was altered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openContainerHeader, sealContainerHeader } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { nistSuite } from "./nist.ts";
 * const suite = await nistSuite();
 * const v1 = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await sealContainerHeader(suite, v1, [1, 2]);
 * const v2 = new ContainerKeys(v1.containerId, 2, v1.key); // same key, replayed as version 2
 * await assert.rejects(openContainerHeader(suite, v2, sealed), { name: "IntegrityError" });
 * ```
 */
export async function openContainerHeader(
  suite: CryptoSuite,
  keys: ContainerKeys,
  sealed: Uint8Array,
): Promise<unknown> {
  const key = await containerPartKey(keys, "header");
  const plaintext = await suite.aeadOpen(key, sealed, utf8(containerPartLabel(keys, "header")));
  try {
    return JSON.parse(fromUtf8(plaintext, "Container header"));
  } catch (error) {
    // Authenticated but not JSON: the writer sealed something else; refuse it all the same.
    throw new IntegrityError("Container header is not UTF-8 JSON", { cause: error });
  }
}

/**
 * A stream that seals content for the container version of `keys`, in the chunked file format
 * (constant memory, any size).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   decryptContainerContent,
 *   encryptContainerContent,
 *   sealedContentSize,
 * } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await new Response(
 *   new Blob(["hello"]).stream().pipeThrough(await encryptContainerContent(suite, keys)),
 * ).bytes();
 * assert.equal(sealed.length, sealedContentSize(5, suite));
 * const plain = ReadableStream.from([sealed]).pipeThrough(await decryptContainerContent(suite, keys));
 * assert.equal(await new Response(plain).text(), "hello");
 * ```
 */
export async function encryptContainerContent(
  suite: CryptoSuite,
  keys: ContainerKeys,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return encryptFileStream(suite, await containerPartKey(keys, "content"));
}

/**
 * A stream that opens sealed content; it errors with {@linkcode IntegrityError} on a part from
 * another container, part or version, and on any altered, reordered, truncated or extended
 * chunk. Treat its output as untrusted until the stream closes cleanly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptContainerContent, sealContainerContent } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { nistSuite } from "./nist.ts";
 * const suite = await nistSuite();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await sealContainerContent(suite, keys, new Uint8Array([7, 8]));
 * const plain = ReadableStream.from([sealed]).pipeThrough(await decryptContainerContent(suite, keys));
 * assert.deepEqual(await new Response(plain).bytes(), new Uint8Array([7, 8]));
 * ```
 */
export async function decryptContainerContent(
  suite: CryptoSuite,
  keys: ContainerKeys,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return decryptFileStream(suite, await containerPartKey(keys, "content"));
}

/**
 * Seals content held in memory (the same format as {@linkcode encryptContainerContent}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openContainerContent, sealContainerContent } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await sealContainerContent(suite, keys, new TextEncoder().encode("hi"));
 * assert.equal(new TextDecoder().decode(await openContainerContent(suite, keys, sealed)), "hi");
 * ```
 */
export async function sealContainerContent(
  suite: CryptoSuite,
  keys: ContainerKeys,
  content: Uint8Array,
): Promise<Uint8Array> {
  return await encryptFileBytes(suite, await containerPartKey(keys, "content"), content);
}

/**
 * Opens sealed content held in memory; throws {@linkcode IntegrityError} as
 * {@linkcode decryptContainerContent} does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openContainerContent, sealContainerContent } from "./container_parts.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const sealed = await sealContainerContent(suite, keys, new Uint8Array([1]));
 * await assert.rejects(
 *   openContainerContent(suite, ContainerKeys.generate(keys.containerId, 1), sealed),
 *   { name: "IntegrityError" },
 * );
 * ```
 */
export async function openContainerContent(
  suite: CryptoSuite,
  keys: ContainerKeys,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return await decryptFileBytes(suite, await containerPartKey(keys, "content"), sealed);
}

/**
 * The sealed size of `length` plaintext content bytes in `suite` (for `content_size`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sealedContentSize } from "./container_parts.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * assert.equal(sealedContentSize(11, await sodiumSuite()), 152);
 * ```
 */
export function sealedContentSize(length: number, suite: CryptoSuite): number {
  return encryptedSize(length, suite);
}
