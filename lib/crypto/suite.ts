/**
 * The cipher-suite abstraction. Everything above `lib/crypto` speaks to primitives only through a
 * {@linkcode CryptoSuite}; the two implementations are `sodium.ts` (default) and `nist.ts`.
 *
 * Key material is passed around as raw bytes in the suite's native form:
 * - Sodium: X25519 keys 32 bytes; Ed25519 public 32 bytes, private 64 bytes (libsodium seed‖pk).
 * - NIST: public keys as SPKI DER, private keys as PKCS#8 DER (P-384, for ECDH and ECDSA alike).
 *
 * @module
 */

/** The name of a cipher suite, as E3DB users know it (`CRYPTO_SUITE=NIST`). */
export type SuiteName = "Sodium" | "NIST";

/** A public/private key pair in the suite's native byte form. */
export interface KeyPair {
  /** Public key bytes (X25519/Ed25519 raw 32 bytes, or P-384 SPKI DER). */
  publicKey: Uint8Array;
  /** Private key bytes (X25519 32 bytes, Ed25519 64 bytes, or P-384 PKCS#8 DER). */
  privateKey: Uint8Array;
}

/** Pushes chunks into an authenticated chunked stream (secretstream or its NIST analogue). */
export interface StreamPusher {
  /** The stream header to write before the first chunk. */
  readonly header: Uint8Array;
  /** Encrypts one chunk; `final` marks the last one. */
  push(chunk: Uint8Array, final: boolean): Promise<Uint8Array>;
}

/** Pulls chunks from an authenticated chunked stream. */
export interface StreamPuller {
  /** Decrypts one chunk; throws `IntegrityError` when it does not authenticate. */
  pull(chunk: Uint8Array): Promise<{ message: Uint8Array; final: boolean }>;
}

/** Parameters of a password-based key derivation, stored beside what it protects. */
export interface PasswordKdfParams {
  /** `argon2id` (Sodium) or `pbkdf2-sha384` (NIST). */
  algorithm: "argon2id" | "pbkdf2-sha384";
  /** Random salt, base64url. */
  salt: string;
  /** Argon2id ops limit or PBKDF2 iteration count. */
  iterations: number;
  /** Argon2id memory limit in bytes (0 for PBKDF2). */
  memory: number;
}

/** One cipher suite: every primitive Arca uses, behind one shape. */
export interface CryptoSuite {
  /** `Sodium` or `NIST`. */
  readonly name: SuiteName;
  /** JSON key name of an encryption public key on the wire: `curve25519` or `p384`. */
  readonly publicKeyType: "curve25519" | "p384";
  /** JSON key name of a signing public key on the wire: `ed25519` or `p384`. */
  readonly signingKeyType: "ed25519" | "p384";
  /** Symmetric key length in bytes (32 for both suites). */
  readonly keyBytes: number;
  /** Symmetric and asymmetric nonce length in bytes (24 Sodium, 12 NIST). */
  readonly nonceBytes: number;
  /** Authenticated stream chunk overhead in bytes (17 Sodium secretstream, 16 NIST). */
  readonly streamChunkOverhead: number;
  /** Stream header length in bytes. */
  readonly streamHeaderBytes: number;
  /** Nonce length of {@linkcode aeadSeal} (24 XChaCha20-Poly1305, 12 AES-256-GCM). */
  readonly aeadNonceBytes: number;
  /** Authentication tag length of {@linkcode aeadSeal} (16 for both suites). */
  readonly aeadTagBytes: number;

  /** Random bytes from `crypto.getRandomValues`. */
  randomBytes(length: number): Uint8Array;

  /** A fresh encryption key pair (X25519 or P-384 ECDH). */
  generateEncryptionKeyPair(): Promise<KeyPair>;
  /** A fresh signing key pair (Ed25519 or P-384 ECDSA). */
  generateSigningKeyPair(): Promise<KeyPair>;
  /** An encryption key pair derived deterministically from a 32-byte seed. */
  encryptionKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair>;
  /** A signing key pair derived deterministically from a 32-byte seed. */
  signingKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair>;

  /** Wire text of a public key (b64url raw, or b64url of PEM for NIST). */
  encodePublicKey(key: Uint8Array): string;
  /** Parses the wire text of a public key, validating it. */
  decodePublicKey(text: string): Uint8Array;
  /** Wire text of a private key. */
  encodePrivateKey(key: Uint8Array): string;
  /** Parses the wire text of a private key, validating it. */
  decodePrivateKey(text: string): Uint8Array;

  /** Symmetric AEAD: secretbox (MAC‖ct) or AES-256-GCM (ct‖tag). */
  secretEncrypt(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Promise<Uint8Array>;
  /** Opens {@linkcode secretEncrypt} output; throws `IntegrityError` on a bad MAC. */
  secretDecrypt(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Promise<Uint8Array>;

  /**
   * AEAD with associated data under a 32-byte key and a fresh random nonce: XChaCha20-Poly1305-IETF
   * (24-byte nonce) or AES-256-GCM (12-byte nonce). Returns `nonce ‖ ciphertext ‖ 16-byte tag`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { getSuite } from "./suites.ts";
   * const suite = await getSuite("NIST");
   * const key = suite.randomBytes(32);
   * const ad = new TextEncoder().encode("bound to this");
   * const sealed = await suite.aeadSeal(key, new Uint8Array([1, 2]), ad);
   * assert.equal(sealed.length, suite.aeadNonceBytes + 2 + suite.aeadTagBytes);
   * assert.deepEqual(await suite.aeadOpen(key, sealed, ad), new Uint8Array([1, 2]));
   * await assert.rejects(suite.aeadOpen(key, sealed, new Uint8Array()), /authentication/);
   * ```
   */
  aeadSeal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Promise<Uint8Array>;
  /**
   * Opens {@linkcode aeadSeal} output under the same key and associated data; throws
   * `IntegrityError` when it is too short or does not authenticate.
   */
  aeadOpen(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Promise<Uint8Array>;

  /** Public-key AEAD: crypto_box, or ECDH P-384 → HKDF-SHA384 → AES-256-GCM. */
  boxEncrypt(
    plaintext: Uint8Array,
    nonce: Uint8Array,
    recipientPublicKey: Uint8Array,
    senderPrivateKey: Uint8Array,
  ): Promise<Uint8Array>;
  /** Opens {@linkcode boxEncrypt} output; throws `IntegrityError` on a bad MAC. */
  boxDecrypt(
    ciphertext: Uint8Array,
    nonce: Uint8Array,
    senderPublicKey: Uint8Array,
    recipientPrivateKey: Uint8Array,
  ): Promise<Uint8Array>;

  /** Detached signature (Ed25519, or ECDSA P-384/SHA-384 in IEEE P1363 form). */
  sign(message: Uint8Array, privateKey: Uint8Array): Promise<Uint8Array>;
  /** Verifies a detached signature; false (never a throw) for a wrong or malformed signature. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
  /** The suite's hash: BLAKE2b-256 or SHA-384. */
  hash(message: Uint8Array): Promise<Uint8Array>;

  /** Derives a 32-byte key from a password (Argon2id or PBKDF2-SHA384 ≥ 600,000 iterations). */
  deriveKeyFromPassword(password: string, params: PasswordKdfParams): Promise<Uint8Array>;
  /** Fresh KDF parameters (random salt, the suite's default cost). */
  newPasswordKdfParams(): PasswordKdfParams;

  /** Starts an encrypting chunk stream under a 32-byte key. */
  streamPush(key: Uint8Array): Promise<StreamPusher>;
  /** Starts a decrypting chunk stream from its header. */
  streamPull(header: Uint8Array, key: Uint8Array): Promise<StreamPuller>;
}
