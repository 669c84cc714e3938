/**
 * The container cryptography of lib/crypto (part sealing, key blobs) in the terms the session
 * code uses: a raw container key and the version it belongs to, and key blobs in the SDK's
 * camel-case shape.
 *
 * @module
 */
import { sealKeyBlob as sealWireKeyBlob } from "../../crypto/container_key_blob.ts";
import { openKeyBlob as openWireKeyBlob } from "../../crypto/container_key_blob.ts";
import { CONTAINER_KEY_BYTES, ContainerKeys } from "../../crypto/container_keys.ts";
import {
  decryptContainerContent,
  encryptContainerContent,
  openContainerContent,
  openContainerHeader,
  sealContainerContent,
  sealContainerHeader,
  sealedContentSize as sealedSize,
} from "../../crypto/container_parts.ts";
import type { CryptoSuite, KeyPair } from "../../crypto/suite.ts";
import type { KeyBlob } from "./container_types.ts";

/** Which container version a key belongs to. */
export interface KeyScope {
  /** The container id. */
  containerId: string;
  /** The version. */
  version: number;
}

function keysOf(key: Uint8Array, scope: KeyScope): ContainerKeys {
  return new ContainerKeys(scope.containerId, scope.version, key);
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
 * The content sealer of a version: plaintext in, sealed bytes out (constant memory).
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
export async function sealContent(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return await encryptContainerContent(suite, keysOf(key, scope));
}

/**
 * The content opener of a version; tampering, a part of another container or version, or a
 * truncation is an `IntegrityError`.
 *
 * @example
 * ```ts ignore
 * // See sealContent.
 * const plaintext = sealed.pipeThrough(await openContent(suite, key, scope));
 * ```
 */
export async function openContent(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
): Promise<TransformStream<Uint8Array, Uint8Array>> {
  return await decryptContainerContent(suite, keysOf(key, scope));
}

/**
 * Seals content held in memory (small content: the same bytes as {@linkcode sealContent}, with
 * no stream).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newContainerKey, openContentBytes, sealContentBytes } from "./_sealing.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const key = newContainerKey(suite);
 * const scope = { containerId: crypto.randomUUID(), version: 1 };
 * const sealed = await sealContentBytes(suite, key, scope, new Uint8Array([1, 2]));
 * assert.deepEqual(await openContentBytes(suite, key, scope, sealed), new Uint8Array([1, 2]));
 * ```
 */
export async function sealContentBytes(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return await sealContainerContent(suite, keysOf(key, scope), plaintext);
}

/**
 * Opens sealed content held in memory; failures as {@linkcode openContent}.
 *
 * @example
 * ```ts ignore
 * // See sealContentBytes.
 * const plaintext = await openContentBytes(suite, key, scope, sealed);
 * ```
 */
export async function openContentBytes(
  suite: CryptoSuite,
  key: Uint8Array,
  scope: KeyScope,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return await openContainerContent(suite, keysOf(key, scope), sealed);
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
  return sealedSize(length, suite);
}

/**
 * Seals a header value (any JSON value).
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
  return await sealContainerHeader(suite, keysOf(key, scope), header);
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
  return await openContainerHeader(suite, keysOf(key, scope), sealed);
}

/** Who a key blob is for and who writes it. */
export interface KeyBlobParties extends KeyScope {
  /** The recipient's id. */
  recipientId: string;
  /** The writer's id. */
  writerId: string;
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
  const blob = await sealWireKeyBlob(
    suite,
    keysOf(key, parties),
    { id: parties.recipientId, publicKey: recipientPublicKey },
    {
      id: parties.writerId,
      privateKey: writer.encryptionKeys.privateKey,
      signingPrivateKey: writer.signingKeys.privateKey,
    },
  );
  return { writerId: blob.writer_id, encryptedKey: blob.encrypted_key, signature: blob.signature };
}

/**
 * Opens the caller's key blob: the signature is checked against the writer's signing key as
 * registered on the server before anything is decrypted; any failure is an `IntegrityError`.
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
 * const parties = {
 *   containerId: crypto.randomUUID(),
 *   version: 1,
 *   recipientId: crypto.randomUUID(),
 *   writerId: crypto.randomUUID(),
 * };
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
  const keys = await openWireKeyBlob(
    suite,
    { writer_id: blob.writerId, encrypted_key: blob.encryptedKey, signature: blob.signature },
    {
      containerId: parties.containerId,
      version: parties.version,
      recipient: { id: parties.recipientId, privateKey: recipientPrivateKey },
      writer: { id: parties.writerId, ...writer },
    },
  );
  return keys.key;
}
