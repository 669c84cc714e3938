/**
 * Key files, format version 1: a user's credentials sealed under a key derived from the
 * password, plus a *rescue* (the password sealed under a key derived from the passphrase).
 * docs/users.md ("Key file format (version 1)") documents every byte.
 *
 * * Sodium: Argon2id v1.3 and XChaCha20-Poly1305-IETF; NIST: PBKDF2-HMAC-SHA384 and AES-256-GCM.
 * * The server keeps the key file, its checksum and the passphrase verifier (SHA-256 of the
 *   passphrase proof); a client that proves the passphrase downloads the key file.
 * * KDF costs come from the header; a header below the caller's minimum (default: the creation
 *   defaults) is refused before anything is derived.
 * * Malformed or altered key files, a wrong password and a wrong passphrase are an
 *   `IntegrityError`; caller mistakes (an empty password, a bad option) a `ValidationError`.
 *
 * @module
 */
import { IntegrityError } from "../errors.ts";
import { randomBytes, requireBytes, requireUint8Array } from "./bytes.ts";
import { encodeHex, fromUtf8 } from "./encoding.ts";
import {
  encodeKeyFileHeader,
  KEY_FILE_SALT_BYTES,
  type KeyFileHeader,
  type KeyFileKdf,
  keyFileNonceBytes,
  type KeyFileParts,
  requireMinimumCost,
  splitKeyFile,
} from "./_key_file_format.ts";
import {
  deriveKeyFileKey,
  type KeyFilePart,
  openKeyFilePart,
  passphraseKeys,
  secretBytes,
  sha256,
} from "./_key_file_crypto.ts";
import { type KeyFileSealInput, type SealedKeyFile, sealKeyFileWith } from "./_key_file_seal.ts";
import type { SuiteName } from "./suite.ts";

export { KEY_FILE_HEADER_BYTES, parseKeyFileHeader, splitKeyFile } from "./_key_file_format.ts";
export type { KeyFileParts } from "./_key_file_format.ts";
export type { KeyFileHeader, KeyFileKdf, KeyFileSealInput, SealedKeyFile };

/** The suite of a key file: the cipher suite's name (`"Sodium"` or `"NIST"`). */
export type KeyFileSuite = SuiteName;

/**
 * Seals a new key file with random salts and nonces. Returns the key file, the passphrase
 * verifier (what the server stores) and the checksum. Two KDF runs at the creation cost
 * (`kdf`, default Argon2id 3 passes / 256 MiB or PBKDF2 600,000 iterations).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openKeyFile, sealKeyFile } from "./key_file.ts";
 * const kdf = { opslimit: 1, memlimit: 8 * 1024 * 1024 };
 * const { keyFile, checksum } = await sealKeyFile({
 *   suite: "Sodium", credentials: '{"version":"2"}', password: "Pass-word-1",
 *   passphrase: "a long passphrase", kdf,
 * });
 * assert.equal(checksum.length, 64);
 * assert.equal(await openKeyFile(keyFile, "Pass-word-1", kdf), '{"version":"2"}');
 * ```
 */
export async function sealKeyFile(input: KeyFileSealInput): Promise<SealedKeyFile> {
  const nonceBytes = keyFileNonceBytes(input?.suite);
  return await sealKeyFileWith(input, {
    passwordSalt: randomBytes(KEY_FILE_SALT_BYTES),
    passphraseSalt: randomBytes(KEY_FILE_SALT_BYTES),
    bodyNonce: randomBytes(nonceBytes),
    rescueNonce: randomBytes(nonceBytes),
  });
}

/**
 * Opens a key file with the password and returns the credential JSON text. The header's cost
 * must reach `minimum` (default: the creation defaults). A wrong password or an altered or
 * malformed key file is an {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntegrityError } from "../errors.ts";
 * import { openKeyFile, sealKeyFile } from "./key_file.ts";
 * const kdf = { iterations: 1000 };
 * const { keyFile } = await sealKeyFile({
 *   suite: "NIST", credentials: "{}", password: "Pass-word-1", passphrase: "pp", kdf,
 * });
 * assert.equal(await openKeyFile(keyFile, "Pass-word-1", kdf), "{}");
 * await assert.rejects(openKeyFile(keyFile, "wrong", kdf), IntegrityError);
 * await assert.rejects(openKeyFile(keyFile, "Pass-word-1"), IntegrityError); // below 600,000
 * ```
 */
export async function openKeyFile(
  keyFile: Uint8Array,
  password: string,
  minimum?: KeyFileKdf,
): Promise<string> {
  requireUint8Array(keyFile, "Key file");
  const secret = secretBytes(password, "Password");
  const parts = splitKeyFile(keyFile);
  requireMinimumCost(parts.header, minimum);
  const key = await deriveKeyFileKey(parts.header, secret, parts.header.passwordSalt);
  return await openText(parts, "body", key);
}

/**
 * The passphrase proof (32 bytes) for a key file's header: what a client sends to download
 * the key file without a session. The header's cost must reach `minimum` (default: the
 * creation defaults), else {@linkcode IntegrityError}, before anything is derived.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeyFileHeader, passphraseProof, sealKeyFile, verifierOfProof } from "./key_file.ts";
 * const kdf = { iterations: 1000 };
 * const { keyFile, verifier } = await sealKeyFile({
 *   suite: "NIST", credentials: "{}", password: "pw", passphrase: "my passphrase", kdf,
 * });
 * const proof = await passphraseProof(parseKeyFileHeader(keyFile), "my passphrase", kdf);
 * assert.deepEqual(await verifierOfProof(proof), verifier);
 * ```
 */
export async function passphraseProof(
  header: KeyFileHeader,
  passphrase: string,
  minimum?: KeyFileKdf,
): Promise<Uint8Array> {
  encodeKeyFileHeader(header); // validates the header object
  const secret = secretBytes(passphrase, "Passphrase");
  requireMinimumCost(header, minimum);
  const master = await deriveKeyFileKey(header, secret, header.passphraseSalt);
  return (await passphraseKeys(master)).proof;
}

/**
 * Recovers the password from a key file's rescue with the passphrase. The header's cost must
 * reach `minimum`. A wrong passphrase or an altered or malformed key file is an
 * {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recoverPassword, sealKeyFile } from "./key_file.ts";
 * const kdf = { opslimit: 1, memlimit: 8 * 1024 * 1024 };
 * const { keyFile } = await sealKeyFile({
 *   suite: "Sodium", credentials: "{}", password: "Pass-word-1", passphrase: "my passphrase", kdf,
 * });
 * assert.equal(await recoverPassword(keyFile, "my passphrase", kdf), "Pass-word-1");
 * ```
 */
export async function recoverPassword(
  keyFile: Uint8Array,
  passphrase: string,
  minimum?: KeyFileKdf,
): Promise<string> {
  requireUint8Array(keyFile, "Key file");
  const secret = secretBytes(passphrase, "Passphrase");
  const parts = splitKeyFile(keyFile);
  requireMinimumCost(parts.header, minimum);
  const master = await deriveKeyFileKey(parts.header, secret, parts.header.passphraseSalt);
  return await openText(parts, "rescue", (await passphraseKeys(master)).rescueKey);
}

/**
 * The passphrase verifier the server stores: SHA-256 of the 32-byte proof.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifierOfProof } from "./key_file.ts";
 * assert.equal((await verifierOfProof(new Uint8Array(32))).length, 32);
 * ```
 */
export async function verifierOfProof(proof: Uint8Array): Promise<Uint8Array> {
  requireBytes(proof, 32, "Passphrase proof");
  return await sha256(proof);
}

/**
 * The checksum of a key file: lower-case hex SHA-256 of all its bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileChecksum } from "./key_file.ts";
 * assert.equal(
 *   await keyFileChecksum(new Uint8Array()),
 *   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 */
export async function keyFileChecksum(keyFile: Uint8Array): Promise<string> {
  requireUint8Array(keyFile, "Key file");
  return encodeHex(await sha256(keyFile));
}

async function openText(
  parts: KeyFileParts,
  part: KeyFilePart,
  key: Uint8Array,
): Promise<string> {
  const nonce = part === "body" ? parts.bodyNonce : parts.rescueNonce;
  const sealed = part === "body" ? parts.body : parts.rescue;
  const plain = await openKeyFilePart(
    parts.header.suite,
    part,
    parts.headerBytes,
    key,
    nonce,
    sealed,
  );
  try {
    return fromUtf8(plain, `Key file ${part}`);
  } catch (error) {
    throw new IntegrityError(`key file: the ${part} is not UTF-8 text`, { cause: error });
  }
}
