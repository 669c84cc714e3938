/**
 * How each backend stores a boolean column: SQLite as the integers 1 and 0, PostgreSQL as a
 * `boolean`. The shared row modules take one of these to write and read their flags.
 *
 * @module
 */

/** A backend's stored form of a boolean: `F` is what it binds. */
export interface StoredFlag<F extends number | boolean> {
  /** The value bound for `value`. */
  write(value: boolean): F;
  /** Whether a stored column value is set. */
  read(value: unknown): boolean;
}

/**
 * SQLite's flags: 1 and 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SQLITE_FLAG } from "./_stored_flag.ts";
 * assert.equal(SQLITE_FLAG.write(true), 1);
 * assert.equal(SQLITE_FLAG.read(0), false);
 * ```
 */
export const SQLITE_FLAG: StoredFlag<0 | 1> = {
  write: (value) => value ? 1 : 0,
  read: (value) => value === 1,
};

/**
 * PostgreSQL's flags: `boolean` columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { POSTGRES_FLAG } from "./_stored_flag.ts";
 * assert.equal(POSTGRES_FLAG.write(false), false);
 * assert.equal(POSTGRES_FLAG.read(true), true);
 * ```
 */
export const POSTGRES_FLAG: StoredFlag<boolean> = {
  write: (value) => value,
  read: (value) => value === true,
};
