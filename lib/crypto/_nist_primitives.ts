/**
 * The Web Crypto primitives beneath the NIST suite: AES-GCM, HKDF-SHA384, ECDH and ECDSA on
 * P-384, SHA-384 and PBKDF2-SHA384. Keys enter as bytes (SPKI / PKCS#8 DER, validated by
 * `_p384_keys.ts`, imported with the first P-384 key so that AES-GCM, HKDF and PBKDF2 alone — a
 * Sodium client's key files — never load @noble/curves); every failure is an Arca error. Exposed
 * for the suite and for conformance tests against Wycheproof; not part of the SDK surface.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { requireByteLengths, requireUint8Array } from "./bytes.ts";

const EMPTY = new Uint8Array(0);
/** The largest HKDF-SHA384 output, 255 hash lengths (RFC 5869). */
const HKDF_MAX_BYTES = 255 * 48;
const GCM_TAG_BYTES = 16;

type Bytes = Uint8Array<ArrayBuffer>;

/** Web Crypto wants ArrayBuffer-backed views; copy the rare SharedArrayBuffer-backed one. */
function buffer(bytes: Uint8Array): Bytes {
  return bytes.buffer instanceof ArrayBuffer ? bytes as Bytes : new Uint8Array(bytes);
}

/**
 * Imports an AES key (16, 24 or 32 bytes) for AES-GCM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importAesGcmKey } from "./_nist_primitives.ts";
 * const key = await importAesGcmKey(new Uint8Array(32));
 * assert.equal(key.algorithm.name, "AES-GCM");
 * ```
 */
export function importAesGcmKey(key: Uint8Array): Promise<CryptoKey> {
  requireByteLengths(key, [16, 24, 32], "AES key");
  return crypto.subtle.importKey("raw", buffer(key), "AES-GCM", false, ["encrypt", "decrypt"]);
}

function requireIv(iv: Uint8Array): void {
  // The IV sizes Deno's Web Crypto implements; the NIST suite itself always uses 12.
  requireByteLengths(iv, [12, 16], "AES-GCM IV");
}

/**
 * AES-GCM encryption under an imported key, returning `ciphertext ‖ 16-byte tag`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aesGcmSeal, importAesGcmKey } from "./_nist_primitives.ts";
 * const key = await importAesGcmKey(new Uint8Array(32));
 * const sealed = await aesGcmSeal(key, new Uint8Array(12), new Uint8Array([1, 2, 3]));
 * assert.equal(sealed.length, 19);
 * ```
 */
export async function aesGcmSeal(
  key: CryptoKey,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = EMPTY,
): Promise<Uint8Array> {
  requireIv(iv);
  requireUint8Array(plaintext, "Plaintext");
  requireUint8Array(aad, "Associated data");
  const params = { name: "AES-GCM", iv: buffer(iv), additionalData: buffer(aad), tagLength: 128 };
  return new Uint8Array(await crypto.subtle.encrypt(params, key, buffer(plaintext)));
}

/**
 * Opens `ciphertext ‖ tag` under an imported key; throws {@linkcode IntegrityError} when it does
 * not authenticate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aesGcmOpen, aesGcmSeal, importAesGcmKey } from "./_nist_primitives.ts";
 * const key = await importAesGcmKey(new Uint8Array(32));
 * const sealed = await aesGcmSeal(key, new Uint8Array(12), new Uint8Array([1]));
 * assert.deepEqual(await aesGcmOpen(key, new Uint8Array(12), sealed), new Uint8Array([1]));
 * ```
 */
export async function aesGcmOpen(
  key: CryptoKey,
  iv: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array = EMPTY,
): Promise<Uint8Array> {
  requireIv(iv);
  requireUint8Array(ciphertextAndTag, "Ciphertext");
  requireUint8Array(aad, "Associated data");
  if (ciphertextAndTag.length < GCM_TAG_BYTES) {
    throw new IntegrityError(
      `AES-GCM ciphertext of ${ciphertextAndTag.length} bytes is shorter than its tag`,
    );
  }
  const params = { name: "AES-GCM", iv: buffer(iv), additionalData: buffer(aad), tagLength: 128 };
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, buffer(ciphertextAndTag)));
  } catch (error) {
    throw new IntegrityError("AES-GCM ciphertext failed authentication", { cause: error });
  }
}

/**
 * AES-GCM encryption with a raw key (16, 24 or 32 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aesGcmEncrypt } from "./_nist_primitives.ts";
 * const sealed = await aesGcmEncrypt(new Uint8Array(32), new Uint8Array(12), new Uint8Array());
 * assert.equal(sealed.length, 16);
 * ```
 */
export async function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = EMPTY,
): Promise<Uint8Array> {
  requireIv(iv);
  return aesGcmSeal(await importAesGcmKey(key), iv, plaintext, aad);
}

/**
 * AES-GCM decryption with a raw key; throws {@linkcode IntegrityError} on a bad tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aesGcmDecrypt, aesGcmEncrypt } from "./_nist_primitives.ts";
 * const key = new Uint8Array(32);
 * const iv = new Uint8Array(12);
 * const sealed = await aesGcmEncrypt(key, iv, new Uint8Array([9]));
 * assert.deepEqual(await aesGcmDecrypt(key, iv, sealed), new Uint8Array([9]));
 * ```
 */
export async function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array = EMPTY,
): Promise<Uint8Array> {
  requireIv(iv);
  return aesGcmOpen(await importAesGcmKey(key), iv, ciphertextAndTag, aad);
}

/**
 * HKDF-SHA384 (RFC 5869): `length` bytes (1 to 12,240) from `ikm`, `salt` and `info`. An empty
 * salt means the RFC's default of 48 zero bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hkdfSha384 } from "./_nist_primitives.ts";
 * const okm = await hkdfSha384(new Uint8Array(32), new Uint8Array(), new Uint8Array(), 32);
 * assert.equal(okm.length, 32);
 * ```
 */
export async function hkdfSha384(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  requireUint8Array(ikm, "HKDF input key material");
  requireUint8Array(salt, "HKDF salt");
  requireUint8Array(info, "HKDF info");
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_BYTES) {
    throw new ValidationError(`HKDF-SHA384 output must be 1 to ${HKDF_MAX_BYTES} bytes`);
  }
  const key = await crypto.subtle.importKey("raw", buffer(ikm), "HKDF", false, ["deriveBits"]);
  const params = { name: "HKDF", hash: "SHA-384", salt: buffer(salt), info: buffer(info) };
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, length * 8));
}

async function importPrivateKey(
  pkcs8: Uint8Array,
  name: "ECDH" | "ECDSA",
  what: string,
): Promise<CryptoKey> {
  const { canonicalP384PrivateKey } = await import("./_p384_keys.ts");
  const canonical = canonicalP384PrivateKey(pkcs8, what, false);
  const usages: KeyUsage[] = name === "ECDH" ? ["deriveBits"] : ["sign"];
  try {
    return await crypto.subtle.importKey(
      "pkcs8",
      buffer(canonical),
      { name, namedCurve: "P-384" },
      false,
      usages,
    );
  } catch (error) {
    throw new ValidationError(`${what} was refused (its public key does not match)`, {
      cause: error,
    });
  }
}

async function importPublicKey(
  spki: Uint8Array,
  name: "ECDH" | "ECDSA",
  what: string,
): Promise<CryptoKey> {
  const { parseP384PublicKey } = await import("./_p384_keys.ts");
  const point = parseP384PublicKey(spki, what);
  const usages: KeyUsage[] = name === "ECDH" ? [] : ["verify"];
  return crypto.subtle.importKey(
    "raw",
    buffer(point),
    { name, namedCurve: "P-384" },
    false,
    usages,
  );
}

/**
 * ECDH on P-384: the 48-byte x coordinate of `d·Q` for a PKCS#8 private key and an SPKI public
 * key (both validated; the public point must be on the curve).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ecdhP384 } from "./_nist_primitives.ts";
 * import { encodeP384PrivateKey, encodeP384PublicKey, p384PointFromScalar } from "./_p384_keys.ts";
 * const d = new Uint8Array(48).fill(1);
 * const shared = await ecdhP384(encodeP384PrivateKey(d), encodeP384PublicKey(p384PointFromScalar(d)));
 * assert.equal(shared.length, 48);
 * ```
 */
export async function ecdhP384(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  privateWhat = "Private key",
  publicWhat = "Public key",
): Promise<Uint8Array> {
  const publicCryptoKey = await importPublicKey(publicKey, "ECDH", publicWhat);
  const privateCryptoKey = await importPrivateKey(privateKey, "ECDH", privateWhat);
  const params = { name: "ECDH", public: publicCryptoKey };
  return new Uint8Array(await crypto.subtle.deriveBits(params, privateCryptoKey, 384));
}

/**
 * The NIST suite's box key: HKDF-SHA384(ikm = ECDH shared x, salt = empty, info = empty, 32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384BoxKey } from "./_nist_primitives.ts";
 * import { encodeP384PrivateKey, encodeP384PublicKey, p384PointFromScalar } from "./_p384_keys.ts";
 * const d = new Uint8Array(48).fill(1);
 * const key = await p384BoxKey(encodeP384PrivateKey(d), encodeP384PublicKey(p384PointFromScalar(d)));
 * assert.equal(key.length, 32);
 * ```
 */
export async function p384BoxKey(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  privateWhat = "Private key",
  publicWhat = "Public key",
): Promise<Uint8Array> {
  const shared = await ecdhP384(privateKey, publicKey, privateWhat, publicWhat);
  return hkdfSha384(shared, EMPTY, EMPTY, 32);
}

/**
 * ECDSA P-384 / SHA-384 signature over `message`, in IEEE P1363 form (96 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ecdsaP384Sign } from "./_nist_primitives.ts";
 * import { encodeP384PrivateKey } from "./_p384_keys.ts";
 * const signature = await ecdsaP384Sign(new Uint8Array([1]), encodeP384PrivateKey(new Uint8Array(48).fill(3)));
 * assert.equal(signature.length, 96);
 * ```
 */
export async function ecdsaP384Sign(
  message: Uint8Array,
  privateKey: Uint8Array,
  what = "Signing private key",
): Promise<Uint8Array> {
  requireUint8Array(message, "Message");
  const key = await importPrivateKey(privateKey, "ECDSA", what);
  const params = { name: "ECDSA", hash: "SHA-384" };
  return new Uint8Array(await crypto.subtle.sign(params, key, buffer(message)));
}

/**
 * Verifies an IEEE P1363 ECDSA P-384 / SHA-384 signature. A wrong, out-of-range or malformed
 * signature gives `false`; a malformed public key throws {@linkcode ValidationError}. No low-S
 * rule: `(r, n − s)` verifies like `(r, s)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ecdsaP384Verify } from "./_nist_primitives.ts";
 * import { encodeP384PublicKey, p384PointFromScalar } from "./_p384_keys.ts";
 * const spki = encodeP384PublicKey(p384PointFromScalar(new Uint8Array(48).fill(3)));
 * assert.equal(await ecdsaP384Verify(new Uint8Array(96), new Uint8Array([1]), spki), false);
 * ```
 */
export async function ecdsaP384Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
  what = "Signing public key",
): Promise<boolean> {
  requireUint8Array(message, "Message");
  const key = await importPublicKey(publicKey, "ECDSA", what);
  if (!(signature instanceof Uint8Array) || signature.length !== 96) return false;
  try {
    const params = { name: "ECDSA", hash: "SHA-384" };
    return await crypto.subtle.verify(params, key, buffer(signature), buffer(message));
  } catch {
    return false;
  }
}

/**
 * SHA-384 of `message` (48 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha384 } from "./_nist_primitives.ts";
 * assert.equal((await sha384(new Uint8Array())).length, 48);
 * ```
 */
export async function sha384(message: Uint8Array): Promise<Uint8Array> {
  requireUint8Array(message, "Message");
  return new Uint8Array(await crypto.subtle.digest("SHA-384", buffer(message)));
}

/**
 * PBKDF2-HMAC-SHA384 of `password` bytes (RFC 8018).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pbkdf2Sha384 } from "./_nist_primitives.ts";
 * const key = await pbkdf2Sha384(new TextEncoder().encode("pw"), new Uint8Array(16), 1000, 32);
 * assert.equal(key.length, 32);
 * ```
 */
export async function pbkdf2Sha384(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  requireUint8Array(password, "Password");
  requireUint8Array(salt, "PBKDF2 salt");
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new ValidationError(`PBKDF2 iterations must be a positive integer, got ${iterations}`);
  }
  if (!Number.isSafeInteger(length) || length < 1 || length > 1024) {
    throw new ValidationError(`PBKDF2 output must be 1 to 1024 bytes, got ${length}`);
  }
  const key = await crypto.subtle.importKey("raw", buffer(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const params = { name: "PBKDF2", hash: "SHA-384", salt: buffer(salt), iterations };
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, length * 8));
}
