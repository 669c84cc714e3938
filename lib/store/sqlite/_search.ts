/**
 * The SQLite {@linkcode SearchStore}: runs a v2 search on the search index
 * (`../search/sqlite_search.ts`) and reads the page's records, in one read transaction.
 *
 * @module
 */
import type { SearchStore } from "../search.ts";
import type { SearchPage, SearchQuery } from "../search/search_query.ts";
import { inReadTransaction, searchSql } from "../search/search_sql.ts";
import { runSqliteSearch } from "../search/sqlite_search.ts";
import { toRecord } from "./_records.ts";
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
        const rows = sql.all(
          "SELECT * FROM records WHERE seq IN (SELECT value FROM json_each(?))",
          JSON.stringify(hits.seqs),
        ).map(toRecord);
        const bySeq = new Map(rows.map((row) => [row.seq, row]));
        return { records: hits.seqs.map((seq) => bySeq.get(seq)!), total: hits.total };
      })
    );
  }
}
