/**
 * P-384 key encodings for the NIST suite: public keys as SubjectPublicKeyInfo DER, private keys
 * as PKCS#8 DER exactly as OpenSSL writes them (RFC 5915 `ECPrivateKey` with the public key and
 * without the redundant curve parameters), and JWK. Every parser validates that the point is on
 * the curve (with `@noble/curves`) and that the private scalar is in `[1, n−1]`.
 *
 * @module
 */
import { p384 } from "@noble/curves/nist.js";
import { ValidationError } from "../errors.ts";
import { DER_TAG, encodeDer, readDerChildren, readDerExact } from "./_der.ts";
import type { DerElement } from "./_der.ts";
import { decodeBase64Url, encodeBase64Url } from "./encoding.ts";
import { equalBytes, requireUint8Array } from "./bytes.ts";

/** The order n of the P-384 base point. */
export const P384_ORDER: bigint = p384.Point.Fn.ORDER;

/** Length of a P-384 scalar or coordinate in bytes. */
export const P384_SCALAR_BYTES = 48;

const OID_EC_PUBLIC_KEY = new Uint8Array([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
const OID_SECP384R1 = new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]);
const ZERO = new Uint8Array([0]);
const ONE = new Uint8Array([1]);
const ALGORITHM = encodeDer(DER_TAG.SEQUENCE, OID_EC_PUBLIC_KEY, OID_SECP384R1);

/** A P-384 key as a JSON Web Key (RFC 7518 §6.2); `d` only on private keys. */
export interface P384Jwk {
  /** Always `EC`. */
  kty: "EC";
  /** Always `P-384`. */
  crv: "P-384";
  /** The x coordinate, 48 bytes base64url. */
  x: string;
  /** The y coordinate, 48 bytes base64url. */
  y: string;
  /** The private scalar, 48 bytes base64url. */
  d?: string;
}

/** The parts of a parsed PKCS#8 P-384 private key. */
export interface P384PrivateKeyParts {
  /** The private scalar, 48 bytes big-endian, in `[1, n−1]`. */
  scalar: Uint8Array;
  /** The uncompressed public point (97 bytes) when the key carries one, validated on the curve. */
  point: Uint8Array | undefined;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/**
 * Validates a SEC 1 point (uncompressed 97 bytes or compressed 49 bytes) on P-384 and returns
 * its uncompressed form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384PointFromScalar, validateP384Point } from "./_p384_keys.ts";
 * const point = p384PointFromScalar(new Uint8Array(48).fill(1));
 * assert.equal(validateP384Point(point, "Point").length, 97);
 * ```
 */
export function validateP384Point(point: Uint8Array, what: string): Uint8Array {
  requireUint8Array(point, what);
  const uncompressed = point.length === 97 && point[0] === 0x04;
  const compressed = point.length === 49 && (point[0] === 0x02 || point[0] === 0x03);
  if (!uncompressed && !compressed) {
    throw new ValidationError(`${what} must be a 97-byte uncompressed or 49-byte compressed point`);
  }
  try {
    const decoded = p384.Point.fromBytes(point);
    decoded.assertValidity();
    return decoded.toBytes(false);
  } catch (error) {
    throw new ValidationError(`${what} is not a point on P-384`, { cause: error });
  }
}

/**
 * Validates a private scalar (1 to 48 big-endian bytes, in `[1, n−1]`) and returns it padded to
 * 48 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateP384Scalar } from "./_p384_keys.ts";
 * assert.equal(validateP384Scalar(new Uint8Array([7]), "Scalar").length, 48);
 * ```
 */
export function validateP384Scalar(scalar: Uint8Array, what: string): Uint8Array {
  requireUint8Array(scalar, what);
  if (scalar.length === 0 || scalar.length > P384_SCALAR_BYTES) {
    throw new ValidationError(`${what} must be 1 to 48 bytes, got ${scalar.length}`);
  }
  const value = bytesToBigInt(scalar);
  if (value === 0n || value >= P384_ORDER) {
    throw new ValidationError(`${what} is not in the range [1, n−1] of P-384`);
  }
  const padded = new Uint8Array(P384_SCALAR_BYTES);
  padded.set(scalar, P384_SCALAR_BYTES - scalar.length);
  return padded;
}

/**
 * The uncompressed public point `d·G` of a valid 48-byte private scalar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384PointFromScalar } from "./_p384_keys.ts";
 * assert.equal(p384PointFromScalar(new Uint8Array(48).fill(1))[0], 4);
 * ```
 */
export function p384PointFromScalar(scalar: Uint8Array): Uint8Array {
  return p384.getPublicKey(validateP384Scalar(scalar, "Private scalar"), false);
}

/**
 * Encodes a public point as SubjectPublicKeyInfo DER (120 bytes, uncompressed point).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PublicKey, p384PointFromScalar } from "./_p384_keys.ts";
 * const spki = encodeP384PublicKey(p384PointFromScalar(new Uint8Array(48).fill(1)));
 * assert.equal(spki.length, 120);
 * ```
 */
export function encodeP384PublicKey(point: Uint8Array): Uint8Array {
  const uncompressed = validateP384Point(point, "Public point");
  return encodeDer(DER_TAG.SEQUENCE, ALGORITHM, encodeDer(DER_TAG.BIT_STRING, ZERO, uncompressed));
}

function requireAlgorithm(element: DerElement | undefined, what: string): void {
  if (
    element === undefined || element.tag !== DER_TAG.SEQUENCE ||
    !equalBytes(element.content, ALGORITHM.subarray(2))
  ) {
    throw new ValidationError(`${what} is not an EC key on P-384 (secp384r1)`);
  }
}

function bitStringPoint(element: DerElement, what: string): Uint8Array {
  if (element.tag !== DER_TAG.BIT_STRING || element.content[0] !== 0) {
    throw new ValidationError(`${what} has a malformed public key BIT STRING`);
  }
  return validateP384Point(element.content.subarray(1), what);
}

/**
 * Parses SubjectPublicKeyInfo DER of a P-384 key (named curve, compressed or uncompressed point),
 * validates the point and returns it uncompressed (97 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PublicKey, p384PointFromScalar, parseP384PublicKey } from "./_p384_keys.ts";
 * const point = p384PointFromScalar(new Uint8Array(48).fill(2));
 * assert.equal(parseP384PublicKey(encodeP384PublicKey(point)).length, 97);
 * ```
 */
export function parseP384PublicKey(spki: Uint8Array, what = "Public key"): Uint8Array {
  requireUint8Array(spki, what);
  const children = readDerChildren(readDerExact(spki, DER_TAG.SEQUENCE, what), what);
  if (children.length !== 2) throw new ValidationError(`${what} is not SubjectPublicKeyInfo`);
  requireAlgorithm(children[0], what);
  return bitStringPoint(children[1]!, what);
}

/**
 * Encodes a private key as PKCS#8 DER the way OpenSSL does (185 bytes): version 0, id-ecPublicKey
 * with secp384r1, and an `ECPrivateKey` holding the 48-byte scalar and `[1]` the public point.
 * The point is computed from the scalar when not given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PrivateKey } from "./_p384_keys.ts";
 * assert.equal(encodeP384PrivateKey(new Uint8Array(48).fill(1)).length, 185);
 * ```
 */
export function encodeP384PrivateKey(scalar: Uint8Array, point?: Uint8Array): Uint8Array {
  const d = validateP384Scalar(scalar, "Private scalar");
  const publicPoint = point === undefined
    ? p384PointFromScalar(d)
    : validateP384Point(point, "Public point");
  const ecPrivateKey = encodeDer(
    DER_TAG.SEQUENCE,
    encodeDer(DER_TAG.INTEGER, new Uint8Array([1])),
    encodeDer(DER_TAG.OCTET_STRING, d),
    encodeDer(DER_TAG.CONTEXT_1, encodeDer(DER_TAG.BIT_STRING, ZERO, publicPoint)),
  );
  return encodeDer(
    DER_TAG.SEQUENCE,
    encodeDer(DER_TAG.INTEGER, ZERO),
    ALGORITHM,
    encodeDer(DER_TAG.OCTET_STRING, ecPrivateKey),
  );
}

function parseEcPrivateKey(der: Uint8Array, what: string): P384PrivateKeyParts {
  const children = readDerChildren(readDerExact(der, DER_TAG.SEQUENCE, what), what);
  const [version, secret, ...rest] = children;
  if (version?.tag !== DER_TAG.INTEGER || !equalBytes(version.content, ONE)) {
    throw new ValidationError(`${what} has an unsupported ECPrivateKey version`);
  }
  if (secret?.tag !== DER_TAG.OCTET_STRING) {
    throw new ValidationError(`${what} has no private scalar`);
  }
  const scalar = validateP384Scalar(secret.content, `${what} scalar`);
  let point: Uint8Array | undefined;
  let next = rest.shift();
  if (next?.tag === DER_TAG.CONTEXT_0) {
    if (!equalBytes(next.content, OID_SECP384R1)) {
      throw new ValidationError(`${what} names a curve other than P-384`);
    }
    next = rest.shift();
  }
  if (next?.tag === DER_TAG.CONTEXT_1) {
    const inner = readDerChildren(next.content, what);
    if (inner.length !== 1) throw new ValidationError(`${what} has a malformed public key field`);
    point = bitStringPoint(inner[0]!, what);
    next = rest.shift();
  }
  if (next !== undefined) throw new ValidationError(`${what} has unexpected ECPrivateKey fields`);
  return { scalar, point };
}

/**
 * Parses PKCS#8 DER of a P-384 private key (OpenSSL's form, and also keys with the optional `[0]`
 * curve parameters or without the public key). Validates the scalar and, when present, that the
 * public point is on the curve; it does not check that the point matches the scalar (see
 * {@linkcode canonicalP384PrivateKey}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PrivateKey, parseP384PrivateKey } from "./_p384_keys.ts";
 * const parts = parseP384PrivateKey(encodeP384PrivateKey(new Uint8Array(48).fill(1)));
 * assert.equal(parts.scalar[0], 1);
 * assert.equal(parts.point?.length, 97);
 * ```
 */
export function parseP384PrivateKey(
  pkcs8: Uint8Array,
  what = "Private key",
): P384PrivateKeyParts {
  requireUint8Array(pkcs8, what);
  const children = readDerChildren(readDerExact(pkcs8, DER_TAG.SEQUENCE, what), what);
  if (children.length !== 3) {
    throw new ValidationError(`${what} is not a PKCS#8 PrivateKeyInfo without attributes`);
  }
  const [version, algorithm, privateKey] = children as [DerElement, DerElement, DerElement];
  if (version.tag !== DER_TAG.INTEGER || !equalBytes(version.content, ZERO)) {
    throw new ValidationError(`${what} has an unsupported PKCS#8 version`);
  }
  requireAlgorithm(algorithm, what);
  if (privateKey.tag !== DER_TAG.OCTET_STRING) {
    throw new ValidationError(`${what} has no ECPrivateKey`);
  }
  return parseEcPrivateKey(privateKey.content, what);
}

/**
 * Parses any accepted PKCS#8 form and re-encodes it as OpenSSL's canonical 185 bytes. With
 * `checkPublicKey`, a public point carried by the key must equal `d·G` (one scalar
 * multiplication); without it, a present point is trusted and a missing one is computed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalP384PrivateKey, encodeP384PrivateKey } from "./_p384_keys.ts";
 * const key = encodeP384PrivateKey(new Uint8Array(48).fill(3));
 * assert.equal(canonicalP384PrivateKey(key, "Key", true).length, 185);
 * ```
 */
export function canonicalP384PrivateKey(
  pkcs8: Uint8Array,
  what: string,
  checkPublicKey: boolean,
): Uint8Array {
  const { scalar, point } = parseP384PrivateKey(pkcs8, what);
  if (point === undefined || checkPublicKey) {
    const derived = p384PointFromScalar(scalar);
    if (point !== undefined && !equalBytes(point, derived)) {
      throw new ValidationError(`${what} carries a public key that does not match its scalar`);
    }
    return encodeP384PrivateKey(scalar, derived);
  }
  return encodeP384PrivateKey(scalar, point);
}

function coordinates(point: Uint8Array): { x: string; y: string } {
  return {
    x: encodeBase64Url(point.subarray(1, 49)),
    y: encodeBase64Url(point.subarray(49, 97)),
  };
}

/**
 * The JWK of a SubjectPublicKeyInfo P-384 public key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PublicKey, p384PointFromScalar, p384PublicKeyToJwk } from "./_p384_keys.ts";
 * const spki = encodeP384PublicKey(p384PointFromScalar(new Uint8Array(48).fill(1)));
 * assert.equal(p384PublicKeyToJwk(spki).crv, "P-384");
 * ```
 */
export function p384PublicKeyToJwk(spki: Uint8Array): P384Jwk {
  return { kty: "EC", crv: "P-384", ...coordinates(parseP384PublicKey(spki)) };
}

/**
 * The JWK (with `d`) of a PKCS#8 P-384 private key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeP384PrivateKey, p384PrivateKeyToJwk } from "./_p384_keys.ts";
 * const jwk = p384PrivateKeyToJwk(encodeP384PrivateKey(new Uint8Array(48).fill(1)));
 * assert.equal(jwk.d?.length, 64);
 * ```
 */
export function p384PrivateKeyToJwk(pkcs8: Uint8Array): P384Jwk {
  const { scalar, point } = parseP384PrivateKey(pkcs8);
  const publicPoint = point ?? p384PointFromScalar(scalar);
  return { kty: "EC", crv: "P-384", ...coordinates(publicPoint), d: encodeBase64Url(scalar) };
}

function jwkField(jwk: Record<string, unknown>, name: string, what: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== "string") throw new ValidationError(`${what} has no "${name}" string`);
  const bytes = decodeBase64Url(value, `${what} "${name}"`);
  if (bytes.length !== P384_SCALAR_BYTES) {
    throw new ValidationError(`${what} "${name}" must be 48 bytes, got ${bytes.length}`);
  }
  return bytes;
}

function jwkPoint(jwk: unknown, what: string): Uint8Array {
  if (jwk === null || typeof jwk !== "object") throw new ValidationError(`${what} must be a JWK`);
  const record = jwk as Record<string, unknown>;
  if (record.kty !== "EC" || record.crv !== "P-384") {
    throw new ValidationError(`${what} must be a JWK with kty "EC" and crv "P-384"`);
  }
  const point = new Uint8Array(97);
  point[0] = 0x04;
  point.set(jwkField(record, "x", what), 1);
  point.set(jwkField(record, "y", what), 49);
  return validateP384Point(point, what);
}

/**
 * SubjectPublicKeyInfo DER from a P-384 public JWK; the point is validated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384PublicKeyFromJwk } from "./_p384_keys.ts";
 * const jwk = { kty: "EC", crv: "P-384", x: "AA", y: "AA" };
 * assert.throws(() => p384PublicKeyFromJwk(jwk), { name: "ValidationError" });
 * ```
 */
export function p384PublicKeyFromJwk(jwk: unknown, what = "Public JWK"): Uint8Array {
  return encodeP384PublicKey(jwkPoint(jwk, what));
}

/**
 * Canonical PKCS#8 DER from a P-384 private JWK; `x`/`y` must match `d`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384PrivateKeyFromJwk, p384PrivateKeyToJwk, encodeP384PrivateKey } from "./_p384_keys.ts";
 * const key = encodeP384PrivateKey(new Uint8Array(48).fill(1));
 * assert.equal(p384PrivateKeyFromJwk(p384PrivateKeyToJwk(key)).length, 185);
 * ```
 */
export function p384PrivateKeyFromJwk(jwk: unknown, what = "Private JWK"): Uint8Array {
  const point = jwkPoint(jwk, what);
  const scalar = jwkField(jwk as Record<string, unknown>, "d", what);
  const derived = p384PointFromScalar(validateP384Scalar(scalar, `${what} "d"`));
  if (!equalBytes(point, derived)) {
    throw new ValidationError(`${what} has x/y that do not match its "d"`);
  }
  return encodeP384PrivateKey(scalar, derived);
}

/**
 * Reduces uniformly random bytes (at least 56, i.e. 384 + 64 bits) to a private scalar in
 * `[1, n−1]` as FIPS 186-5 Appendix A.2.1 does: `d = (c mod (n − 1)) + 1`. Returns 48 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { p384ScalarFromBytes } from "./_p384_keys.ts";
 * assert.equal(p384ScalarFromBytes(new Uint8Array(56)).at(-1), 1);
 * ```
 */
export function p384ScalarFromBytes(bytes: Uint8Array): Uint8Array {
  requireUint8Array(bytes, "Scalar source");
  if (bytes.length < P384_SCALAR_BYTES + 8) {
    throw new ValidationError(`Scalar source must be at least 56 bytes, got ${bytes.length}`);
  }
  let d = (bytesToBigInt(bytes) % (P384_ORDER - 1n)) + 1n;
  const scalar = new Uint8Array(P384_SCALAR_BYTES);
  for (let i = P384_SCALAR_BYTES - 1; i >= 0; i--) {
    scalar[i] = Number(d & 0xffn);
    d >>= 8n;
  }
  return scalar;
}
