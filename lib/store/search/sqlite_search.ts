/**
 * Runs a v2 search on the SQLite search index (`sqlite_index.ts`): the backend-neutral search
 * (`search_run.ts`) with SQLite's dialect, run synchronously on one connection.
 *
 * @module
 */
import { SQLITE_DIALECT } from "./search_dialect.ts";
import { type SearchHits, searchSteps } from "./search_run.ts";
import type { SearchQuery } from "./search_query.ts";
import { runSteps, type SearchSql } from "./search_sql.ts";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./_search_tuning.ts";

export type { SearchHits };

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
  return runSteps(sql, searchSteps(SQLITE_DIALECT, query, tuning));
}
