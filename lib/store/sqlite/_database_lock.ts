/**
 * One Arca store per database file: an exclusive lock on `<database>.lock`, held while the
 * store is open and released on close (or by the OS when the process ends).
 *
 * The server keeps state that is only right while it is the database's sole user: the record
 * cache ({@linkcode RecordCache}), the TSV1 replay cache, the login throttle. A second server on
 * the same data directory would quietly break them, so it is refused at startup instead.
 *
 * @module
 */
import { ConflictError } from "../../errors.ts";

/** A held lock. */
export interface DatabaseLock {
  /** Releases the lock (once; later calls do nothing). */
  release(): void;
}

/**
 * Takes the lock for the database at `path`, or throws {@linkcode ConflictError} at once when
 * another store (in this process or another) holds it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConflictError } from "../../errors.ts";
 * import { lockDatabaseFile } from "./_database_lock.ts";
 * const path = `${await Deno.makeTempDir()}/arca.sqlite3`;
 * const lock = lockDatabaseFile(path);
 * assert.throws(() => lockDatabaseFile(path), ConflictError); // held by the first
 * lock.release();
 * lockDatabaseFile(path).release();
 * ```
 */
export function lockDatabaseFile(path: string): DatabaseLock {
  const lockPath = `${path}.lock`;
  const file = Deno.openSync(lockPath, { create: true, write: true, mode: 0o600 });
  let locked = false;
  try {
    locked = file.tryLockSync(true);
  } finally {
    if (!locked) file.close();
  }
  if (!locked) {
    throw new ConflictError(
      `The database ${path} is in use by another Arca store (${lockPath} is locked); ` +
        "run one server per data directory",
    );
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      file.close();
    },
  };
}
