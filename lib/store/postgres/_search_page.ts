/**
 * The records of a PostgreSQL search page: the statement that reads them in result order within
 * the page's data budget, and the exact cut of the page from its rows.
 *
 * @module
 */
import type { SearchQuery } from "../search/search_query.ts";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { RecordRow } from "../records.ts";
import { recordFromRow } from "../_stored_record.ts";
import { pgRecordColumns } from "./_record_rows.ts";
import type { PgRow } from "./_session.ts";

/**
 * The statement reading a page's records in the order of `hits` (a FROM item of their `seq` and
 * position `n`) with the columns a page returns. With data, the statement already leaves out
 * every record after the page's data budget (`budget`, a placeholder or constant, measured as
 * everywhere in UTF-16 units of the stored `data`) is spent counting code points (never more than
 * UTF-16 units, so it keeps a superset); {@linkcode pageFrom} makes the exact cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageRecordsSql } from "./_search_page.ts";
 * const hits = "(SELECT 7 AS seq, 1 AS n) AS hit";
 * assert.match(pageRecordsSql(hits, true, "$1"), /r\.before <= \$1/);
 * assert.doesNotMatch(pageRecordsSql(hits, false, "$1"), /r\.data/);
 * ```
 */
export function pageRecordsSql(hits: string, includeData: boolean, budget: string): string {
  const ordered = ` FROM ${hits} JOIN records r ON r.seq = hit.seq::bigint`;
  return includeData
    ? `SELECT ${pgRecordColumns(true)} FROM (SELECT r.*, hit.n, coalesce(sum(length(r.data))` +
      " OVER (ORDER BY hit.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before" +
      `${ordered}) AS r WHERE r.before <= ${budget} ORDER BY r.n`
    : `SELECT ${pgRecordColumns(false)}${ordered} ORDER BY hit.n`;
}

/**
 * The page from `rows` (records of the hits, or of more), in the order of `seqs` (the page's
 * sequence numbers in result order), ending with the record that takes it past its data budget
 * (or before the first hit missing from `rows`: past the budget the statement applied).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageFrom } from "./_search_page.ts";
 * const row = (seq: number, data: string) => ({
 *   seq, record_id: `r${seq}`, writer_id: "w", user_id: "w", type: "note", plain: "{}", data,
 *   rec_sig: null, file_meta: null, created: seq, last_modified: seq, version: "v",
 * });
 * const query = {
 *   callerId: "w", includeAllWriters: false, match: [], exclude: [], range: null,
 *   descending: false, offset: 0, limit: 10, maxDataBytes: 10,
 * };
 * // The second record takes the page past its 10-unit budget: it is the last one.
 * const rows = [row(1, '{"a":"1"}'), row(2, '{"b":"2"}'), row(3, '{"c":"3"}')];
 * assert.deepEqual(pageFrom(rows, [3, 2, 1], query).map((r) => r.seq), [3, 2]);
 * ```
 */
export function pageFrom(rows: PgRow[], seqs: readonly number[], query: SearchQuery): RecordRow[] {
  const includeData = query.includeData ?? true;
  const budget = query.maxDataBytes ?? PAGE_DATA_BYTES;
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  const page: RecordRow[] = [];
  let spent = 0;
  for (const seq of seqs) {
    const row = bySeq.get(seq);
    if (row === undefined) break; // past the budget the statement applied
    page.push(recordFromRow(row));
    if (!includeData) continue;
    spent += String(row.data).length;
    if (spent > budget) break;
  }
  return page;
}
