/**
 * The PostgreSQL {@linkcode SearchStore}: the backend-neutral search (`../search/search_run.ts`,
 * the same resolver and planner as SQLite's) with PostgreSQL's dialect, its statements run one
 * after another in one read-only `REPEATABLE READ` transaction (one snapshot), then the page's
 * records read (their `data` only when the search returns it, and within the page's data
 * budget).
 *
 * Search statements vary with the shape of each request, so they run unprepared: PostgreSQL
 * plans each with its actual values, and no per-connection statement cache grows with them.
 *
 * @module
 */
import type { SearchStore } from "../search.ts";
import { POSTGRES_DIALECT } from "../search/search_dialect.ts";
import { type SearchHits, searchSteps } from "../search/search_run.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import { validateSearchQuery } from "../search/search_query.ts";
import type { SearchSqlParam, SqlSteps } from "../search/search_sql.ts";
import type { SearchTuning } from "../search/_search_tuning.ts";
import { pgRecordColumns, readPgRecordPage } from "./_record_rows.ts";
import type { PgSql, PostgresSession } from "./_session.ts";

/**
 * The search of a PostgreSQL store.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * import assert from "node:assert/strict";
 * import { openPostgresStore } from "./store.ts";
 * const store = await openPostgresStore(Deno.env.get("DATABASE_URL")!);
 * const page = await store.search.run({
 *   callerId: crypto.randomUUID(), includeAllWriters: false, match: [], exclude: [],
 *   range: null, descending: false, offset: 0, limit: 10,
 * });
 * assert.deepEqual(page, { records: [], total: 0 });
 * await store.close();
 * ```
 */
export class PostgresSearch implements SearchStore {
  readonly #session: PostgresSession;

  /** The search of the session's store. */
  constructor(session: PostgresSession) {
    this.#session = session;
  }

  /** One page of matching records and the total. */
  run(query: SearchQuery): Promise<SearchPage> {
    return this.runTuned(query);
  }

  /** {@linkcode PostgresSearch.run} with other planner thresholds (tests force every plan). */
  async runTuned(query: SearchQuery, tuning?: SearchTuning): Promise<SearchPage> {
    validateSearchQuery(query);
    const search = async (session: PostgresSession): Promise<SearchPage> => {
      const hits = await runPgSteps(session.sql, searchSteps(POSTGRES_DIALECT, query, tuning));
      return { records: await readPage(session, hits, query), total: hits.total };
    };
    if (this.#session.inTransaction) return await search(this.#session);
    return await this.#session.begin(async (tx) => {
      await tx.sql.unsafe("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      return await search(tx);
    });
  }
}

/** The page's records in the order of the hits, so the data budget ends it at a prefix. */
async function readPage(session: PostgresSession, hits: SearchHits, query: SearchQuery) {
  if (hits.seqs.length === 0) return [];
  const text = `SELECT ${pgRecordColumns(query.includeData ?? true)}` +
    " FROM json_array_elements_text($1::text::json) WITH ORDINALITY AS hit(seq, n)" +
    " JOIN records r ON r.seq = hit.seq::bigint ORDER BY hit.n";
  return await readPgRecordPage(session, text, [JSON.stringify(hits.seqs)], query);
}

/**
 * Runs a search computation's statements on PostgreSQL, in order, unprepared; `?` placeholders
 * become `$1`, `$2`, ... (search SQL holds no other `?`).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL) and a postgres.js handle `sql`.
 * const hits = await runPgSteps(sql, searchSteps(POSTGRES_DIALECT, query));
 * ```
 */
export async function runPgSteps<T>(sql: PgSql, steps: SqlSteps<T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    const { text, params } = numbered(step.value.sql, step.value.params);
    // postgres.js sends a bigint as int8 (its types omit it).
    const rows = await sql.unsafe(text, params as never[], { prepare: false });
    step = steps.next([...rows]);
  }
  return step.value;
}

function numbered(sql: string, params: SearchSqlParam[]) {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (n !== params.length) throw new Error(`Search SQL has ${n} placeholders, ${params.length} values`);
  return { text, params };
}
