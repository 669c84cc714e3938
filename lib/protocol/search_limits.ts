/**
 * The v2 search's bounds and enumerations, apart from its zod schemas (`search.ts`) so that
 * `arca --help` can show them without loading zod.
 *
 * @module
 */

/** Page size when `limit` is absent. */
export const SEARCH_DEFAULT_LIMIT = 50;
/** Largest `limit` (E3DB answers 1001 with 400). */
export const SEARCH_MAX_LIMIT = 1000;
/** Only results before this offset can be retrieved (E3DB's Elasticsearch result window). */
export const SEARCH_RESULT_WINDOW = 10_000;
/** Most clauses in `match`, and in `exclude`. */
export const SEARCH_MAX_CLAUSES = 32;
/** Most values in one term list (or entries in one `tags` map). */
export const SEARCH_MAX_VALUES = 256;
/** Most values in one request, all clauses and term lists together. */
export const SEARCH_MAX_TOTAL_VALUES = 1024;
/** Most WILDCARD, REGEXP or FUZZY values in one request (each may scan the term dictionary). */
export const SEARCH_MAX_PATTERN_VALUES = 32;
/** Longest search value, in UTF-16 code units. */
export const SEARCH_MAX_VALUE_LENGTH = 1024;

/** The four matching strategies of a clause (the store compiles each value for one of them). */
export const SEARCH_STRATEGIES = ["EXACT", "FUZZY", "WILDCARD", "REGEXP"] as const;
/** How a clause compares its values: `EXACT`, `FUZZY`, `WILDCARD` or `REGEXP`. */
export type SearchStrategy = typeof SEARCH_STRATEGIES[number];
/** How a clause joins its values: any (`OR`) or all (`AND`). */
export const SEARCH_CONDITIONS = ["OR", "AND"] as const;
/** `OR` or `AND`. */
export type SearchCondition = typeof SEARCH_CONDITIONS[number];
/** Which timestamp a range bounds. */
export const SEARCH_RANGE_KEYS = ["CREATED", "MODIFIED"] as const;
/** `CREATED` or `MODIFIED`. */
export type SearchRangeKey = typeof SEARCH_RANGE_KEYS[number];
/** Result orders by creation time. */
export const SEARCH_ORDERS = ["ASCENDING", "DESCENDING"] as const;
/** `ASCENDING` (oldest first) or `DESCENDING`. */
export type SearchOrder = typeof SEARCH_ORDERS[number];
