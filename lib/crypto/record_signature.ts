/**
 * Record signatures (`rec_sig`): a detached signature over the record's clear metadata and its
 * *plaintext* data, made before encryption. Two versions, told apart by length:
 *
 * ```
 * version 1 (E3DB):  rec_sig = b64url(sign(utf8(JSON(clientMeta) + JSON(data))))
 *                    clientMeta = {"plain":{…},"type":…,"user_id":…,"writer_id":…}
 * version 2 (Arca):  rec_sig = b64url(0x02 ‖ sign(utf8("arca-record-signature-2\n" + JSON(all))))
 *                    all = {"data":{…},"plain":{…},"record_id":…,"type":…,"user_id":…,
 *                           "version":…,"writer_id":…}
 * ```
 *
 * Signatures are Ed25519 (64 bytes) or ECDSA P-384/SHA-384 (96 bytes), so a version 2 value is
 * one byte longer than the suite's signature. JSON is compact `JSON.stringify` text. Version 2
 * binds the record id and version, so a server cannot serve one record's body under another id
 * or an old body as the current version (see docs/signing.md).
 *
 * Arca signs with every object's keys sorted (as Java does); version 1 verification tries the
 * sorted form and then the keys as received (as JS signs, in insertion order).
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
  /** The record id (version 2 signatures bind it). */
  record_id?: string | undefined;
  /** The record version (version 2 signatures bind it). */
  version?: string | undefined;
}

/** The metadata a version 2 signature binds: the record id and version are required. */
export type BoundRecordMeta = RecordSignatureMeta & { record_id: string; version: string };

/** The first byte of a version 2 `rec_sig`. */
export const RECORD_SIGNATURE_V2_MARKER = 0x02;

/** Signature lengths: Ed25519, and ECDSA P-384 in IEEE P1363 form (r‖s). */
const SIGNATURE_BYTES: Record<CryptoSuite["name"], number> = { Sodium: 64, NIST: 96 };

/** The line that starts a version 2 message (a version 1 message starts with `{`). */
const V2_DOMAIN = "arca-record-signature-2\n";

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

function boundMessage(meta: BoundRecordMeta, data: Record<string, string>): Uint8Array {
  const members: [string, string][] = [
    ["data", mapJson(entries(data, true))],
    ["plain", mapJson(entries(meta.plain, true))],
    ["record_id", JSON.stringify(meta.record_id)],
    ["type", JSON.stringify(meta.type)],
    ["user_id", JSON.stringify(meta.user_id)],
    ["version", JSON.stringify(meta.version)],
    ["writer_id", JSON.stringify(meta.writer_id)],
  ];
  return utf8(V2_DOMAIN + `{${members.map(([key, value]) => `"${key}":${value}`).join(",")}}`);
}

function requireBound(meta: RecordSignatureMeta): asserts meta is BoundRecordMeta {
  for (const name of ["record_id", "version"] as const) {
    if (typeof meta[name] !== "string" || meta[name] === "") {
      throw new ValidationError(`Record metadata "${name}" must be a non-empty string`);
    }
  }
}

/**
 * Which version a `rec_sig` is: 2 when it decodes to the suite's signature length plus one
 * byte starting with {@linkcode RECORD_SIGNATURE_V2_MARKER}, else 1 (E3DB's format, or
 * malformed, which then fails to verify).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordSignatureVersion } from "./record_signature.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * assert.equal(recordSignatureVersion(suite, "AAAA"), 1);
 * ```
 */
export function recordSignatureVersion(suite: CryptoSuite, signature: string): 1 | 2 {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64Url(signature, "Record signature");
  } catch {
    return 1;
  }
  return bytes.length === SIGNATURE_BYTES[suite.name] + 1 && bytes[0] === RECORD_SIGNATURE_V2_MARKER
    ? 2
    : 1;
}

/**
 * Signs a record with version 2, binding its id and version; returns the `rec_sig` text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBoundRecord, verifyRecordSignature } from "./record_signature.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateSigningKeyPair();
 * const meta = {
 *   writer_id: "w", user_id: "w", type: "contact", plain: {},
 *   record_id: "6f1c3b2a-9d8e-4f70-a1b2-c3d4e5f60718",
 *   version: "0b5e8f0e-3c1d-4e57-9a0b-1c2d3e4f5a6b",
 * };
 * const sig = await signBoundRecord(suite, meta, { name: "Jon" }, keys.privateKey);
 * assert.ok(await verifyRecordSignature(suite, meta, { name: "Jon" }, sig, keys.publicKey));
 * const moved = { ...meta, record_id: "00000000-0000-4000-8000-000000000000" };
 * assert.equal(await verifyRecordSignature(suite, moved, { name: "Jon" }, sig, keys.publicKey), false);
 * ```
 */
export async function signBoundRecord(
  suite: CryptoSuite,
  meta: BoundRecordMeta,
  data: Record<string, string>,
  signingPrivateKey: Uint8Array,
): Promise<string> {
  requireInputs(meta, data);
  requireBound(meta);
  const signature = await suite.sign(boundMessage(meta, data), signingPrivateKey);
  const bytes = new Uint8Array(signature.length + 1);
  bytes[0] = RECORD_SIGNATURE_V2_MARKER;
  bytes.set(signature, 1);
  return encodeBase64Url(bytes);
}

/**
 * Signs a record's metadata and plaintext data with version 1 (E3DB's format, which does not
 * bind the record id or version); returns the `rec_sig` text (b64url).
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
 * Whether `signature` is a good record signature. Version 2 needs `meta.record_id` and
 * `meta.version` and checks them; version 1 tries the sorted-key form, then the keys in the order
 * received. False, never a throw, for a wrong or malformed signature.
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
  if (recordSignatureVersion(suite, signature) === 2) {
    if (typeof meta.record_id !== "string" || typeof meta.version !== "string") return false;
    const bound = meta as BoundRecordMeta;
    return await suite.verify(
      signatureBytes.subarray(1),
      boundMessage(bound, data),
      signingPublicKey,
    );
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
