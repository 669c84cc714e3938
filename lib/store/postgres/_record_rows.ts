/**
 * Reading PostgreSQL `records` rows: a row as a {@linkcode RecordRow}, and a page of them within
 * its data budget ({@linkcode PageDataOptions}): rows are fetched in small batches through a
 * cursor, and the page stops with the record that takes it past the budget, so a page of large
 * records never loads more than it returns (plus one batch).
 *
 * @module
 */
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { PageDataOptions, RecordRow } from "../records.ts";
import type { PgParam, PgRow, PostgresSession } from "./_session.ts";

const COLUMNS_WITHOUT_DATA = [
  "seq",
  "record_id",
  "writer_id",
  "user_id",
  "type",
  "plain",
  "rec_sig",
  "file_meta",
  "created",
  "last_modified",
  "version",
];

/** Rows fetched per cursor batch when a page returns `data`. */
const BATCH_ROWS = 16;

/**
 * The `records r` columns a page selects: all of them, or all but `data`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pgRecordColumns } from "./_record_rows.ts";
 * assert.match(pgRecordColumns(true), /r\.data/);
 * assert.doesNotMatch(pgRecordColumns(false), /r\.data/);
 * ```
 */
export function pgRecordColumns(includeData: boolean): string {
  const columns = includeData ? [...COLUMNS_WITHOUT_DATA, "data"] : COLUMNS_WITHOUT_DATA;
  return columns.map((column) => `r.${column}`).join(", ");
}

/**
 * Runs `text` (which selects {@linkcode pgRecordColumns}) and reads its rows as records until
 * their data exceed the page's budget.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL); see _record_query.ts.
 * const page = await readPgRecordPage(session, text, params, { includeData: true });
 * ```
 */
export async function readPgRecordPage(
  session: PostgresSession,
  text: string,
  params: PgParam[],
  options: PageDataOptions,
): Promise<RecordRow[]> {
  if (options.includeData === false) {
    return (await session.rows(text, ...params)).map(toPgRecord);
  }
  const budget = options.maxDataBytes ?? PAGE_DATA_BYTES;
  let spent = 0;
  const page: RecordRow[] = [];
  for await (const rows of session.cursor(text, params, BATCH_ROWS)) {
    for (const row of rows) {
      page.push(toPgRecord(row));
      spent += String(row.data).length;
      if (spent > budget) return page;
    }
  }
  return page;
}

/**
 * A `records` row as a {@linkcode RecordRow}; a row selected without its `data` column gets
 * `data: {}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toPgRecord } from "./_record_rows.ts";
 * const row = toPgRecord({
 *   seq: "1", record_id: "r", writer_id: "w", user_id: "w", type: "t", plain: '{"a":"b"}',
 *   data: "{}", rec_sig: null, file_meta: null, created: "2", last_modified: "3", version: "v",
 * });
 * assert.deepEqual(row.plain, { a: "b" });
 * assert.equal(row.created, 2);
 * ```
 */
export function toPgRecord(row: PgRow): RecordRow {
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
