/**
 * The raw libsodium primitives beneath the Sodium suite, exposed for conformance testing against
 * Wycheproof (X25519, ChaCha20-Poly1305 and XChaCha20-Poly1305 AEAD) and for the key file
 * (XChaCha20-Poly1305 AEAD, Argon2id on password bytes). Not part of the SDK surface.
 *
 * @module
 */
import sodium from "libsodium-wrappers-sumo";
import { IntegrityError, ValidationError } from "../errors.ts";
import { requireBytes, requireUint8Array } from "./bytes.ts";

const X25519_BYTES = 32;
const CHACHA_KEY_BYTES = 32;
const NONCE_BYTES: Record<ChaChaVariant, number> = { chacha20: 12, xchacha20: 24 };

/** Loads libsodium's WebAssembly. */
export async function sodiumReady(): Promise<void> {
  await sodium.ready;
}

/** X25519 scalar multiplication; libsodium refuses an all-zero (low-order) result. */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  requireBytes(privateKey, X25519_BYTES, "X25519 private key");
  requireBytes(publicKey, X25519_BYTES, "X25519 public key");
  try {
    return sodium.crypto_scalarmult(privateKey, publicKey);
  } catch {
    throw new ValidationError("X25519 public key is a low-order point");
  }
}

/** Which IETF AEAD to open: 12-byte nonce ChaCha20 or 24-byte nonce XChaCha20. */
export type ChaChaVariant = "chacha20" | "xchacha20";

/** Opens `ciphertext‖tag` with associated data; throws {@linkcode IntegrityError} on failure. */
export function chachaPolyDecrypt(
  variant: ChaChaVariant,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  requireAeadInputs(variant, ciphertextAndTag, aad, nonce, key, "Ciphertext");
  try {
    return variant === "chacha20"
      ? sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, ciphertextAndTag, aad, nonce, key)
      : sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertextAndTag, aad, nonce, key);
  } catch {
    throw new IntegrityError(`${variant}-Poly1305 ciphertext failed authentication`);
  }
}

/** Seals `msg` with associated data, returning `ciphertext‖tag`. */
export function chachaPolyEncrypt(
  variant: ChaChaVariant,
  message: Uint8Array,
  aad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  requireAeadInputs(variant, message, aad, nonce, key, "Message");
  return variant === "chacha20"
    ? sodium.crypto_aead_chacha20poly1305_ietf_encrypt(message, aad, null, nonce, key)
    : sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, aad, null, nonce, key);
}

function requireAeadInputs(
  variant: ChaChaVariant,
  text: Uint8Array,
  aad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
  textName: string,
): void {
  if (variant !== "chacha20" && variant !== "xchacha20") {
    throw new ValidationError(`ChaCha variant must be "chacha20" or "xchacha20", got "${variant}"`);
  }
  requireUint8Array(text, `${variant}-Poly1305 ${textName.toLowerCase()}`);
  requireUint8Array(aad, `${variant}-Poly1305 associated data`);
  requireBytes(nonce, NONCE_BYTES[variant], `${variant}-Poly1305 nonce`);
  requireBytes(key, CHACHA_KEY_BYTES, `${variant}-Poly1305 key`);
}

/** Argon2id's bounds in libsodium: passes and memory in bytes. */
const ARGON2_MIN_OPS = 1;
const ARGON2_MIN_MEMORY = 8192;
const ARGON2_SALT_BYTES = 16;

/**
 * Argon2id v1.3 (libsodium `crypto_pwhash` with `ALG_ARGON2ID13`) of password BYTES: `length`
 * bytes from `password`, a 16-byte `salt`, `opslimit` passes and `memlimit` bytes of memory.
 * Call {@linkcode sodiumReady} first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argon2id, sodiumReady } from "./_sodium_primitives.ts";
 * await sodiumReady();
 * const key = argon2id(new TextEncoder().encode("pw"), new Uint8Array(16), 1, 8192 * 1024, 32);
 * assert.equal(key.length, 32);
 * ```
 */
export function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  opslimit: number,
  memlimit: number,
  length: number,
): Uint8Array {
  requireUint8Array(password, "Argon2id password");
  requireBytes(salt, ARGON2_SALT_BYTES, "Argon2id salt");
  if (!Number.isSafeInteger(opslimit) || opslimit < ARGON2_MIN_OPS) {
    throw new ValidationError(`Argon2id ops limit must be ≥ ${ARGON2_MIN_OPS}, got ${opslimit}`);
  }
  if (!Number.isSafeInteger(memlimit) || memlimit < ARGON2_MIN_MEMORY) {
    throw new ValidationError(
      `Argon2id memory must be ≥ ${ARGON2_MIN_MEMORY} bytes, got ${memlimit}`,
    );
  }
  if (!Number.isSafeInteger(length) || length < 16 || length > 64) {
    throw new ValidationError(`Argon2id output must be 16 to 64 bytes, got ${length}`);
  }
  return sodium.crypto_pwhash(
    length,
    password,
    salt,
    opslimit,
    memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
}
