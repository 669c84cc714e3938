/**
 * The v1 query's page sizes, apart from its zod schemas (`query.ts`) so that `arca --help` can
 * show them without loading zod.
 *
 * @module
 */

/** Default page size of a v1 query. */
export const QUERY_DEFAULT_COUNT = 50;
/** Largest page size of a v1 query. */
export const QUERY_MAX_COUNT = 1000;
/** Default page size of the SDK's queries (E3DB's Python and JS SDKs use 100). */
export const DEFAULT_PAGE_SIZE = 100;
