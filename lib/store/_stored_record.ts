/**
 * How a record is stored, for every backend: the JSON texts of its parts, and the bytes it counts
 * for in its writer's usage (`usage.ts`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { RecordRow } from "./records.ts";

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
