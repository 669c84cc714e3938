/**
 * Record field encryption: E3DB's "dotted quad" `edk.edkN.ef.efN`. Each value gets its own data
 * key `dk`, encrypted under the record type's access key `AK`.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { requireBytes } from "./bytes.ts";
import { concatBytes, decodeBase64Url, encodeBase64Url, fromUtf8, utf8 } from "./encoding.ts";
import type { CryptoSuite } from "./suite.ts";

/** Fixed inputs for reproducing vectors; never used in normal operation. */
export interface FieldRandomness {
  /** The data key. */
  dataKey: Uint8Array;
  /** The nonce of the encrypted value. */
  fieldNonce: Uint8Array;
  /** The nonce of the encrypted data key. */
  dataKeyNonce: Uint8Array;
}

function requireAccessKey(suite: CryptoSuite, accessKey: Uint8Array): void {
  requireBytes(accessKey, suite.keyBytes, "Access key");
}

/**
 * A fresh random symmetric key (an access key or data key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const ak = randomKey(await sodiumSuite());
 * assert.equal(ak.length, 32);
 * ```
 */
export function randomKey(suite: CryptoSuite): Uint8Array {
  return suite.randomBytes(suite.keyBytes);
}

/**
 * Encrypts one field value into the dotted quad `edk.edkN.ef.efN`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptField, encryptField, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const quad = await encryptField(suite, ak, "hello");
 * assert.equal(await decryptField(suite, ak, quad), "hello");
 * ```
 */
export async function encryptField(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  value: string,
  fixed?: FieldRandomness,
): Promise<string> {
  requireAccessKey(suite, accessKey);
  if (typeof value !== "string") throw new ValidationError("Field value must be a string");
  const dataKey = fixed?.dataKey ?? suite.randomBytes(suite.keyBytes);
  const fieldNonce = fixed?.fieldNonce ?? suite.randomBytes(suite.nonceBytes);
  const dataKeyNonce = fixed?.dataKeyNonce ?? suite.randomBytes(suite.nonceBytes);
  const ef = await suite.secretEncrypt(utf8(value), fieldNonce, dataKey);
  const edk = await suite.secretEncrypt(dataKey, dataKeyNonce, accessKey);
  return `${encodeBase64Url(edk)}.${encodeBase64Url(dataKeyNonce)}.${encodeBase64Url(ef)}.${
    encodeBase64Url(fieldNonce)
  }`;
}

function decodeQuadPart(part: string, what: string): Uint8Array {
  try {
    return decodeBase64Url(part, what);
  } catch (error) {
    throw new IntegrityError(`${what} is not valid base64url`, { cause: error });
  }
}

/**
 * Decrypts a dotted quad. A malformed quad, a failed MAC, a data key of the wrong length or a
 * value that is not UTF-8 throw {@linkcode IntegrityError}; `name` labels the field in messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptField, encryptField, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * assert.equal(await decryptField(suite, ak, await encryptField(suite, ak, "x"), "name"), "x");
 * ```
 */
export async function decryptField(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  quad: string,
  name = "field",
): Promise<string> {
  requireAccessKey(suite, accessKey);
  if (typeof quad !== "string") throw new IntegrityError(`Field "${name}" is not a string`);
  const parts = quad.split(".");
  if (parts.length !== 4) {
    throw new IntegrityError(
      `Field "${name}" must have 4 dot-separated parts, got ${parts.length}`,
    );
  }
  const [edkText, edkNonceText, efText, efNonceText] = parts as [string, string, string, string];
  const edk = decodeQuadPart(edkText, `Field "${name}" edk`);
  const dataKeyNonce = decodeQuadPart(edkNonceText, `Field "${name}" edk nonce`);
  const ef = decodeQuadPart(efText, `Field "${name}" ciphertext`);
  const fieldNonce = decodeQuadPart(efNonceText, `Field "${name}" nonce`);
  if (dataKeyNonce.length !== suite.nonceBytes || fieldNonce.length !== suite.nonceBytes) {
    throw new IntegrityError(`Field "${name}" has a nonce that is not ${suite.nonceBytes} bytes`);
  }
  const dataKey = await suite.secretDecrypt(edk, dataKeyNonce, accessKey);
  if (dataKey.length !== suite.keyBytes) {
    throw new IntegrityError(`Field "${name}" data key is not ${suite.keyBytes} bytes`);
  }
  const plaintext = await suite.secretDecrypt(ef, fieldNonce, dataKey);
  try {
    return fromUtf8(plaintext, `Field "${name}"`);
  } catch (error) {
    throw new IntegrityError(`Field "${name}" is not valid UTF-8`, { cause: error });
  }
}

/** The entries of a map of strings, validated (one pass over the map). */
function stringEntries(data: Record<string, string>, what: string): [string, string][] {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError(`${what} must be an object of strings`);
  }
  const entries = Object.entries(data);
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    if (typeof value !== "string") {
      throw new ValidationError(`${what} value "${key}" must be a string`);
    }
  }
  return entries;
}

/**
 * Encrypts every value of a record's data map; field names stay clear.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encryptRecordData, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const encrypted = await encryptRecordData(suite, randomKey(suite), { name: "Jon" });
 * assert.deepEqual(Object.keys(encrypted), ["name"]);
 * ```
 */
export async function encryptRecordData(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  data: Record<string, string>,
): Promise<Record<string, string>> {
  requireAccessKey(suite, accessKey);
  const entries = stringEntries(data, "Record data");
  const count = entries.length;
  const { keyBytes, nonceBytes } = suite;
  // One random draw for the whole record: two nonces per field, then one data key per field.
  const random = suite.randomBytes(count * (2 * nonceBytes + keyBytes));
  const keysStart = 2 * count * nonceBytes;
  const nonceTexts = encodeEach(random.subarray(0, keysStart), nonceBytes);
  const plaintexts = utf8Each(entries);
  const sealing: Promise<Uint8Array>[] = [];
  for (let i = 0; i < count; i++) {
    const fieldNonce = random.subarray(2 * i * nonceBytes, (2 * i + 1) * nonceBytes);
    const dataKeyNonce = random.subarray((2 * i + 1) * nonceBytes, (2 * i + 2) * nonceBytes);
    const dataKey = random.subarray(keysStart + i * keyBytes, keysStart + (i + 1) * keyBytes);
    sealing.push(suite.secretEncrypt(plaintexts[i]!, fieldNonce, dataKey));
    sealing.push(suite.secretEncrypt(dataKey, dataKeyNonce, accessKey));
  }
  // All fields at once: NIST's Web Crypto calls run concurrently, Sodium's need one await.
  const sealed = await Promise.all(sealing);
  // The wrapped data keys all have one length, so they too are encoded in one go.
  const edks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) edks.push(sealed[2 * i + 1]!);
  const edkTexts = encodeEach(concatBytes(...edks), edks[0]?.length ?? 1);
  const out: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const ef = encodeBase64Url(sealed[2 * i]!);
    out.push([
      entries[i]![0],
      `${edkTexts[i]}.${nonceTexts[2 * i + 1]}.${ef}.${nonceTexts[2 * i]}`,
    ]);
  }
  return Object.fromEntries(out);
}

/**
 * The UTF-8 bytes of each value. When every value is ASCII (the encoding is then as long as the
 * text), one encoder call serves them all.
 */
function utf8Each(entries: [string, string][]): Uint8Array[] {
  let length = 0;
  const values: string[] = [];
  for (const [, value] of entries) {
    values.push(value);
    length += value.length;
  }
  const joined = utf8(values.join(""));
  if (joined.length !== length) return values.map(utf8);
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const value of values) {
    out.push(joined.subarray(offset, offset + value.length));
    offset += value.length;
  }
  return out;
}

/**
 * The base64url text of each `partBytes`-long part of `bytes`. When parts are a multiple of 3
 * bytes (nonces of 24 or 12 bytes, wrapped keys of 48), one encoding is sliced instead of one per
 * part.
 */
function encodeEach(bytes: Uint8Array, partBytes: number): string[] {
  const texts: string[] = [];
  if (partBytes % 3 !== 0) {
    for (let at = 0; at < bytes.length; at += partBytes) {
      texts.push(encodeBase64Url(bytes.subarray(at, at + partBytes)));
    }
    return texts;
  }
  const text = encodeBase64Url(bytes);
  const partChars = (partBytes / 3) * 4;
  for (let at = 0; at < text.length; at += partChars) texts.push(text.slice(at, at + partChars));
  return texts;
}

/**
 * Decrypts every value of a record's data map.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptRecordData, encryptRecordData, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const data = await decryptRecordData(suite, ak, await encryptRecordData(suite, ak, { a: "1" }));
 * assert.equal(data.a, "1");
 * ```
 */
export async function decryptRecordData(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  data: Record<string, string>,
): Promise<Record<string, string>> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new IntegrityError("Record data must be an object");
  }
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(data)) {
    out.push([key, await decryptField(suite, accessKey, value, key)]);
  }
  return Object.fromEntries(out);
}
