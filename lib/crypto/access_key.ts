/**
 * Encrypted access keys (EAKs): an access key boxed from an authorizer to a reader, serialised
 * `b64url(ciphertext).b64url(nonce)` — ciphertext first.
 *
 * @module
 */
import { IntegrityError } from "../errors.ts";
import { requireBytes } from "./bytes.ts";
import { decodeBase64Url, encodeBase64Url } from "./encoding.ts";
import type { CryptoSuite } from "./suite.ts";

/**
 * Wraps an access key for a reader, authored by `authorizerPrivateKey`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unwrapAccessKey, wrapAccessKey } from "./access_key.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const writer = await suite.generateEncryptionKeyPair();
 * const reader = await suite.generateEncryptionKeyPair();
 * const ak = suite.randomBytes(32);
 * const eak = await wrapAccessKey(suite, ak, reader.publicKey, writer.privateKey);
 * const opened = await unwrapAccessKey(suite, eak, writer.publicKey, reader.privateKey);
 * assert.equal(opened.length, 32);
 * ```
 */
export async function wrapAccessKey(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  readerPublicKey: Uint8Array,
  authorizerPrivateKey: Uint8Array,
  fixedNonce?: Uint8Array,
): Promise<string> {
  requireBytes(accessKey, suite.keyBytes, "Access key");
  const nonce = fixedNonce ?? suite.randomBytes(suite.nonceBytes);
  const ciphertext = await suite.boxEncrypt(
    accessKey,
    nonce,
    readerPublicKey,
    authorizerPrivateKey,
  );
  return `${encodeBase64Url(ciphertext)}.${encodeBase64Url(nonce)}`;
}

/**
 * Opens an EAK with the reader's private key and the authorizer's public key. A malformed EAK,
 * a failed MAC or a key of the wrong length throw {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unwrapAccessKey } from "./access_key.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateEncryptionKeyPair();
 * await assert.rejects(
 *   unwrapAccessKey(suite, "bad", keys.publicKey, keys.privateKey),
 *   { name: "IntegrityError" },
 * );
 * ```
 */
export async function unwrapAccessKey(
  suite: CryptoSuite,
  eak: string,
  authorizerPublicKey: Uint8Array,
  readerPrivateKey: Uint8Array,
): Promise<Uint8Array> {
  if (typeof eak !== "string") throw new IntegrityError("Encrypted access key must be a string");
  const parts = eak.split(".");
  if (parts.length !== 2) {
    throw new IntegrityError(`Encrypted access key must have 2 parts, got ${parts.length}`);
  }
  let ciphertext: Uint8Array;
  let nonce: Uint8Array;
  try {
    ciphertext = decodeBase64Url(parts[0]!, "Encrypted access key");
    nonce = decodeBase64Url(parts[1]!, "Encrypted access key nonce");
  } catch (error) {
    throw new IntegrityError("Encrypted access key is not valid base64url", { cause: error });
  }
  if (nonce.length !== suite.nonceBytes) {
    throw new IntegrityError(`Encrypted access key nonce must be ${suite.nonceBytes} bytes`);
  }
  const accessKey = await suite.boxDecrypt(
    ciphertext,
    nonce,
    authorizerPublicKey,
    readerPrivateKey,
  );
  if (accessKey.length !== suite.keyBytes) {
    throw new IntegrityError(`Decrypted access key must be ${suite.keyBytes} bytes`);
  }
  return accessKey;
}
