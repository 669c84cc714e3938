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
import type { PgParam, PostgresSession } from "./_session.ts";
import { recordFromRow } from "../_stored_record.ts";

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
    return (await session.rows(text, ...params)).map(recordFromRow);
  }
  const budget = options.maxDataBytes ?? PAGE_DATA_BYTES;
  let spent = 0;
  const page: RecordRow[] = [];
  for await (const rows of session.cursor(text, params, BATCH_ROWS)) {
    for (const row of rows) {
      page.push(recordFromRow(row));
      spent += String(row.data).length;
      if (spent > budget) return page;
    }
  }
  return page;
}
