/**
 * TFSP1 field signatures (E3DB's `signField` / `verifyField`, used by notes).
 *
 * ```
 * msg    = b64url(hash(utf8(salt + key + value)))      // the ASCII text of the hash
 * sig    = b64url(sign(ascii(msg), signingPrivateKey))
 * signed = VERSION ";" salt ";" len(sig) ";" sig value
 * ```
 *
 * Sodium uses BLAKE2b-256 and Ed25519 under E3DB's version
 * `e7737e7c-1637-511e-8bab-93c4f3e26fd9` (UUIDv5 of `TFSP1;ED25519;BLAKE2B`). Arca's NIST suite
 * uses SHA-384 and ECDSA P-384 under its own version `7cdc91b5-7d5d-5656-93f6-41ba30b78793`
 * (UUIDv5 of `TFSP1;ECDSA-P384;SHA384` in the same namespace), so the two never mix.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { requireUint8Array } from "./bytes.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { CryptoSuite } from "./suite.ts";
import { randomUuid } from "./uuid.ts";

/** The UUID namespace of TFSP1 version identifiers. */
export const TFSP1_NAMESPACE = "794253a4-310b-449d-9d8d-4575e8923f40";
/** E3DB's TFSP1 version for Ed25519 + BLAKE2b-256 (the Sodium suite). */
export const TFSP1_SODIUM_VERSION = "e7737e7c-1637-511e-8bab-93c4f3e26fd9";
/** Arca's TFSP1 version for ECDSA P-384 + SHA-384 (the NIST suite): UUIDv5 of `TFSP1;ECDSA-P384;SHA384`. */
export const TFSP1_NIST_VERSION = "7cdc91b5-7d5d-5656-93f6-41ba30b78793";

/**
 * The TFSP1 version identifier a suite signs under.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tfsp1Version } from "./tfsp1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * assert.equal(tfsp1Version(await sodiumSuite()), "e7737e7c-1637-511e-8bab-93c4f3e26fd9");
 * ```
 */
export function tfsp1Version(suite: CryptoSuite): string {
  return suite.name === "NIST" ? TFSP1_NIST_VERSION : TFSP1_SODIUM_VERSION;
}

/**
 * Whether `field` claims to be TFSP1-signed for this suite: its first `;`-separated part is
 * exactly (case-sensitively) the suite's version. Says nothing about whether the signature is good.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSignedField } from "./tfsp1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * assert.equal(isSignedField(await sodiumSuite(), "plain text"), false);
 * ```
 */
export function isSignedField(suite: CryptoSuite, field: string): boolean {
  if (typeof field !== "string") throw new ValidationError("Field must be a string");
  const end = field.indexOf(";");
  return (end === -1 ? field : field.slice(0, end)) === tfsp1Version(suite);
}

function requireText(value: string, what: string): void {
  if (typeof value !== "string") throw new ValidationError(`${what} must be a string`);
}

function requireSalt(salt: string): void {
  requireText(salt, "Signature salt");
  if (salt.length === 0 || salt.includes(";")) {
    throw new ValidationError(`Signature salt "${salt}" must be non-empty and contain no ";"`);
  }
}

async function signedMessage(
  suite: CryptoSuite,
  salt: string,
  key: string,
  value: string,
): Promise<Uint8Array> {
  const digest = await suite.hash(utf8(salt + key + value));
  return utf8(encodeBase64Url(digest));
}

/**
 * Signs one field value under `salt` (a fresh random UUID when omitted) and returns the TFSP1
 * text `VERSION;salt;len;sig` followed by the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signField, verifyField } from "./tfsp1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const signed = await signField(suite, "name", "Jon", keys.privateKey);
 * assert.equal(await verifyField(suite, "name", signed, keys.publicKey), "Jon");
 * ```
 */
export async function signField(
  suite: CryptoSuite,
  key: string,
  value: string,
  signingPrivateKey: Uint8Array,
  salt: string = randomUuid(),
): Promise<string> {
  requireText(key, "Field name");
  requireText(value, `Field "${key}" value`);
  requireSalt(salt);
  const message = await signedMessage(suite, salt, key, value);
  const signature = encodeBase64Url(await suite.sign(message, signingPrivateKey));
  return `${tfsp1Version(suite)};${salt};${signature.length};${signature}${value}`;
}

/** The parts of a TFSP1-signed field. */
interface SignedParts {
  salt: string;
  signature: string;
  value: string;
}

function parseSignedField(key: string, field: string): SignedParts {
  const first = field.indexOf(";");
  const second = first === -1 ? -1 : field.indexOf(";", first + 1);
  const third = second === -1 ? -1 : field.indexOf(";", second + 1);
  if (third === -1) throw new IntegrityError(`Field "${key}" has a truncated TFSP1 header`);
  const salt = field.slice(first + 1, second);
  const lengthText = field.slice(second + 1, third);
  if (!/^[0-9]{1,6}$/.test(lengthText)) {
    throw new IntegrityError(`Field "${key}" has a TFSP1 signature length that is not a number`);
  }
  const start = third + 1;
  const end = start + Number(lengthText);
  if (end > field.length) throw new IntegrityError(`Field "${key}" has a truncated signature`);
  return { salt, signature: field.slice(start, end), value: field.slice(end) };
}

function decodeSignature(key: string, text: string): Uint8Array {
  try {
    return decodeBase64Url(text, `Field "${key}" signature`);
  } catch (error) {
    throw new IntegrityError(`Field "${key}" signature is not valid base64url`, { cause: error });
  }
}

/**
 * Verifies a TFSP1 field and returns its value. A field whose first `;` part is not the suite's
 * version is unsigned and comes back unchanged. A field that claims the version but is malformed,
 * carries a header salt other than `expectedSalt` (when given), or whose signature does not verify
 * under `signingPublicKey` throws {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signField, verifyField } from "./tfsp1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const salt = "00000000-0000-4000-8000-0000000000a1";
 * const signed = await signField(suite, "k", "v", keys.privateKey, salt);
 * assert.equal(await verifyField(suite, "k", signed, keys.publicKey, salt), "v");
 * ```
 */
export async function verifyField(
  suite: CryptoSuite,
  key: string,
  field: string,
  signingPublicKey: Uint8Array,
  expectedSalt?: string,
): Promise<string> {
  requireText(key, "Field name");
  requireText(field, `Field "${key}"`);
  if (expectedSalt !== undefined) requireText(expectedSalt, "Expected salt");
  requireUint8Array(signingPublicKey, "Signing public key");
  if (!isSignedField(suite, field)) return field;
  const parts = parseSignedField(key, field);
  if (expectedSalt !== undefined && parts.salt !== expectedSalt) {
    throw new IntegrityError(`Field "${key}" was signed under another salt`);
  }
  const signature = decodeSignature(key, parts.signature);
  const message = await signedMessage(suite, parts.salt, key, parts.value);
  if (!await suite.verify(signature, message, signingPublicKey)) {
    throw new IntegrityError(`Field "${key}" signature does not verify`);
  }
  return parts.value;
}
