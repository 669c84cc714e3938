/**
 * `arca_search_match(strategy, pattern, text)`: the SQL function that checks one column value
 * against one search pattern, for patterns the dictionary cannot resolve (WILDCARD, REGEXP or
 * FUZZY on user and record ids). Registered on every SQLite store connection.
 *
 * @module
 */
import type { SearchStrategy } from "../../protocol/search.ts";
import { cachedTermPattern } from "./_term_pattern.ts";

/** The name of the SQL function checking one value against one pattern. */
export const MATCH_FUNCTION = "arca_search_match";

/**
 * What {@linkcode MATCH_FUNCTION} computes: 1 when `text` matches `pattern` under `strategy`,
 * else 0 (also for non-text arguments).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchFunction } from "./_match_function.ts";
 * assert.equal(matchFunction("WILDCARD", "a*", "abc"), 1);
 * assert.equal(matchFunction("EXACT", "a", "b"), 0);
 * ```
 */
export function matchFunction(strategy: unknown, pattern: unknown, text: unknown): number {
  if (typeof text !== "string" || typeof pattern !== "string") return 0;
  return cachedTermPattern(strategy as SearchStrategy, pattern).matches(text) ? 1 : 0;
}
