/**
 * Runs a v2 search on the SQLite search index (`sqlite_index.ts`):
 *
 * 1. **Scope**: the caller, plus, with `includeAllWriters`, every writer with a current
 *    allow-read policy for the caller (checked again per record and type, so revocation is
 *    immediate).
 * 2. **Resolve** (`search_resolver.ts`): every search value becomes a predicate over dictionary
 *    terms, scope writers or record columns; the query becomes one formula,
 *    `(M1 ∨ M2 ...) ∧ ¬(X1 ∨ X2 ...)`, with constants folded.
 * 3. **Plan and run** (`search_planner.ts`): a count stopped at the 10,000-result window, then
 *    the page.
 *
 * Request values only ever travel as bound parameters; SQL text is assembled from constants.
 *
 * @module
 */
import { FALSE, isConst, orOf, TRUE } from "./_search_formula.ts";
import { Planner, type Scope } from "./_search_planner.ts";
import { clauseIsEmpty, type SearchQuery, validateSearchQuery } from "./search_query.ts";
import { Resolver } from "./_search_resolver.ts";
import type { SearchSql } from "./search_sql.ts";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./_search_tuning.ts";

/** Which records matched: the page's sequence numbers, and the capped total. */
export interface SearchHits {
  /** Sequence numbers of the page's records, in result order. */
  seqs: number[];
  /** Matching records, counted up to the result window. */
  total: number;
}

/**
 * Runs a search and returns the page's sequence numbers and the total. Throws
 * `ValidationError` for a malformed query or pattern. `tuning` changes the planner's
 * thresholds (tests use tiny ones to exercise every plan).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { runSqliteSearch } from "./sqlite_search.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const query = {
 *   callerId: "c", includeAllWriters: false, match: [], exclude: [], range: null,
 *   descending: false, offset: 0, limit: 10,
 * };
 * assert.deepEqual(runSqliteSearch(searchSql(db), query), { seqs: [], total: 0 });
 * db.close();
 * ```
 */
export function runSqliteSearch(
  sql: SearchSql,
  query: SearchQuery,
  tuning: SearchTuning = DEFAULT_SEARCH_TUNING,
): SearchHits {
  validateSearchQuery(query);
  const none: SearchHits = { seqs: [], total: 0 };
  const range = query.range;
  if (
    range !== null && range.after !== null && range.before !== null && range.after > range.before
  ) {
    return none;
  }
  const scope = loadScope(sql, query);
  if (scope.writers.length === 0) return none;
  const resolver = new Resolver(sql, scope.writers, tuning.maxListedTerms);
  const positive = query.match.length === 0
    ? TRUE
    : orOf(query.match.map((clause) => resolver.clause(clause)));
  const excludes = query.exclude.filter((clause) => !clauseIsEmpty(clause));
  const negative = excludes.length === 0 ? FALSE : orOf(excludes.map((c) => resolver.clause(c)));
  if (isConst(positive, false) || isConst(negative, true)) return none;
  const planner = new Planner(sql, { query, scope, positive, negative, tuning });
  if (planner.empty) return none;
  const total = planner.count();
  return { seqs: planner.page(total), total };
}

function loadScope(sql: SearchSql, query: SearchQuery): Scope {
  const ids = [query.callerId];
  if (query.includeAllWriters) {
    const granted = sql.all(
      "SELECT DISTINCT writer_id FROM policies WHERE reader_id = ? AND can_read = 1" +
        " AND writer_id <> ?",
      query.callerId,
      query.callerId,
    );
    ids.push(...granted.map((row) => String(row.writer_id)));
  }
  const rows = sql.all(
    "SELECT writer_num, writer_id, records FROM search_writers" +
      " WHERE writer_id IN (SELECT value FROM json_each(?)) ORDER BY writer_num",
    JSON.stringify(ids),
  );
  const writers = rows.map((row) => ({
    id: String(row.writer_id),
    num: Number(row.writer_num),
    records: Number(row.records),
  }));
  writers.sort((a, b) => Number(b.id === query.callerId) - Number(a.id === query.callerId));
  return { callerId: query.callerId, writers };
}
