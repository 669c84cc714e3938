/**
 * The PostgreSQL {@linkcode SearchStore} (placeholder: pg-search replaces this file).
 *
 * @module
 */
import type { SearchStore } from "../search.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import type { PostgresSession } from "./_session.ts";

/**
 * The search of a PostgreSQL store; not implemented yet.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * await assert.rejects(store.search.run(query), /not implemented/);
 * ```
 */
export class PostgresSearch implements SearchStore {
  readonly #sql: PostgresSession;

  /** The search of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Rejects: search is not implemented on PostgreSQL yet. */
  run(_query: SearchQuery): Promise<SearchPage> {
    void this.#sql;
    return Promise.reject(new Error("search is not implemented on PostgreSQL yet"));
  }
}
