/**
 * Key blobs: one container version's key, encrypted to one recipient and signed by its writer.
 *
 * ```
 * wire JSON:    { "writer_id", "encrypted_key", "signature" }
 * encrypted_key = b64url(box ciphertext) "." b64url(nonce)   (E3DB's EAK text form: the suite's
 *                 boxEncrypt of the 32-byte container key, from the writer's encryption private
 *                 key to the recipient's encryption public key)
 * signature     = b64url(sign(writer signing key, UTF-8 of
 *   "arca container key v1|<container_id>|<version>|<recipient_id>|<writer_id>|<encrypted_key>"))
 * ```
 *
 * A reader verifies the signature against the writer's signing key AS REGISTERED ON THE SERVER
 * (the caller looks it up by `writer_id`), never a key carried in the blob, and only then opens
 * the key. Formats: `docs/containers.md`.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { unwrapAccessKey, wrapAccessKey } from "./access_key.ts";
import { ContainerKeys, parseContainerId, parseContainerVersion } from "./container_keys.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { CryptoSuite } from "./suite.ts";
import { isUuid } from "./uuid.ts";

/** A key blob in its wire form. */
export interface KeyBlob {
  /** The writer's client id (lower-case UUID): whose registered keys verify and open it. */
  writer_id: string;
  /** The container key boxed to the recipient: `b64url(ciphertext).b64url(nonce)`. */
  encrypted_key: string;
  /** The writer's signature over {@linkcode keyBlobSignedText}, base64url. */
  signature: string;
}

/** The writer's side of {@linkcode sealKeyBlob}: its id and private keys. */
export interface KeyBlobWriter {
  /** The writer's client id. */
  id: string;
  /** The writer's encryption private key (boxes the container key). */
  privateKey: Uint8Array;
  /** The writer's signing private key (signs the blob). */
  signingPrivateKey: Uint8Array;
}

/** The recipient's side of {@linkcode sealKeyBlob}: its id and encryption public key. */
export interface KeyBlobRecipient {
  /** The recipient's client id. */
  id: string;
  /** The recipient's encryption public key. */
  publicKey: Uint8Array;
}

/** The writer's public keys AS REGISTERED ON THE SERVER, for {@linkcode openKeyBlob}. */
export interface RegisteredWriterKeys {
  /** The writer's client id; must equal the blob's `writer_id`. */
  id: string;
  /** The writer's registered encryption public key. */
  publicKey: Uint8Array;
  /** The writer's registered signing public key. */
  signingKey: Uint8Array;
}

/** What {@linkcode openKeyBlob} needs besides the blob. */
export interface OpenKeyBlobInput {
  /** The container the blob must be for. */
  containerId: string;
  /** The version the blob must be for. */
  version: number;
  /** The reader: its client id (the blob must be addressed to it) and encryption private key. */
  recipient: { id: string; privateKey: Uint8Array };
  /** The writer's registered keys, looked up by the blob's `writer_id`. */
  writer: RegisteredWriterKeys;
}

const EAK_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const B64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

function clientId(value: unknown, what: string): string {
  if (!isUuid(value)) {
    throw new ValidationError(`${what} must be a UUID, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value.toLowerCase();
}

/**
 * The text a key blob's signature covers:
 * `arca container key v1|<container_id>|<version>|<recipient_id>|<writer_id>|<encrypted_key>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyBlobSignedText } from "./container_key_blob.ts";
 * const c = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const r = "11111111-2222-4333-8444-555555555555";
 * const w = "66666666-7777-4888-9999-aaaaaaaaaaaa";
 * assert.equal(
 *   keyBlobSignedText(c, 2, r, w, "AAAA.BBBB"),
 *   `arca container key v1|${c}|2|${r}|${w}|AAAA.BBBB`,
 * );
 * ```
 */
export function keyBlobSignedText(
  containerId: string,
  version: number,
  recipientId: string,
  writerId: string,
  encryptedKey: string,
): string {
  const fields = [
    parseContainerId(containerId),
    String(parseContainerVersion(version)),
    clientId(recipientId, "Key blob recipient id"),
    clientId(writerId, "Key blob writer_id"),
    encryptedKey,
  ];
  if (typeof encryptedKey !== "string" || !EAK_PATTERN.test(encryptedKey)) {
    throw new ValidationError("Key blob encrypted_key must be b64url(ciphertext).b64url(nonce)");
  }
  return `arca container key v1|${fields.join("|")}`;
}

/**
 * Checks the shape of a key blob from the wire (an object with exactly `writer_id` (UUID),
 * `encrypted_key` (`b64url.b64url`) and `signature` (base64url)) and returns it with a
 * lower-case `writer_id`; throws {@linkcode ValidationError} otherwise. It verifies nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeyBlob } from "./container_key_blob.ts";
 * const blob = parseKeyBlob({
 *   writer_id: "66666666-7777-4888-9999-AAAAAAAAAAAA",
 *   encrypted_key: "AAAA.BBBB",
 *   signature: "CCCC",
 * });
 * assert.equal(blob.writer_id, "66666666-7777-4888-9999-aaaaaaaaaaaa");
 * assert.throws(() => parseKeyBlob({ writer_id: "x" }), /key blob/i);
 * ```
 */
export function parseKeyBlob(value: unknown): KeyBlob {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("A key blob must be an object");
  }
  const blob = value as Record<string, unknown>;
  const extra = Object.keys(blob).filter((k) =>
    !["writer_id", "encrypted_key", "signature"].includes(k)
  );
  if (extra.length > 0) throw new ValidationError(`Key blob has unknown field "${extra[0]}"`);
  const writerId = clientId(blob.writer_id, "Key blob writer_id");
  if (typeof blob.encrypted_key !== "string" || !EAK_PATTERN.test(blob.encrypted_key)) {
    throw new ValidationError("Key blob encrypted_key must be b64url(ciphertext).b64url(nonce)");
  }
  if (typeof blob.signature !== "string" || !B64URL_PATTERN.test(blob.signature)) {
    throw new ValidationError("Key blob signature must be base64url");
  }
  return { writer_id: writerId, encrypted_key: blob.encrypted_key, signature: blob.signature };
}

/**
 * Seals the container key of `keys` to `recipient`, signed by `writer`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openKeyBlob, sealKeyBlob } from "./container_key_blob.ts";
 * import { ContainerKeys } from "./container_keys.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const [wEnc, wSign, rEnc] = [
 *   await suite.generateEncryptionKeyPair(),
 *   await suite.generateSigningKeyPair(),
 *   await suite.generateEncryptionKeyPair(),
 * ];
 * const writerId = crypto.randomUUID();
 * const readerId = crypto.randomUUID();
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const blob = await sealKeyBlob(suite, keys, { id: readerId, publicKey: rEnc.publicKey }, {
 *   id: writerId,
 *   privateKey: wEnc.privateKey,
 *   signingPrivateKey: wSign.privateKey,
 * });
 * const opened = await openKeyBlob(suite, blob, {
 *   containerId: keys.containerId,
 *   version: 1,
 *   recipient: { id: readerId, privateKey: rEnc.privateKey },
 *   writer: { id: writerId, publicKey: wEnc.publicKey, signingKey: wSign.publicKey },
 * });
 * assert.deepEqual(opened.key, keys.key);
 * ```
 */
export async function sealKeyBlob(
  suite: CryptoSuite,
  keys: ContainerKeys,
  recipient: KeyBlobRecipient,
  writer: KeyBlobWriter,
): Promise<KeyBlob> {
  if (!(keys instanceof ContainerKeys)) throw new ValidationError("keys must be ContainerKeys");
  const recipientId = clientId(recipient?.id, "Key blob recipient id");
  const writerId = clientId(writer?.id, "Key blob writer id");
  const encryptedKey = await wrapAccessKey(suite, keys.key, recipient.publicKey, writer.privateKey);
  const signed = keyBlobSignedText(
    keys.containerId,
    keys.version,
    recipientId,
    writerId,
    encryptedKey,
  );
  const signature = await suite.sign(utf8(signed), writer.signingPrivateKey);
  return {
    writer_id: writerId,
    encrypted_key: encryptedKey,
    signature: encodeBase64Url(signature),
  };
}

/**
 * Verifies a key blob and opens its container key. In order: the blob's shape, its `writer_id`
 * against `writer.id`, the signature against the writer's REGISTERED signing key over this
 * container, version and recipient, and only then the box. Every failure is an
 * {@linkcode IntegrityError}; nothing is decrypted past a failed check.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openKeyBlob } from "./container_key_blob.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const id = crypto.randomUUID();
 * const keys = await suite.generateEncryptionKeyPair();
 * await assert.rejects(
 *   openKeyBlob(suite, { writer_id: id, encrypted_key: "AA.AA", signature: "AA" }, {
 *     containerId: crypto.randomUUID(),
 *     version: 1,
 *     recipient: { id, privateKey: keys.privateKey },
 *     writer: { id, publicKey: keys.publicKey, signingKey: new Uint8Array(32) },
 *   }),
 *   { name: "IntegrityError" },
 * );
 * ```
 */
export async function openKeyBlob(
  suite: CryptoSuite,
  blob: unknown,
  input: OpenKeyBlobInput,
): Promise<ContainerKeys> {
  const containerId = parseContainerId(input.containerId);
  const version = parseContainerVersion(input.version);
  const recipientId = clientId(input.recipient?.id, "Key blob recipient id");
  const writerId = clientId(input.writer?.id, "Key blob writer id");
  let parsed: KeyBlob;
  let signature: Uint8Array;
  try {
    parsed = parseKeyBlob(blob);
    signature = decodeBase64Url(parsed.signature, "Key blob signature");
  } catch (error) {
    throw new IntegrityError(`Key blob is malformed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (parsed.writer_id !== writerId) {
    throw new IntegrityError(
      `Key blob names writer ${parsed.writer_id}, but the keys given are ${writerId}'s`,
    );
  }
  const signed = keyBlobSignedText(
    containerId,
    version,
    recipientId,
    writerId,
    parsed.encrypted_key,
  );
  if (!await suite.verify(signature, utf8(signed), input.writer.signingKey)) {
    throw new IntegrityError(
      `Key blob signature does not verify for container ${containerId} version ${version}, ` +
        `recipient ${recipientId}, writer ${writerId}`,
    );
  }
  const key = await unwrapAccessKey(
    suite,
    parsed.encrypted_key,
    input.writer.publicKey,
    input.recipient.privateKey,
  );
  return new ContainerKeys(containerId, version, key);
}
