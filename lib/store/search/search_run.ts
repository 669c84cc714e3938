/**
 * A v2 search on the search index, for any backend (`search_dialect.ts`):
 *
 * 1. **Scope**: the caller, plus, with `includeAllWriters`, every writer with a current
 *    allow-read policy for the caller (checked again per record and type, so revocation is
 *    immediate).
 * 2. **Resolve** (`_search_resolver.ts`): every search value becomes a predicate over dictionary
 *    terms, scope writers or record columns; the query becomes one formula,
 *    `(M1 ∨ M2 ...) ∧ ¬(X1 ∨ X2 ...)`, with constants folded.
 * 3. **Plan and run** (`_search_planner.ts`): a count stopped at the 10,000-result window, then
 *    the page.
 *
 * The search is a {@linkcode SqlSteps} computation: it yields its statements, and the backend
 * runs them (synchronously on SQLite, asynchronously on PostgreSQL). Request values only ever
 * travel as bound parameters; SQL text is assembled from constants.
 *
 * @module
 */
import { FALSE, isConst, orOf, TRUE } from "./_search_formula.ts";
import { Planner } from "./_search_planner.ts";
import { clauseIsEmpty, type SearchQuery, validateSearchQuery } from "./search_query.ts";
import { prefetchLookups, Resolver, type Scope } from "./_search_resolver.ts";
import type { SearchDialect } from "./search_dialect.ts";
import { rowsOf, type SqlSteps } from "./search_sql.ts";
import { SqlBuilder } from "./_sql_builder.ts";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./_search_tuning.ts";

export type { SearchTuning };

/** Which records matched: the page's sequence numbers, and the capped total. */
export interface SearchHits {
  /** Sequence numbers of the page's records, in result order. */
  seqs: number[];
  /** Matching records, counted up to the result window. */
  total: number;
}

/**
 * The search as steps, for `dialect`. Throws `ValidationError` (when started) for a malformed
 * query or pattern. `tuning` changes the planner's thresholds (tests use tiny ones to exercise
 * every plan).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { runSteps, searchSql } from "./search_sql.ts";
 * import { SQLITE_DIALECT } from "./search_dialect.ts";
 * import { searchSteps } from "./search_run.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const query = {
 *   callerId: "c", includeAllWriters: false, match: [], exclude: [], range: null,
 *   descending: false, offset: 0, limit: 10,
 * };
 * assert.deepEqual(runSteps(searchSql(db), searchSteps(SQLITE_DIALECT, query)), {
 *   seqs: [],
 *   total: 0,
 * });
 * db.close();
 * ```
 */
export function* searchSteps(
  dialect: SearchDialect,
  query: SearchQuery,
  tuning: SearchTuning = DEFAULT_SEARCH_TUNING,
): SqlSteps<SearchHits> {
  validateSearchQuery(query);
  const none: SearchHits = { seqs: [], total: 0 };
  const range = query.range;
  if (
    range !== null && range.after !== null && range.before !== null && range.after > range.before
  ) {
    return none;
  }
  yield* prefetchLookups(query); // sent with the scope's statement where round trips cost
  const scope = yield* loadScope(dialect, query);
  if (scope.writers.length === 0) return none;
  const resolver = new Resolver(dialect, scope.writers, tuning.maxListedTerms);
  const matches = [];
  for (const clause of query.match) matches.push(yield* resolver.clause(clause));
  const positive = query.match.length === 0 ? TRUE : orOf(matches);
  const excludes = [];
  for (const clause of query.exclude) {
    if (!clauseIsEmpty(clause)) excludes.push(yield* resolver.clause(clause));
  }
  const negative = excludes.length === 0 ? FALSE : orOf(excludes);
  if (isConst(positive, false) || isConst(negative, true)) return none;
  const planner = new Planner(dialect, { query, scope, positive, negative, tuning });
  yield* planner.plan();
  if (planner.empty) return none;
  yield* planner.prefetchPage();
  const total = yield* planner.count();
  return { seqs: yield* planner.page(total), total };
}

function* loadScope(dialect: SearchDialect, query: SearchQuery): SqlSteps<Scope> {
  const ids = [query.callerId];
  if (query.includeAllWriters) {
    const granted = yield* rowsOf(
      "SELECT DISTINCT writer_id FROM policies WHERE reader_id = ? AND can_read = TRUE" +
        " AND writer_id <> ?",
      [query.callerId, query.callerId],
    );
    ids.push(...granted.map((row) => String(row.writer_id)));
  }
  const b = new SqlBuilder(dialect);
  const rows = yield* rowsOf(
    "SELECT writer_num, writer_id, records FROM search_writers" +
      ` WHERE writer_id IN (${b.list(ids)}) ORDER BY writer_num`,
    b.params,
  );
  const writers = rows.map((row) => ({
    id: String(row.writer_id),
    num: Number(row.writer_num),
    records: Number(row.records),
  }));
  writers.sort((a, b) => Number(b.id === query.callerId) - Number(a.id === query.callerId));
  return { callerId: query.callerId, writers };
}
