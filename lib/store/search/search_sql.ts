/**
 * The narrow view of a SQLite connection the search index and the search compiler use: run a
 * parameterised statement, get one row, get all rows. SQL text is always assembled from
 * constants; every value a caller supplies travels as a bound parameter.
 *
 * Prepared statements are cached per connection in a small least-recently-used cache: search
 * SQL varies with the shape of the request, so an unbounded cache would let requests grow
 * memory without limit.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** A bound parameter. Integers that must stay integers are passed as `bigint`. */
export type SearchSqlParam = string | number | bigint | null;

/** A result row. */
export type SearchSqlRow = Record<string, unknown>;

/** Runs parameterised SQL on one connection (inside whatever transaction is open on it). */
export interface SearchSql {
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, ...params: SearchSqlParam[]): number;
  /** The first row, or `undefined`. */
  get(sql: string, ...params: SearchSqlParam[]): SearchSqlRow | undefined;
  /** Every row. */
  all(sql: string, ...params: SearchSqlParam[]): SearchSqlRow[];
}

/** One statement a search step asks to run: SQL text with `?` placeholders, and its values. */
export interface SqlRequest {
  /** The statement. */
  sql: string;
  /** Its bound values, in placeholder order. */
  params: SearchSqlParam[];
  /**
   * A hint, not a request (see {@linkcode prefetch}): the computation will likely ask for this
   * statement later and wants no rows now.
   */
  prefetch?: true;
  /**
   * On a prefetch: the statement is the page itself (rows with `created` and `seq`, ordered by
   * both in the query's direction, offset and limit applied), so a runner may read the page's
   * records along with it.
   */
  page?: true;
}

/**
 * A search computation that asks for statements by yielding them and receives their rows back,
 * so one planner runs synchronously on SQLite ({@linkcode runSteps}) and asynchronously on
 * PostgreSQL.
 */
export type SqlSteps<T> = Generator<SqlRequest, T, SearchSqlRow[]>;

/**
 * Asks for the rows of one statement (inside a {@linkcode SqlSteps} computation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { rowsOf, runSteps, searchSql } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * const [row] = runSteps(searchSql(db), rowsOf("SELECT ? + 1 AS n", [41n]));
 * assert.equal(row?.n, 42);
 * db.close();
 * ```
 */
export function* rowsOf(sql: string, params: SearchSqlParam[]): SqlSteps<SearchSqlRow[]> {
  return yield { sql, params };
}

/**
 * Tells the runner (inside a {@linkcode SqlSteps} computation) that the computation will likely
 * ask for this statement later, whatever the statements before then return. A runner with round
 * trips (PostgreSQL) may send it at once, together with the next statement, and answer the later
 * request from it; SQLite's runner ignores it. `page` marks the page's own statement (see
 * {@linkcode SqlRequest.page}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { prefetch, rowsOf, runSteps, searchSql } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * const steps = (function* () {
 *   yield* prefetch("SELECT 2 AS n", []);
 *   const [row] = yield* rowsOf("SELECT 2 AS n", []);
 *   return Number(row?.n);
 * })();
 * assert.equal(runSteps(searchSql(db), steps), 2);
 * db.close();
 * ```
 */
export function* prefetch(
  sql: string,
  params: SearchSqlParam[],
  page = false,
): SqlSteps<void> {
  yield page ? { sql, params, prefetch: true, page: true } : { sql, params, prefetch: true };
}

/**
 * Runs a {@linkcode SqlSteps} computation on a SQLite connection, synchronously.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { rowsOf, runSteps, searchSql } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * const steps = (function* () {
 *   const [row] = yield* rowsOf("SELECT 2 AS n", []);
 *   return Number(row?.n) * 21;
 * })();
 * assert.equal(runSteps(searchSql(db), steps), 42);
 * db.close();
 * ```
 */
export function runSteps<T>(sql: SearchSql, steps: SqlSteps<T>): T {
  let step = steps.next();
  while (!step.done) {
    const request = step.value;
    step = steps.next(request.prefetch ? [] : sql.all(request.sql, ...request.params));
  }
  return step.value;
}

/** Most prepared statements cached per connection. */
export const SEARCH_STATEMENT_CACHE_SIZE = 256;

const caches = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The search view of a connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { searchSql } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * assert.equal(searchSql(db).get("SELECT ? + 1 AS n", 41n)?.n, 42);
 * db.close();
 * ```
 */
export function searchSql(db: DatabaseSync): SearchSql {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  const statements = cache;
  const statement = (text: string): StatementSync => {
    let prepared = statements.get(text);
    if (prepared === undefined) {
      prepared = db.prepare(text);
      if (statements.size >= SEARCH_STATEMENT_CACHE_SIZE) {
        statements.delete(statements.keys().next().value!);
      }
    } else {
      statements.delete(text);
    }
    statements.set(text, prepared);
    return prepared;
  };
  return {
    run: (text, ...params) => Number(statement(text).run(...params).changes),
    get: (text, ...params) => statement(text).get(...params) as SearchSqlRow | undefined,
    all: (text, ...params) => statement(text).all(...params) as SearchSqlRow[],
  };
}

/**
 * Runs `job` in a read transaction (one consistent snapshot for its several statements),
 * joining the open transaction if there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { inReadTransaction } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * assert.equal(inReadTransaction(db, () => db.isTransaction), true);
 * db.close();
 * ```
 */
export function inReadTransaction<T>(db: DatabaseSync, job: () => T): T {
  if (db.isTransaction) return job();
  db.exec("BEGIN");
  try {
    return job();
  } finally {
    if (db.isTransaction) db.exec("COMMIT");
  }
}
