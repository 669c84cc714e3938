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
import { type SearchHits, searchSteps, type SearchTuning } from "../search/search_run.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import { validateSearchQuery } from "../search/search_query.ts";
import type { SearchSqlParam, SearchSqlRow, SqlSteps } from "../search/search_sql.ts";
import { ValidationError } from "../../errors.ts";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { RecordRow } from "../records.ts";
import { pgRecordColumns } from "./_record_rows.ts";
import { recordFromRow } from "../_stored_record.ts";
import { type PgSql, PostgresSession } from "./_session.ts";

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
    const search = async (session: PostgresSession): Promise<SearchPage> => {
      const hits = await runPgSteps(session.sql, searchSteps(POSTGRES_DIALECT, query, tuning));
      return { records: await readPage(session, hits, query), total: hits.total };
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
 * The page's records in the order of the hits, in one statement. With data, the page ends with
 * the record that takes it past its data budget (measured, as everywhere, in UTF-16 units of the
 * stored `data`): the statement already leaves out every record after the budget is spent
 * counting code points (never more than UTF-16 units, so it keeps a superset), and the exact
 * cut is made here.
 */
async function readPage(
  session: PostgresSession,
  hits: SearchHits,
  query: SearchQuery,
): Promise<RecordRow[]> {
  if (hits.seqs.length === 0) return [];
  const includeData = query.includeData ?? true;
  const budget = query.maxDataBytes ?? PAGE_DATA_BYTES;
  const hitsJson = JSON.stringify(hits.seqs);
  const ordered = " FROM json_array_elements_text($1::text::json) WITH ORDINALITY AS hit(seq, n)" +
    " JOIN records r ON r.seq = hit.seq::bigint";
  const rows = includeData
    ? await session.rows(
      `SELECT ${pgRecordColumns(true)} FROM (SELECT r.*, hit.n, coalesce(sum(length(r.data))` +
        " OVER (ORDER BY hit.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before" +
        `${ordered}) AS r WHERE r.before <= $2 ORDER BY r.n`,
      hitsJson,
      budget,
    )
    : await session.rows(`SELECT ${pgRecordColumns(false)}${ordered} ORDER BY hit.n`, hitsJson);
  const page: RecordRow[] = [];
  let spent = 0;
  for (const row of rows) {
    page.push(recordFromRow(row));
    if (!includeData) continue;
    spent += String(row.data).length;
    if (spent > budget) break;
  }
  return page;
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

async function send(sql: PgSql, text: string, values: SearchSqlParam[]): Promise<SearchSqlRow[]> {
  const { text: numberedText, params } = numbered(text, values);
  // postgres.js sends a bigint as int8 (its types omit it); execute() sends it now.
  return [...await sql.unsafe(numberedText, params as never[], { prepare: false }).execute()];
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
