/**
 * The v2 search over records (`POST /v2/search`). The query language, its validation and the
 * result window are in `search/search_query.ts`; each backend keeps its own index, written with
 * the records.
 *
 * @module
 */
import type { SearchPage, SearchQuery } from "./search/search_query.ts";

/**
 * The search method of a store (`store.search`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const page = await store.search.run({
 *   callerId: crypto.randomUUID(), includeAllWriters: false, match: [], exclude: [],
 *   range: null, descending: false, offset: 0, limit: 10,
 * });
 * assert.deepEqual(page, { records: [], total: 0 });
 * await store.close();
 * ```
 */
export interface SearchStore {
  /**
   * One page of the records matching a search, and how many match (capped at the result
   * window). Throws `ValidationError` for a malformed query or pattern.
   */
  run(query: SearchQuery): Promise<SearchPage>;
}
