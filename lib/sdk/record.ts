/**
 * Records as the SDK hands them out: camelCase metadata with `Date` timestamps, decrypted data,
 * and the writer's signature when there is one. Converts from E3DB's snake_case wire form.
 *
 * @module
 */
import { ArcaError } from "../errors.ts";
import type { RecordJson, RecordMetaJson } from "../protocol/responses.ts";
import {
  wireDate,
  type WireObject,
  wireObject,
  wireString,
  wireStringMap,
} from "./_wire_reader.ts";

/** A record's clear metadata. */
export interface RecordMeta {
  /** The record's id (a UUID). */
  recordId: string;
  /** The client that wrote it. */
  writerId: string;
  /** The user it belongs to (the writer, for every record this SDK writes). */
  userId: string;
  /** The record type; sharing is by type. */
  type: string;
  /** Clear, searchable metadata. */
  plain: Record<string, string>;
  /** When it was written. */
  created: Date;
  /** When it was last changed. */
  lastModified: Date;
  /** Opaque version; changes on every update. Updates and deletes must name it. */
  version: string;
  /** File metadata, only on file records. */
  fileMeta?: Record<string, unknown>;
}

/**
 * A decrypted record.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const record = await client.write("contact", { name: "Jon" }, { house: "Stark" });
 * console.log(record.meta.recordId, record.data.name);
 * ```
 */
export interface ArcaRecord {
  /** Clear metadata. */
  meta: RecordMeta;
  /** Field name → plaintext value (empty when a query asked for no data). */
  data: Record<string, string>;
  /** The writer's record signature (`rec_sig`, base64url), when it sent one. */
  signature?: string;
}

/**
 * Reads a record's `meta` object from the wire.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordMetaFromWire } from "./record.ts";
 * const meta = recordMetaFromWire({
 *   record_id: "r", writer_id: "w", user_id: "w", type: "t", plain: null, version: "v",
 *   created: "2026-11-23T08:21:13.388814Z", last_modified: "2026-11-23T08:21:13.388814Z",
 * });
 * assert.deepEqual(meta.plain, {});
 * assert.equal(meta.created.toISOString(), "2026-11-23T08:21:13.388Z");
 * ```
 */
export function recordMetaFromWire(value: unknown): RecordMeta {
  const meta = wireObject<RecordMetaJson>(value, "record meta");
  const result: RecordMeta = {
    recordId: wireString(meta, "record_id", "record meta"),
    writerId: wireString(meta, "writer_id", "record meta"),
    userId: wireString(meta, "user_id", "record meta"),
    type: wireString(meta, "type", "record meta"),
    plain: wireStringMap(meta, "plain", "record meta"),
    created: wireDate(meta, "created", "record meta"),
    lastModified: wireDate(meta, "last_modified", "record meta"),
    version: wireString(meta, "version", "record meta"),
  };
  if (meta.file_meta !== undefined && meta.file_meta !== null) {
    result.fileMeta = wireObject(meta.file_meta, "record file_meta");
  }
  return result;
}

/**
 * Reads an optional `rec_sig` from a record or query row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordSignatureFromWire } from "./record.ts";
 * assert.equal(recordSignatureFromWire({ rec_sig: "abc" }), "abc");
 * assert.equal(recordSignatureFromWire({}), undefined);
 * ```
 */
export function recordSignatureFromWire(
  object: WireObject<Pick<RecordJson, "rec_sig">>,
): string | undefined {
  const value = object.rec_sig;
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new ArcaError('Server sent a malformed record: "rec_sig" is not a string');
  }
  return value;
}
