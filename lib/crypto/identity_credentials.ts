/**
 * Password-derived identity ("note") credentials, as E3DB identity login derives them:
 *
 * ```
 * name_seed    = lower(username) + "@realm:" + realmName       // realm name kept as given
 * note_name    = b64url(hash(utf8(name_seed)))                 // BLAKE2b-256 (Sodium), SHA-384 (NIST)
 * enc seed     = PBKDF2-HMAC-SHA512(password, name_seed, 10000, 32 bytes)
 * encryption   = suite.encryptionKeyPairFromSeed(enc seed)
 * signing_salt = encodePublicKey(enc pk) + encodePrivateKey(enc sk)
 * sign seed    = PBKDF2-HMAC-SHA512(password, signing_salt, 10000, 32 bytes)
 * signing      = suite.signingKeyPairFromSeed(sign seed)
 * ```
 *
 * Strings are UTF-8. For Sodium this is E3DB's derivation exactly. For NIST, Arca applies the same
 * construction with the suite's hash, seeded P-384 key pairs and key texts (b64url of PEM), so NIST
 * credentials differ from Sodium ones for the same password.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { encodeBase64Url, utf8 } from "./encoding.ts";
import type { CryptoSuite, KeyPair } from "./suite.ts";

/** PBKDF2-HMAC-SHA512 iterations of identity derivation (E3DB's `IDENTITY_DERIVATION_ROUNDS`). */
export const IDENTITY_DERIVATION_ITERATIONS = 10000;

/** Credentials derived from a username, password and realm. */
export interface NoteCredentials {
  /** `lower(username) + "@realm:" + realmName`. */
  nameSeed: string;
  /** The `id_string` of the identity's credential note. */
  noteName: string;
  /** The derived encryption key pair. */
  encryptionKeys: KeyPair;
  /** The derived signing key pair. */
  signingKeys: KeyPair;
}

async function pbkdf2Sha512(password: string, salt: string): Promise<Uint8Array> {
  // Copies give Web Crypto the plain ArrayBuffer-backed views it is typed for.
  const key = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(utf8(password)),
    "PBKDF2",
    false,
    [
      "deriveBits",
    ],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: "PBKDF2",
      hash: "SHA-512",
      salt: new Uint8Array(utf8(salt)),
      iterations: IDENTITY_DERIVATION_ITERATIONS,
    },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function requireNonEmpty(value: string, what: string): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`${what} must be a non-empty string`);
  }
}

/**
 * The name of an identity's credential note: `b64url(hash(lower(username) + "@realm:" +
 * realmName))`. It needs no password, so the server can reserve it when the identity is
 * registered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { credentialNoteName, deriveNoteCredentials } from "./identity_credentials.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const creds = await deriveNoteCredentials(suite, "Alice", "secret", "ArcaRealm");
 * assert.equal(await credentialNoteName(suite, "alice", "ArcaRealm"), creds.noteName);
 * ```
 */
export async function credentialNoteName(
  suite: CryptoSuite,
  username: string,
  realmName: string,
): Promise<string> {
  requireNonEmpty(username, "Username");
  requireNonEmpty(realmName, "Realm name");
  return encodeBase64Url(await suite.hash(utf8(`${username.toLowerCase()}@realm:${realmName}`)));
}

/**
 * Derives the note name and the encryption and signing key pairs of an identity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveNoteCredentials } from "./identity_credentials.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const creds = await deriveNoteCredentials(await sodiumSuite(), "alice", "secret", "ArcaRealm");
 * assert.equal(creds.nameSeed, "alice@realm:ArcaRealm");
 * ```
 */
export async function deriveNoteCredentials(
  suite: CryptoSuite,
  username: string,
  password: string,
  realmName: string,
): Promise<NoteCredentials> {
  requireNonEmpty(username, "Username");
  requireNonEmpty(password, "Password");
  requireNonEmpty(realmName, "Realm name");
  const nameSeed = `${username.toLowerCase()}@realm:${realmName}`;
  const noteName = await credentialNoteName(suite, username, realmName);
  const encryptionKeys = await suite.encryptionKeyPairFromSeed(
    await pbkdf2Sha512(password, nameSeed),
  );
  const signingSalt = suite.encodePublicKey(encryptionKeys.publicKey) +
    suite.encodePrivateKey(encryptionKeys.privateKey);
  const signingKeys = await suite.signingKeyPairFromSeed(await pbkdf2Sha512(password, signingSalt));
  return { nameSeed, noteName, encryptionKeys, signingKeys };
}
