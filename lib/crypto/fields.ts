/**
 * Record field encryption: E3DB's "dotted quad" `edk.edkN.ef.efN`. Each value gets its own data
 * key `dk`, encrypted under the record type's access key `AK`.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { decodeBase64Url, encodeBase64Url, fromUtf8, utf8 } from "./encoding.ts";
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
  if (!(accessKey instanceof Uint8Array) || accessKey.length !== suite.keyBytes) {
    throw new ValidationError(`Access key must be ${suite.keyBytes} bytes`);
  }
}

/**
 * A fresh random symmetric key (an access key or data key).
 *
 * @example
 * ```ts
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const ak = randomKey(await sodiumSuite());
 * console.log(ak.length); // 32
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
 * import { decryptField, encryptField, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const quad = await encryptField(suite, ak, "hello");
 * console.log(await decryptField(suite, ak, quad)); // "hello"
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
 * import { decryptField, encryptField, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * console.log(await decryptField(suite, ak, await encryptField(suite, ak, "x"), "name")); // "x"
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

function requireStringMap(data: Record<string, string>, what: string): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError(`${what} must be an object of strings`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") {
      throw new ValidationError(`${what} value "${key}" must be a string`);
    }
  }
}

/**
 * Encrypts every value of a record's data map; field names stay clear.
 *
 * @example
 * ```ts
 * import { encryptRecordData, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const encrypted = await encryptRecordData(suite, randomKey(suite), { name: "Jon" });
 * console.log(Object.keys(encrypted)); // ["name"]
 * ```
 */
export async function encryptRecordData(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  data: Record<string, string>,
): Promise<Record<string, string>> {
  requireStringMap(data, "Record data");
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(data)) {
    out.push([key, await encryptField(suite, accessKey, value)]);
  }
  return Object.fromEntries(out);
}

/**
 * Decrypts every value of a record's data map.
 *
 * @example
 * ```ts
 * import { decryptRecordData, encryptRecordData, randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const data = await decryptRecordData(suite, ak, await encryptRecordData(suite, ak, { a: "1" }));
 * console.log(data.a); // "1"
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
