/**
 * The PostgreSQL {@linkcode SearchStore}: the backend-neutral search (`../search/search_run.ts`,
 * the same resolver and planner as SQLite's) with PostgreSQL's dialect, its statements run one
 * after another in one read-only `REPEATABLE READ` transaction (one snapshot), then the page's
 * records read (their `data` only when the search returns it, and within the page's data
 * budget).
 *
 * Search statements vary with the shape of each request, so they run unprepared: PostgreSQL
 * plans each with its actual values, and no per-connection statement cache grows with them. The
 * exception is the commonest search, one `EXACT` value or type of the caller's own records:
 * one prepared statement of a fixed shape answers it (`_search_one_term.ts`).
 *
 * @module
 */
import type { SearchStore } from "../search.ts";
import { POSTGRES_DIALECT } from "../search/search_dialect.ts";
import { type SearchHits, searchSteps, type SearchTuning } from "../search/search_run.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import { validateSearchQuery } from "../search/search_query.ts";
import type { SearchSqlParam, SearchSqlRow, SqlSteps } from "../search/search_sql.ts";
import { ValidationError } from "../../errors.ts";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { RecordRow } from "../records.ts";
import { pageFrom, pageRecordsSql } from "./_search_page.ts";
import { oneTermOf, searchOneTerm } from "./_search_one_term.ts";
import { type PgRow, type PgSql, PostgresSession } from "./_session.ts";

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
    refuseNul(query);
    // Tuned runs exercise the planner's own plans.
    const oneTerm = tuning === undefined ? oneTermOf(query) : null;
    if (oneTerm !== null) return await searchOneTerm(this.#session, query, oneTerm);
    const search = async (session: PostgresSession): Promise<SearchPage> => {
      // The page's records, read in the page statement's round trip when it is announced.
      let pageRecords: Promise<PgRow[]> | undefined;
      const onPage = (text: string, params: SearchSqlParam[]) => {
        const statement = pageRecordsStatement(text, params, query);
        pageRecords = sendNumbered(session.sql, statement.text, statement.params);
        pageRecords.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
      };
      const steps = searchSteps(POSTGRES_DIALECT, query, tuning);
      const hits = await runPgSteps(session.sql, steps, onPage);
      const prefetched = pageRecords === undefined ? undefined : await pageRecords;
      const found = new Set(prefetched?.map((row) => Number(row.seq)));
      // Every hit among the rows read ahead (else the budget cut them: read as usual).
      const records = prefetched !== undefined && hits.seqs.every((seq) => found.has(seq))
        ? pageFrom(prefetched, hits.seqs, query)
        : await readPage(session, hits, query);
      return { records, total: hits.total };
    };
    if (this.#session.inTransaction) return await search(this.#session);
    const connection = this.#session.connection;
    if (connection.closed) throw new Error("Store is closed");
    // One snapshot for every statement; BEGIN travels pipelined with the first statement (one
    // round trip fewer).
    const reserved = await connection.pool.reserve();
    const begun = reserved.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute();
    begun.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
    const session = new PostgresSession(connection, reserved, true);
    let ended = "ROLLBACK";
    try {
      const page = await search(session);
      await begun;
      ended = "COMMIT";
      return page;
    } finally {
      session.finish();
      // Not waited for (a read-only transaction has nothing to lose): the connection answers
      // statements in order, so whoever gets it next runs after the transaction has ended.
      reserved.unsafe(ended).execute().catch(() => {});
      reserved.release();
    }
  }
}

/** PostgreSQL text cannot hold U+0000: a search value with one is refused, as such records are. */
function refuseNul(query: SearchQuery): void {
  for (const clause of [...query.match, ...query.exclude]) {
    const values = [
      ...clause.writerIds,
      ...clause.userIds,
      ...clause.recordIds,
      ...clause.types,
      ...clause.keys,
      ...clause.values,
      ...clause.tags.flat(),
    ];
    if (values.some((value) => value.includes("\0"))) {
      throw new ValidationError("Search values cannot contain U+0000 on PostgreSQL");
    }
  }
}

/**
 * The statement reading the records of the page statement `text` (numbered placeholders, one per
 * value of `params`), for sending right behind it: the page statement again, as a subquery, in
 * the same snapshot, so it finds the same rows.
 */
function pageRecordsStatement(
  text: string,
  params: SearchSqlParam[],
  query: SearchQuery,
): { text: string; params: SearchSqlParam[] } {
  const dir = query.descending ? "DESC" : "ASC";
  const hits = `(SELECT p.seq, row_number() OVER (ORDER BY p.created ${dir}, p.seq ${dir}) AS n` +
    ` FROM (${text}) AS p) AS hit`;
  const includeData = query.includeData ?? true;
  const budget = BigInt(query.maxDataBytes ?? PAGE_DATA_BYTES);
  return {
    text: pageRecordsSql(hits, includeData, `$${params.length + 1}::bigint`),
    params: includeData ? [...params, budget] : params,
  };
}

/** The page's records in the order of the hits, in one statement. */
async function readPage(
  session: PostgresSession,
  hits: SearchHits,
  query: SearchQuery,
): Promise<RecordRow[]> {
  if (hits.seqs.length === 0) return [];
  const includeData = query.includeData ?? true;
  const hitRows = "json_array_elements_text($1::text::json) WITH ORDINALITY AS hit(seq, n)";
  const sql = pageRecordsSql(hitRows, includeData, "$2");
  const hitsJson = JSON.stringify(hits.seqs);
  const rows = includeData
    ? await session.rows(sql, hitsJson, query.maxDataBytes ?? PAGE_DATA_BYTES)
    : await session.rows(sql, hitsJson);
  return pageFrom(rows, hits.seqs, query);
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
export async function runPgSteps<T>(
  sql: PgSql,
  steps: SqlSteps<T>,
  onPage?: (text: string, params: SearchSqlParam[]) => void,
): Promise<T> {
  // Announced statements already sent, by text and values: pipelined with the next statement.
  const prefetched = new Map<string, Promise<SearchSqlRow[]>>();
  let step = steps.next();
  while (!step.done) {
    const request = step.value;
    const key = requestKey(request.sql, request.params);
    if (request.prefetch) {
      if (!prefetched.has(key)) {
        const sent = send(sql, request.sql, request.params);
        sent.catch(() => {}); // awaited if asked for; an unused failure must not go unhandled
        prefetched.set(key, sent);
        if (request.page && onPage !== undefined) {
          const { text, params } = numbered(request.sql, request.params);
          onPage(text, params);
        }
      }
      step = steps.next([]);
      continue;
    }
    const rows = await (prefetched.get(key) ?? send(sql, request.sql, request.params));
    prefetched.delete(key);
    step = steps.next(rows);
  }
  return step.value;
}

function send(sql: PgSql, text: string, values: SearchSqlParam[]): Promise<SearchSqlRow[]> {
  const { text: numberedText, params } = numbered(text, values);
  return sendNumbered(sql, numberedText, params);
}

/** Sends a statement with `$n` placeholders now, unprepared. */
async function sendNumbered(
  sql: PgSql,
  text: string,
  params: SearchSqlParam[],
): Promise<SearchSqlRow[]> {
  // postgres.js sends a bigint as int8 (its types omit it); execute() sends it now.
  return [...await sql.unsafe(text, params as never[], { prepare: false }).execute()];
}

function requestKey(text: string, params: SearchSqlParam[]): string {
  return JSON.stringify([text, params.map((p) => [typeof p, String(p)])]);
}

function numbered(sql: string, params: SearchSqlParam[]) {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (n !== params.length) {
    throw new Error(`Search SQL has ${n} placeholders, ${params.length} values`);
  }
  return { text, params };
}
