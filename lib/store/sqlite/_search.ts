/**
 * The SQLite {@linkcode SearchStore}: runs a v2 search on the search index
 * (`../search/sqlite_search.ts`) and reads the page's records (their `data` only when the search
 * returns it, and within the page's data budget), in one read transaction.
 *
 * @module
 */
import type { SearchStore } from "../search.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import { inReadTransaction, searchSql } from "../search/search_sql.ts";
import { runSqliteSearch } from "../search/sqlite_search.ts";
import { readRecordPage, recordColumns } from "./_record_rows.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * The search of a SQLite store.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteSearch } from "./_search.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.search instanceof SqliteSearch);
 * await store.close();
 * ```
 */
export class SqliteSearch implements SearchStore {
  readonly #sql: SqliteSession;

  /** The search of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** One page of matching records and the total. */
  run(query: SearchQuery): Promise<SearchPage> {
    const sql = this.#sql;
    return sql.exec(() =>
      inReadTransaction(sql.connection.db, () => {
        const hits = runSqliteSearch(searchSql(sql.connection.db), query);
        // The page's records in the order of the hits, so the data budget ends it at a prefix.
        const statement = sql.statement(
          `SELECT ${recordColumns(query.includeData ?? true)} FROM json_each(?) hit` +
            " JOIN records r ON r.seq = hit.value ORDER BY hit.key",
        );
        const records = readRecordPage(statement, [JSON.stringify(hits.seqs)], query);
        return { records, total: hits.total };
      })
    );
  }
}
