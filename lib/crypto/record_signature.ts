/**
 * Record signatures (`rec_sig`): a detached signature over the record's clear metadata and its
 * *plaintext* data, made before encryption.
 *
 * ```
 * message = JSON(clientMeta) + JSON(data)     // compact JSON.stringify text, UTF-8
 * clientMeta = {"plain":{…},"type":…,"user_id":…,"writer_id":…}
 * rec_sig = b64url(sign(utf8(message)))       // Ed25519, or ECDSA P-384/SHA-384 (NIST)
 * ```
 *
 * Arca signs with every object's keys sorted (as Java does); verification tries the sorted form and
 * then the keys as received (as JS signs, in insertion order).
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { CryptoSuite } from "./suite.ts";

/** The clear record metadata a record signature covers. */
export interface RecordSignatureMeta {
  /** The writer's client id. */
  writer_id: string;
  /** The user (owner) id. */
  user_id: string;
  /** The record type. */
  type: string;
  /** The clear `plain` metadata. */
  plain: Record<string, string>;
}

function requireStringMap(map: Record<string, string>, what: string): void {
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new ValidationError(`${what} must be an object of strings`);
  }
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== "string") throw new ValidationError(`${what} "${key}" must be a string`);
  }
}

function requireInputs(meta: RecordSignatureMeta, data: Record<string, string>): void {
  if (meta === null || typeof meta !== "object") {
    throw new ValidationError("Record metadata must be an object");
  }
  for (const name of ["writer_id", "user_id", "type"] as const) {
    if (typeof meta[name] !== "string") {
      throw new ValidationError(`Record metadata "${name}" must be a string`);
    }
  }
  requireStringMap(meta.plain, "Record plain value");
  requireStringMap(data, "Record data value");
}

/** Compact JSON of a string map, keys in the given order (JSON.stringify's escaping). */
function mapJson(entries: [string, string][]): string {
  const members = entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${members.join(",")}}`;
}

/**
 * Entries sorted by key (UTF-16 code units, as Java's `String.compareTo`), or as received. Built
 * as text because a JS object would move integer-like keys first.
 */
function entries(map: Record<string, string>, sorted: boolean): [string, string][] {
  const list = Object.entries(map);
  return sorted ? list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : list;
}

function message(
  meta: RecordSignatureMeta,
  data: Record<string, string>,
  sorted: boolean,
): Uint8Array {
  const clientMeta = `{"plain":${mapJson(entries(meta.plain, sorted))},"type":${
    JSON.stringify(meta.type)
  },"user_id":${JSON.stringify(meta.user_id)},"writer_id":${JSON.stringify(meta.writer_id)}}`;
  return utf8(clientMeta + mapJson(entries(data, sorted)));
}

/**
 * Signs a record's metadata and plaintext data; returns the `rec_sig` text (b64url).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signRecord, verifyRecordSignature } from "./record_signature.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const meta = { writer_id: "w", user_id: "w", type: "contact", plain: { city: "Oslo" } };
 * const sig = await signRecord(suite, meta, { name: "Jon" }, keys.privateKey);
 * assert.ok(await verifyRecordSignature(suite, meta, { name: "Jon" }, sig, keys.publicKey));
 * ```
 */
export async function signRecord(
  suite: CryptoSuite,
  meta: RecordSignatureMeta,
  data: Record<string, string>,
  signingPrivateKey: Uint8Array,
): Promise<string> {
  requireInputs(meta, data);
  return encodeBase64Url(await suite.sign(message(meta, data, true), signingPrivateKey));
}

/**
 * Whether `signature` is a good record signature: the sorted-key form is tried, then the keys in
 * the order received. False, never a throw, for a wrong or malformed signature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyRecordSignature } from "./record_signature.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const meta = { writer_id: "w", user_id: "w", type: "t", plain: {} };
 * assert.equal(await verifyRecordSignature(suite, meta, {}, "AAAA", keys.publicKey), false);
 * ```
 */
export async function verifyRecordSignature(
  suite: CryptoSuite,
  meta: RecordSignatureMeta,
  data: Record<string, string>,
  signature: string,
  signingPublicKey: Uint8Array,
): Promise<boolean> {
  requireInputs(meta, data);
  if (typeof signature !== "string") return false;
  let signatureBytes: Uint8Array;
  try {
    signatureBytes = decodeBase64Url(signature, "Record signature");
  } catch {
    return false;
  }
  for (const sorted of [true, false]) {
    const signed = message(meta, data, sorted);
    if (await suite.verify(signatureBytes, signed, signingPublicKey)) return true;
  }
  return false;
}

/**
 * Verifies a record signature and throws {@linkcode IntegrityError} when it does not verify.
 *
 * @example
 * ```ts
 * import { assertRecordSignature, signRecord } from "./record_signature.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const meta = { writer_id: "w", user_id: "w", type: "t", plain: {} };
 * const sig = await signRecord(suite, meta, { a: "1" }, keys.privateKey);
 * await assertRecordSignature(suite, meta, { a: "1" }, sig, keys.publicKey); // passes
 * ```
 */
export async function assertRecordSignature(
  suite: CryptoSuite,
  meta: RecordSignatureMeta,
  data: Record<string, string>,
  signature: string,
  signingPublicKey: Uint8Array,
): Promise<void> {
  if (!await verifyRecordSignature(suite, meta, data, signature, signingPublicKey)) {
    throw new IntegrityError(`Record signature does not verify (type "${meta.type}")`);
  }
}
