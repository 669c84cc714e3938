/**
 * The commonest search in one statement on PostgreSQL: one `EXACT` value or type over the
 * caller's own records (no other criterion, no exclusion, no range). The backend-neutral planner
 * would run it as the dictionary lookup and the scope, then the count, the page and the page's
 * records: two round trips, five statements each planned anew. Its plan is always the same (the
 * term's posting list of the caller's writer, already in creation order in the index), so here
 * it is one prepared statement: the term and the writer are looked up inside it, the total is
 * counted up to the result window and the page's records are read within the page's data budget,
 * all in the statement's one snapshot. The statement's text depends only on the direction and on
 * whether the page returns `data`, so each connection prepares at most four of them, and
 * PostgreSQL keeps their plans (the term and the writer are looked up at run time, so no plan
 * depends on a value).
 *
 * @module
 */
import { SEARCH_RESULT_WINDOW, type SearchPage, type SearchQuery } from "../search/search_query.ts";
import { clauseIsEmpty } from "../search/search_query.ts";
import { SEARCH_FIELD } from "../search/sqlite_index.ts";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import { pageFrom, pageRecordsSql } from "./_search_page.ts";
import type { PostgresSession } from "./_session.ts";

/** The one dictionary term a query searches for, by field. */
export interface OneTerm {
  /** The term's dictionary field (`SEARCH_FIELD.type` or `SEARCH_FIELD.value`). */
  field: number;
  /** The term. */
  term: string;
}

/**
 * The term of a query that searches the caller's own records for one `EXACT` value or type and
 * nothing else, or `null` for any other query.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneTermOf } from "./_search_one_term.ts";
 * import { emptyClause } from "../search/search_query.ts";
 * const query = {
 *   callerId: "c", includeAllWriters: false, exclude: [], range: null, descending: false,
 *   offset: 0, limit: 10, match: [{ ...emptyClause(), values: ["tea"] }],
 * };
 * assert.deepEqual(oneTermOf(query), { field: 3, term: "tea" });
 * assert.equal(oneTermOf({ ...query, includeAllWriters: true }), null);
 * ```
 */
export function oneTermOf(query: SearchQuery): OneTerm | null {
  if (query.includeAllWriters || query.range !== null || query.match.length !== 1) return null;
  if (!query.exclude.every(clauseIsEmpty)) return null;
  const clause = query.match[0]!;
  if (clause.strategy !== "EXACT") return null;
  const others = clause.writerIds.length + clause.userIds.length + clause.recordIds.length +
    clause.keys.length + clause.tags.length;
  if (others !== 0 || clause.types.length + clause.values.length !== 1) return null;
  return clause.values.length === 1
    ? { field: SEARCH_FIELD.value, term: clause.values[0]! }
    : { field: SEARCH_FIELD.type, term: clause.types[0]! };
}

/**
 * The statement: `$1` the field, `$2` the term, `$3` the caller, `$4` the limit, `$5` the
 * offset, `$6` the data budget (with data). One row per record read, each with the total; one
 * row with the total and no record when the page is empty.
 */
function oneTermSql(descending: boolean, includeData: boolean): string {
  const dir = descending ? "DESC" : "ASC";
  const postings = "FROM search_postings p" +
    " WHERE p.term_id = (SELECT t.term_id FROM search_terms t WHERE t.field = $1::smallint" +
    " AND t.term = $2::text) AND p.writer_num = (SELECT w.writer_num FROM search_writers w" +
    " WHERE w.writer_id = $3::text)";
  const count = `SELECT count(*) AS total FROM (SELECT 1 ${postings}` +
    ` LIMIT ${SEARCH_RESULT_WINDOW}) AS s`;
  const hits = `(SELECT p.seq, row_number() OVER (ORDER BY p.created ${dir}, p.seq ${dir}) AS n` +
    ` FROM (SELECT p.created, p.seq ${postings} ORDER BY p.created ${dir}, p.seq ${dir}` +
    " LIMIT $4::bigint OFFSET $5::bigint) AS p) AS hit";
  return `SELECT c.total, r.* FROM (${count}) AS c` +
    ` LEFT JOIN (${pageRecordsSql(hits, includeData, "$6::bigint")}) AS r ON TRUE`;
}

/**
 * Runs a query {@linkcode oneTermOf} accepted, for `term`, in one statement of `session` (on the
 * pool, or in its open transaction): the same page and total as the planner's.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL) and a store's session.
 * const page = await searchOneTerm(session, query, oneTermOf(query)!);
 * ```
 */
export async function searchOneTerm(
  session: PostgresSession,
  query: SearchQuery,
  term: OneTerm,
): Promise<SearchPage> {
  const includeData = query.includeData ?? true;
  const params: Array<string | number> = [
    term.field,
    term.term,
    query.callerId,
    query.limit,
    query.offset,
  ];
  if (includeData) params.push(query.maxDataBytes ?? PAGE_DATA_BYTES);
  const rows = await session.rows(oneTermSql(query.descending, includeData), ...params);
  const total = Number(rows[0]?.total ?? 0);
  const records = rows.filter((row) => row.seq !== null);
  // Rows past the window (a page reaching beyond it) are not results.
  const seqs = records.map((row) => ({
    seq: Number(row.seq),
    created: BigInt(String(row.created)),
  }))
    .sort((a, b) => compareHits(a, b) * (query.descending ? -1 : 1))
    .slice(0, Math.max(0, total - query.offset))
    .map((hit) => hit.seq);
  return { records: pageFrom(records, seqs, query), total };
}

function compareHits(
  a: { seq: number; created: bigint },
  b: { seq: number; created: bigint },
): number {
  if (a.created !== b.created) return a.created < b.created ? -1 : 1;
  return a.seq - b.seq;
}
