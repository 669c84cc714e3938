/**
 * The small synchronous SQL surface the SQLite store lends to its per-feature SQL modules
 * (`sqlite_notes.ts`, `sqlite_identity.ts`), so each feature's statements live beside its rows.
 *
 * @module
 */

/** A result row: column name → value. */
export type SqlRow = Record<string, unknown>;

/** A bound parameter. */
export type SqlParam = string | number | null;

/** Runs statements on the store's connection (prepared statements are cached by the store). */
export interface SqlRunner {
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, ...params: SqlParam[]): number;
  /** The first row, or `undefined`. */
  get(sql: string, ...params: SqlParam[]): SqlRow | undefined;
  /** Every row. */
  all(sql: string, ...params: SqlParam[]): SqlRow[];
  /** Runs `job` atomically, joining an open transaction if there is one. */
  atomic<T>(job: () => T): T;
}
