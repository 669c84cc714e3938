/**
 * How a record is stored, for every backend: the JSON texts of its parts, and the bytes it counts
 * for in its writer's usage (`usage.ts`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { RecordRow } from "./records.ts";

/**
 * A new record's first eight column values, in the order both backends insert them: `record_id`,
 * `writer_id`, `user_id`, `type`, then its stored texts ({@linkcode storedRecordTexts}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storedRecordTexts, storedRecordValues } from "./_stored_record.ts";
 * const record = {
 *   recordId: "r", writerId: "w", userId: "u", type: "t", plain: {}, data: {}, recSig: null,
 *   fileMeta: null,
 * };
 * assert.deepEqual(
 *   storedRecordValues(record, storedRecordTexts(record)),
 *   ["r", "w", "u", "t", "{}", "{}", null, null],
 * );
 * ```
 */
export function storedRecordValues(
  record: Pick<RecordRow, "recordId" | "writerId" | "userId" | "type">,
  texts: [string, string, string | null, string | null],
): [string, string, string, string, string, string, string | null, string | null] {
  return [record.recordId, record.writerId, record.userId, record.type, ...texts];
}

/**
 * The JSON texts a record is stored as: `plain`, `data`, `rec_sig`, `file_meta`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storedRecordTexts } from "./_stored_record.ts";
 * const texts = storedRecordTexts({ plain: {}, data: { f: "abc" }, recSig: null, fileMeta: null });
 * assert.deepEqual(texts, ["{}", '{"f":"abc"}', null, null]);
 * ```
 */
export function storedRecordTexts(
  record: Pick<RecordRow, "plain" | "data" | "recSig" | "fileMeta">,
): [string, string, string | null, string | null] {
  return [
    JSON.stringify(record.plain),
    JSON.stringify(record.data),
    record.recSig,
    record.fileMeta === null ? null : JSON.stringify(record.fileMeta),
  ];
}

/**
 * The bytes a record counts for, from the texts it is stored as: their UTF-8 length and, for a
 * file record, the file's size (`file_meta.size`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storedRecordBytes } from "./_stored_record.ts";
 * assert.equal(storedRecordBytes(["{}", '{"f":"abc"}', null, null], null), 2 + 11);
 * assert.equal(storedRecordBytes(["{}", "{}", null, '{"size":5}'], 5), 4 + 10 + 5);
 * ```
 */
export function storedRecordBytes(texts: Array<string | null>, fileSize: unknown): number {
  let bytes = 0;
  for (const text of texts) if (text !== null) bytes += Buffer.byteLength(text);
  if (typeof fileSize === "number" && Number.isSafeInteger(fileSize) && fileSize > 0) {
    bytes += fileSize;
  }
  return bytes;
}

/**
 * A `records` row of either backend as a {@linkcode RecordRow} (numbers may come as numbers,
 * bigints or strings); a row selected without its `data` column gets
 * `data: {}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordFromRow } from "./_stored_record.ts";
 * const row = recordFromRow({
 *   seq: 1, record_id: "r", writer_id: "w", user_id: "w", type: "t", plain: '{"a":"b"}',
 *   data: "{}", rec_sig: null, file_meta: null, created: 2, last_modified: 3, version: "v",
 * });
 * assert.deepEqual(row.plain, { a: "b" });
 * ```
 */
export function recordFromRow(row: Record<string, unknown>): RecordRow {
  return {
    seq: Number(row.seq),
    recordId: String(row.record_id),
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    type: String(row.type),
    plain: JSON.parse(String(row.plain)) as Record<string, string>,
    data: row.data === undefined ? {} : JSON.parse(String(row.data)) as Record<string, string>,
    recSig: row.rec_sig === null ? null : String(row.rec_sig),
    fileMeta: row.file_meta === null
      ? null
      : JSON.parse(String(row.file_meta)) as Record<string, unknown>,
    created: Number(row.created),
    lastModified: Number(row.last_modified),
    version: String(row.version),
  };
}
