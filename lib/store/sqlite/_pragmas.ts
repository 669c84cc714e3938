/**
 * The SQLite connection settings of the store.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** The default page cache size in KiB. */
export const DEFAULT_CACHE_KIB = 16_000;
/** SQLite's automatic checkpoint threshold in WAL pages, when it does the checkpoints. */
export const AUTOCHECKPOINT_PAGES = 4000;
/** The threshold while a worker checkpoints: a backstop the worker normally keeps far from. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_000;

/**
 * How hard SQLite syncs: `"normal"` (the default) or `"full"` (`ARCA_SYNC=full`).
 */
export type SyncMode = "normal" | "full";

/**
 * Connection settings. WAL with `synchronous = NORMAL` by default (the standard pairing): a
 * commit survives a crash of the process, and the WAL is synced at every checkpoint; a power loss
 * can lose the last commits but never corrupts the database. With `sync = "full"`
 * (`synchronous = FULL`) the WAL is synced at every commit, so a commit also survives a power
 * loss. When SQLite checkpoints by itself (no background
 * checkpointer), it does so every 4000 pages (~16 MiB) rather than every 1000: a checkpoint's
 * syncs then block the event loop (`node:sqlite` is synchronous), so they come four times less
 * often. After a checkpoint the WAL file is cut back to 64 MiB.
 *
 * `temp_store = MEMORY` keeps the savepoint (statement) journal of each grouped write in memory: a
 * file-backed one spills to a temporary file past 64 KiB, which one record write with its search
 * index passes, and costs it about 40 µs more. An in-memory journal grows super-linearly in cost
 * with one savepoint's size, though, so a large operation (an import, deleting a client's
 * records) must not run in a savepoint: the batcher runs a lone operation, and every `bulk` one
 * (`store.transaction(fn, { bulk: true })`), in a transaction of its own without a savepoint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyPragmas } from "./_pragmas.ts";
 * const db = new DatabaseSync(":memory:");
 * applyPragmas(db, ":memory:", 2000);
 * assert.equal(db.prepare("PRAGMA cache_size").get()?.cache_size, -2000);
 * assert.equal(db.prepare("PRAGMA synchronous").get()?.synchronous, 1); // NORMAL
 * db.close();
 * ```
 */
export function applyPragmas(
  db: DatabaseSync,
  path: string,
  cacheKib: number,
  sync: SyncMode = "normal",
): void {
  db.exec("PRAGMA busy_timeout = 5000");
  if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
  db.exec(sync === "full" ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  db.exec("PRAGMA journal_size_limit = 67108864");
  db.exec(`PRAGMA cache_size = -${cacheKib}`);
  db.exec("PRAGMA temp_store = MEMORY");
}
