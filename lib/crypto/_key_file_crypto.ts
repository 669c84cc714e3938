/**
 * The cryptography of a key file, format version 1: the KDF of each suite (Argon2id v1.3 or
 * PBKDF2-HMAC-SHA384), the keys derived from the passphrase master (rescue key, proof), and the
 * suite's AEAD (XChaCha20-Poly1305-IETF or AES-256-GCM) with the key file's associated data.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { aesGcmDecrypt, aesGcmEncrypt, pbkdf2Sha384 } from "./_nist_primitives.ts";
import {
  argon2id,
  chachaPolyDecrypt,
  chachaPolyEncrypt,
  sodiumReady,
} from "./_sodium_primitives.ts";
import { concatBytes, utf8 } from "./encoding.ts";
import { hmacSha256 } from "./hmac.ts";
import type { KeyFileHeader } from "./_key_file_format.ts";
import type { SuiteName } from "./suite.ts";

const KEY_BYTES = 32;
const RESCUE_KEY_LABEL = utf8("arca key file rescue key");
const PROOF_LABEL = utf8("arca key file passphrase proof");

/** Which sealed part of a key file: its associated data is `header ‖ "arca key file <part>"`. */
export type KeyFilePart = "body" | "rescue";

/**
 * The bytes a password or passphrase stands for: `normalize("NFC")`, then UTF-8. An empty or
 * ill-formed (lone surrogate) string is a {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { secretBytes } from "./_key_file_crypto.ts";
 * assert.deepEqual(secretBytes("e\u0301", "Password"), secretBytes("\u00e9", "Password"));
 * ```
 */
export function secretBytes(secret: string, what: string): Uint8Array {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new ValidationError(`${what} must be a non-empty string`);
  }
  if (!secret.isWellFormed()) {
    throw new ValidationError(`${what} is not well-formed Unicode (lone surrogate)`);
  }
  return utf8(secret.normalize("NFC"));
}

/**
 * The 32-byte KDF output of `secret` under the header's suite and costs, with `salt`
 * (the header's password salt or passphrase salt).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveKeyFileKey } from "./_key_file_crypto.ts";
 * const header = {
 *   version: 1 as const, suite: "NIST" as const, costA: 1000, costB: 0,
 *   passwordSalt: new Uint8Array(16), passphraseSalt: new Uint8Array(16),
 * };
 * const key = await deriveKeyFileKey(header, new TextEncoder().encode("pw"), header.passwordSalt);
 * assert.equal(key.length, 32);
 * ```
 */
export async function deriveKeyFileKey(
  header: KeyFileHeader,
  secret: Uint8Array,
  salt: Uint8Array,
): Promise<Uint8Array> {
  if (header.suite === "NIST") return await pbkdf2Sha384(secret, salt, header.costA, KEY_BYTES);
  await sodiumReady();
  return argon2id(secret, salt, header.costA, header.costB, KEY_BYTES);
}

/**
 * The rescue key and the passphrase proof derived from the passphrase master:
 * HMAC-SHA256(master, "arca key file rescue key") and HMAC-SHA256(master, "arca key file
 * passphrase proof").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passphraseKeys } from "./_key_file_crypto.ts";
 * const { rescueKey, proof } = await passphraseKeys(new Uint8Array(32));
 * assert.notDeepEqual(rescueKey, proof);
 * ```
 */
export async function passphraseKeys(
  master: Uint8Array,
): Promise<{ rescueKey: Uint8Array; proof: Uint8Array }> {
  return {
    rescueKey: await hmacSha256(master, RESCUE_KEY_LABEL),
    proof: await hmacSha256(master, PROOF_LABEL),
  };
}

/**
 * Seals one part of a key file with the suite's AEAD, returning `ciphertext ‖ tag`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sealKeyFilePart } from "./_key_file_crypto.ts";
 * const sealed = await sealKeyFilePart("Sodium", "body", new Uint8Array(48), new Uint8Array(32), new Uint8Array(24), new Uint8Array([1]));
 * assert.equal(sealed.length, 17);
 * ```
 */
export async function sealKeyFilePart(
  suite: SuiteName,
  part: KeyFilePart,
  headerBytes: Uint8Array,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const ad = associatedData(headerBytes, part);
  if (suite === "NIST") return await aesGcmEncrypt(key, nonce, plaintext, ad);
  await sodiumReady();
  return chachaPolyEncrypt("xchacha20", plaintext, ad, nonce, key);
}

/**
 * Opens one part of a key file; a wrong key or altered bytes are an {@linkcode IntegrityError}
 * and nothing is returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openKeyFilePart, sealKeyFilePart } from "./_key_file_crypto.ts";
 * const args = ["NIST", "rescue", new Uint8Array(48), new Uint8Array(32), new Uint8Array(12)] as const;
 * const sealed = await sealKeyFilePart(...args, new Uint8Array([7]));
 * assert.deepEqual(await openKeyFilePart(...args, sealed), new Uint8Array([7]));
 * ```
 */
export async function openKeyFilePart(
  suite: SuiteName,
  part: KeyFilePart,
  headerBytes: Uint8Array,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  const ad = associatedData(headerBytes, part);
  try {
    if (suite === "NIST") return await aesGcmDecrypt(key, nonce, sealed, ad);
    await sodiumReady();
    return chachaPolyDecrypt("xchacha20", sealed, ad, nonce, key);
  } catch (error) {
    if (!(error instanceof IntegrityError)) throw error;
    const secret = part === "body" ? "wrong password" : "wrong passphrase";
    throw new IntegrityError(`key file: ${secret}, or the key file was altered (${part})`, {
      cause: error,
    });
  }
}

/**
 * SHA-256 of `bytes` (32 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256 } from "./_key_file_crypto.ts";
 * assert.equal((await sha256(new Uint8Array())).length, 32);
 * ```
 */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
}

function associatedData(headerBytes: Uint8Array, part: KeyFilePart): Uint8Array {
  return concatBytes(headerBytes, utf8(`arca key file ${part}`));
}
