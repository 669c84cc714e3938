/**
 * Reading `records` rows: a row as a {@linkcode RecordRow}, and a page of them within its data
 * budget: the columns to select (no `data` when it is not returned) and the loop that stops a
 * page with the record that takes it past the budget ({@linkcode PageDataOptions}).
 *
 * @module
 */
import type { StatementSync } from "node:sqlite";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { PageDataOptions, RecordRow } from "../records.ts";
import type { SqlParam, SqlRow } from "./_session.ts";
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

/**
 * The `records r` columns a page selects: all of them, or all but `data`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordColumns } from "./_record_rows.ts";
 * assert.match(recordColumns(true), /r\.data/);
 * assert.doesNotMatch(recordColumns(false), /r\.data/);
 * ```
 */
export function recordColumns(includeData: boolean): string {
  const columns = includeData ? [...COLUMNS_WITHOUT_DATA, "data"] : COLUMNS_WITHOUT_DATA;
  return columns.map((column) => `r.${column}`).join(", ");
}

/**
 * Runs `statement` (which selects {@linkcode recordColumns}) and reads its rows as records until
 * their data exceed the page's budget: the row that takes the page past it is the page's last,
 * and no row after it is read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { readRecordPage } from "./_record_rows.ts";
 * const db = new DatabaseSync(":memory:");
 * const rows = db.prepare(
 *   "SELECT 1 AS seq, 'r' AS record_id, 'w' AS writer_id, 'w' AS user_id, 't' AS type," +
 *     " '{}' AS plain, NULL AS rec_sig, NULL AS file_meta, 1 AS created," +
 *     " 1 AS last_modified, 'v' AS version",
 * );
 * assert.deepEqual(readRecordPage(rows, [], { includeData: false })[0]?.data, {});
 * db.close();
 * ```
 */
export function readRecordPage(
  statement: StatementSync,
  params: SqlParam[],
  options: PageDataOptions,
): RecordRow[] {
  const rows = statement.iterate(...params) as IterableIterator<SqlRow>;
  const page: RecordRow[] = [];
  if (options.includeData === false) {
    for (const row of rows) page.push(recordFromRow(row));
    return page;
  }
  const budget = options.maxDataBytes ?? PAGE_DATA_BYTES;
  let spent = 0;
  for (const row of rows) {
    page.push(recordFromRow(row));
    spent += String(row.data).length;
    if (spent > budget) break;
  }
  return page;
}
