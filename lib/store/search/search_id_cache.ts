/**
 * Dictionary ids the search index has already looked up (writer numbers and term ids), so
 * indexing a record does not query `search_writers` and `search_terms` again for them.
 *
 * An id never changes once committed: writers and terms are never deleted. An id first seen
 * inside a transaction may still be rolled back, though, and SQLite would then hand the same
 * id to a different term, so the store clears this cache at every rollback.
 *
 * @module
 */

/** Most ids kept; past it the cache starts over (a dictionary can hold millions of terms). */
export const SEARCH_ID_CACHE_SIZE = 100_000;

/**
 * Writer numbers by writer id and term ids by (field, term).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SearchIdCache } from "./search_id_cache.ts";
 * const ids = new SearchIdCache();
 * ids.rememberTerm(3, "blue", 17);
 * assert.equal(ids.term(3, "blue"), 17);
 * ids.clear();
 * assert.equal(ids.term(3, "blue"), undefined);
 * ```
 */
export class SearchIdCache {
  readonly #writers = new Map<string, number>();
  readonly #terms = new Map<string, number>();

  /** The writer's number, if known. */
  writer(writerId: string): number | undefined {
    return this.#writers.get(writerId);
  }

  /** Remembers a writer's number. */
  rememberWriter(writerId: string, writerNum: number): void {
    if (this.#writers.size >= SEARCH_ID_CACHE_SIZE) this.#writers.clear();
    this.#writers.set(writerId, writerNum);
  }

  /** The term's id in dictionary field `field`, if known. */
  term(field: number, term: string): number | undefined {
    return this.#terms.get(`${field}:${term}`);
  }

  /** Remembers a term's id. */
  rememberTerm(field: number, term: string, termId: number): void {
    if (this.#terms.size >= SEARCH_ID_CACHE_SIZE) this.#terms.clear();
    this.#terms.set(`${field}:${term}`, termId);
  }

  /** Forgets everything (after a rollback). */
  clear(): void {
    this.#writers.clear();
    this.#terms.clear();
  }
}
