/**
 * The container cryptography the SDK calls (docs/containers.md, "Byte formats"): part keys,
 * the sealed header, the sealed content stream, and key blobs signed by their writer. One
 * module, so the session code reads as the protocol and the primitives stay in lib/crypto.
 *
 * @module
 */
import { IntegrityError } from "../../errors.ts";
import { unwrapAccessKey, wrapAccessKey } from "../../crypto/access_key.ts";
import { decodeBase64Url, encodeBase64Url, fromUtf8, utf8 } from "../../crypto/encoding.ts";
import { decryptFileStream, encryptedSize, encryptFileStream } from "../../crypto/file_stream.ts";
import { hmacSha256 } from "../../crypto/hmac.ts";
import type { CryptoSuite, KeyPair } from "../../crypto/suite.ts";
import type { KeyBlob } from "./container_types.ts";
import { bytesStream } from "./_transfer.ts";

/** Bytes of a container key. */
export const CONTAINER_KEY_BYTES = 32;

/** A part of a container. */
export type Part = "header" | "content";

/** Which container version a key belongs to. */
export interface KeyScope {
  /** The container id. */
  containerId: string;
  /** The version. */
  version: number;
}

/**
 * The label that binds a part to its container and version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partLabel } from "./_sealing.ts";
 * assert.equal(partLabel({ containerId: "c", version: 2 }, "header"), "arca container v1|c|header|2");
 * ```
 */
export function partLabel(scope: KeyScope, part: Part): string {
  return `arca container v1|${scope.containerId}|${part}|${scope.version}`;
}

function partKey(key: Uint8Array, scope: KeyScope, part: Part): Promise<Uint8Array> {
  return hmacSha256(key, utf8(partLabel(scope, part)));
}

/**
 * A fresh random container key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newContainerKey } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * assert.equal(newContainerKey(await sodiumSuite()).length, 32);
 * ```
 */
export function newContainerKey(suite: CryptoSuite): Uint8Array {
  return suite.randomBytes(CONTAINER_KEY_BYTES);
}

/**
 * The content sealer of a version: plaintext bytes in, sealed bytes out (constant memory).
 *
 * @example
 * ```ts ignore
 * // See openContent for a round trip.
 * const sealed = plaintext.pipeThrough(await sealContent(suite, key, scope));
 * ```
 */
export async function sealContent(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return encryptFileStream(suite, await partKey(key, scope, "content"));
}

/**
 * The content opener of a version: sealed bytes in, plaintext out; any tampering, a part of
 * another container or version, or a truncation is an `IntegrityError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newContainerKey, openContent, sealContent } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const key = newContainerKey(suite);
 * const scope = { containerId: crypto.randomUUID(), version: 1 };
 * const sealed = new Blob(["hi"]).stream().pipeThrough(await sealContent(suite, key, scope));
 * const opened = sealed.pipeThrough(await openContent(suite, key, scope));
 * assert.equal(await new Response(opened).text(), "hi");
 * ```
 */
export async function openContent(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return decryptFileStream(suite, await partKey(key, scope, "content"));
}

/**
 * Sealed bytes of `length` plaintext content bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sealedContentSize } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * assert.ok(sealedContentSize(await sodiumSuite(), 10) > 10);
 * ```
 */
export function sealedContentSize(suite: CryptoSuite, length: number): number {
  return encryptedSize(length, suite);
}

/**
 * Seals a header value (its UTF-8 JSON).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newContainerKey, openHeader, sealHeader } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const key = newContainerKey(suite);
 * const scope = { containerId: crypto.randomUUID(), version: 1 };
 * const sealed = await sealHeader(suite, key, scope, { a: 1 });
 * assert.deepEqual(await openHeader(suite, key, scope, sealed), { a: 1 });
 * ```
 */
export async function sealHeader(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
  header: unknown,
): Promise<Uint8Array> {
  const plaintext = bytesStream(utf8(JSON.stringify(header)));
  return await new Response(plaintext.pipeThrough(await sealPart(suite, key, scope, "header")))
    .bytes();
}

/**
 * Opens a sealed header; `IntegrityError` when it fails its check.
 *
 * @example
 * ```ts ignore
 * // See sealHeader.
 * const header = await openHeader(suite, key, scope, sealed);
 * ```
 */
export async function openHeader(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
  sealed: Uint8Array,
): Promise<unknown> {
  const opener = decryptFileStream(suite, await partKey(key, scope, "header"));
  const bytes = await new Response(bytesStream(sealed).pipeThrough(opener)).bytes();
  try {
    return JSON.parse(fromUtf8(bytes, "header"));
  } catch (error) {
    throw new IntegrityError("Container header is not JSON", { cause: error });
  }
}

async function sealPart(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
  part: Part,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return encryptFileStream(suite, await partKey(key, scope, part));
}

/** Who a key blob is for and who writes it. */
export interface KeyBlobParties extends KeyScope {
  /** The recipient's id. */
  recipientId: string;
  /** The writer's id. */
  writerId: string;
}

function keyBlobMessage(parties: KeyBlobParties, encryptedKey: string): Uint8Array {
  const { containerId, version, recipientId, writerId } = parties;
  return utf8(
    `arca container key v1|${containerId}|${version}|${recipientId}|${writerId}|${encryptedKey}`,
  );
}

/**
 * A key blob: the container key boxed to the recipient by the writer, signed by the writer.
 *
 * @example
 * ```ts ignore
 * // See openKeyBlob.
 * const blob = await sealKeyBlob(suite, key, parties, recipientPublicKey, writer);
 * ```
 */
export async function sealKeyBlob(
  suite: CryptoSuite,
  key: Uint8Array,
  parties: KeyBlobParties,
  recipientPublicKey: Uint8Array,
  writer: { encryptionKeys: KeyPair; signingKeys: KeyPair },
): Promise<KeyBlob> {
  const encryptedKey = await wrapAccessKey(
    suite,
    key,
    recipientPublicKey,
    writer.encryptionKeys.privateKey,
  );
  const signature = await suite.sign(
    keyBlobMessage(parties, encryptedKey),
    writer.signingKeys.privateKey,
  );
  return { writerId: parties.writerId, encryptedKey, signature: encodeBase64Url(signature) };
}

/**
 * Opens the caller's key blob: its signature is checked against the writer's signing key (as
 * registered on the server) before anything is decrypted; any failure is an `IntegrityError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newContainerKey, openKeyBlob, sealKeyBlob } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const writer = {
 *   encryptionKeys: await suite.generateEncryptionKeyPair(),
 *   signingKeys: await suite.generateSigningKeyPair(),
 * };
 * const reader = await suite.generateEncryptionKeyPair();
 * const parties = { containerId: "c", version: 1, recipientId: "r", writerId: "w" };
 * const key = newContainerKey(suite);
 * const blob = await sealKeyBlob(suite, key, parties, reader.publicKey, writer);
 * const writerKeys = {
 *   publicKey: writer.encryptionKeys.publicKey,
 *   signingKey: writer.signingKeys.publicKey,
 * };
 * assert.deepEqual(await openKeyBlob(suite, blob, parties, reader.privateKey, writerKeys), key);
 * await assert.rejects(
 *   openKeyBlob(suite, blob, { ...parties, version: 2 }, reader.privateKey, writerKeys),
 *   { name: "IntegrityError" },
 * );
 * ```
 */
export async function openKeyBlob(
  suite: CryptoSuite,
  blob: KeyBlob,
  parties: KeyBlobParties,
  recipientPrivateKey: Uint8Array,
  writer: { publicKey: Uint8Array; signingKey: Uint8Array },
): Promise<Uint8Array> {
  if (blob.writerId !== parties.writerId) {
    throw new IntegrityError("Key blob names another writer");
  }
  let signature: Uint8Array;
  try {
    signature = decodeBase64Url(blob.signature, "key blob signature");
  } catch (error) {
    throw new IntegrityError("Key blob signature is not base64url", { cause: error });
  }
  const message = keyBlobMessage(parties, blob.encryptedKey);
  if (!await suite.verify(signature, message, writer.signingKey)) {
    throw new IntegrityError(
      `Key blob of container ${parties.containerId} is not signed by its writer ${parties.writerId}`,
    );
  }
  const key = await unwrapAccessKey(
    suite,
    blob.encryptedKey,
    writer.publicKey,
    recipientPrivateKey,
  );
  if (key.length !== CONTAINER_KEY_BYTES) throw new IntegrityError("Container key has a bad size");
  return key;
}
