/**
 * Sealing a key file from given salts and nonces: the deterministic core of `sealKeyFile`
 * (which draws them at random), kept private so that only tests reproducing vectors inject them.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { requireBytes } from "./bytes.ts";
import { encodeHex, utf8 } from "./encoding.ts";
import {
  creationCost,
  encodeKeyFileHeader,
  joinKeyFile,
  KEY_FILE_SALT_BYTES,
  type KeyFileHeader,
  type KeyFileKdf,
  keyFileNonceBytes,
} from "./_key_file_format.ts";
import {
  deriveKeyFileKey,
  passphraseKeys,
  sealKeyFilePart,
  secretBytes,
  sha256,
} from "./_key_file_crypto.ts";
import type { SuiteName } from "./suite.ts";

/** What a key file is sealed from. */
export interface KeyFileSealInput {
  /** The suite whose KDF and AEAD seal the file. */
  suite: SuiteName;
  /** The body plaintext: the credential JSON text. */
  credentials: string;
  /** The password (its key seals the body). */
  password: string;
  /** The passphrase (its key seals the rescue; its proof opens the server copy). */
  passphrase: string;
  /** Creation costs; defaults Argon2id 3 passes / 256 MiB, PBKDF2 600,000 iterations. */
  kdf?: KeyFileKdf;
}

/** The random inputs of a seal: two 16-byte salts and two nonces of the suite's length. */
export interface KeyFileSealRandomness {
  passwordSalt: Uint8Array;
  passphraseSalt: Uint8Array;
  bodyNonce: Uint8Array;
  rescueNonce: Uint8Array;
}

/** A sealed key file with the passphrase verifier and the checksum the server keeps. */
export interface SealedKeyFile {
  /** The key file bytes. */
  keyFile: Uint8Array;
  /** SHA-256 of the passphrase proof (32 bytes). */
  verifier: Uint8Array;
  /** Lower-case hex SHA-256 of the key file. */
  checksum: string;
}

/**
 * Seals a key file with the given salts and nonces (for test vectors; `sealKeyFile` in
 * `key_file.ts` draws them at random). Caller mistakes are a {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sealKeyFileWith } from "./_key_file_seal.ts";
 * const sealed = await sealKeyFileWith(
 *   { suite: "NIST", credentials: "{}", password: "pw", passphrase: "pp", kdf: { iterations: 1000 } },
 *   {
 *     passwordSalt: new Uint8Array(16), passphraseSalt: new Uint8Array(16).fill(1),
 *     bodyNonce: new Uint8Array(12).fill(2), rescueNonce: new Uint8Array(12).fill(3),
 *   },
 * );
 * assert.equal(sealed.keyFile.length, 48 + 4 + 12 + 18 + 12 + 18);
 * ```
 */
export async function sealKeyFileWith(
  input: KeyFileSealInput,
  randomness: KeyFileSealRandomness,
): Promise<SealedKeyFile> {
  if (typeof input !== "object" || input === null) {
    throw new ValidationError("Key file seal input must be an object");
  }
  const { suite, credentials } = input;
  if (typeof credentials !== "string" || credentials.length === 0) {
    throw new ValidationError("Key file credentials must be a non-empty string");
  }
  const password = secretBytes(input.password, "Password");
  const passphrase = secretBytes(input.passphrase, "Passphrase");
  const cost = creationCost(suite, input.kdf);
  requireRandomness(suite, randomness);
  const header: KeyFileHeader = {
    version: 1,
    suite,
    ...cost,
    passwordSalt: randomness.passwordSalt,
    passphraseSalt: randomness.passphraseSalt,
  };
  const headerBytes = encodeKeyFileHeader(header);

  const passwordKey = await deriveKeyFileKey(header, password, header.passwordSalt);
  const master = await deriveKeyFileKey(header, passphrase, header.passphraseSalt);
  const { rescueKey, proof } = await passphraseKeys(master);
  const body = await sealKeyFilePart(
    suite,
    "body",
    headerBytes,
    passwordKey,
    randomness.bodyNonce,
    utf8(credentials),
  );
  const rescue = await sealKeyFilePart(
    suite,
    "rescue",
    headerBytes,
    rescueKey,
    randomness.rescueNonce,
    password,
  );
  const keyFile = joinKeyFile(
    headerBytes,
    randomness.bodyNonce,
    body,
    randomness.rescueNonce,
    rescue,
  );
  return { keyFile, verifier: await sha256(proof), checksum: encodeHex(await sha256(keyFile)) };
}

function requireRandomness(suite: SuiteName, randomness: KeyFileSealRandomness): void {
  if (typeof randomness !== "object" || randomness === null) {
    throw new ValidationError("Key file seal randomness must be an object");
  }
  const nonceBytes = keyFileNonceBytes(suite);
  requireBytes(randomness.passwordSalt, KEY_FILE_SALT_BYTES, "Key file password salt");
  requireBytes(randomness.passphraseSalt, KEY_FILE_SALT_BYTES, "Key file passphrase salt");
  requireBytes(randomness.bodyNonce, nonceBytes, "Key file body nonce");
  requireBytes(randomness.rescueNonce, nonceBytes, "Key file rescue nonce");
}
