/**
 * The search index on PostgreSQL: its migration (step 5) and the functions the record writes
 * call to keep it in step, inside the write's transaction.
 *
 * This is the placeholder pg-core commits so everything compiles: the migration creates nothing
 * and the functions do nothing. pg-search replaces this file with the real index.
 *
 * @module
 */
import type { IndexedRecord } from "../search/sqlite_index.ts";
import type { PgSql } from "./_session.ts";

/** The search index migration SQL (placeholder: creates nothing). */
export const SEARCH_INDEX_MIGRATION_SQL_POSTGRES = "";

/**
 * Adds a record's terms to the search index (placeholder: does nothing).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL transaction (see _records.ts).
 * await indexRecordPostgres(tx, record);
 * ```
 */
export async function indexRecordPostgres(_sql: PgSql, _record: IndexedRecord): Promise<void> {}

/**
 * Removes a record's terms from the search index (placeholder: does nothing).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL transaction (see _records.ts).
 * await unindexRecordPostgres(tx, record);
 * ```
 */
export async function unindexRecordPostgres(_sql: PgSql, _record: IndexedRecord): Promise<void> {}
