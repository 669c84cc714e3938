/**
 * The v1 query's page sizes and budgets, apart from its zod schemas (`query.ts`) so that
 * `arca --help` and the SDK use them without loading zod.
 *
 * @module
 */

/** Default page size of a v1 query. */
export const QUERY_DEFAULT_COUNT = 50;
/** Largest page size of a v1 query. */
export const QUERY_MAX_COUNT = 1000;
/** Default page size of the SDK's queries (E3DB's Python and JS SDKs use 100). */
export const DEFAULT_PAGE_SIZE = 100;
/**
 * Data budget of one page of a v1 query or v2 search with data: 8 MiB, measured as the length
 * of each record's `record_data` JSON. A server ends a page once its records' data exceed it, so
 * a page can be short before the end only when its data exceed it.
 */
export const PAGE_DATA_BYTES = 8 * 1024 * 1024;
/** Most nodes a `plain` filter may have. */
export const PLAIN_FILTER_MAX_NODES = 256;
