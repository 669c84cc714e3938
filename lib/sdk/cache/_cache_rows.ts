/**
 * The rows of a cache partition on disk: a SQLite database (`node:sqlite`), `store.db` in the
 * partition folder, with one table of sealed rows (name → value, both opaque bytes). Deleted rows
 * are overwritten (`secure_delete`) and the rollback journal is deleted after each write. The
 * browser bundle uses `_cache_rows_browser.ts` instead (IndexedDB, build/_browser_modules.ts).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";

const SCHEMA = `
  PRAGMA journal_mode = DELETE;
  PRAGMA secure_delete = ON;
  CREATE TABLE IF NOT EXISTS entries (name BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
`;

/** One sealed row: its name and value, opaque bytes. */
export interface CacheRow {
  /** The row's name (an HMAC). */
  name: Uint8Array;
  /** The row's sealed value. */
  value: Uint8Array;
}

/**
 * The rows of the partition folder `dir`; the database is opened (and the folder made) on first
 * use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CacheRows } from "./_cache_rows.ts";
 * const dir = await Deno.makeTempDir();
 * const rows = new CacheRows(dir);
 * await rows.put(new Uint8Array([1]), new Uint8Array([2]));
 * assert.deepEqual(await rows.get(new Uint8Array([1])), new Uint8Array([2]));
 * assert.equal(await rows.delete(new Uint8Array([1])), true);
 * rows.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class CacheRows {
  readonly #dir: string;
  #db: DatabaseSync | undefined;

  /**
   * Rows under `dir` (nothing is opened yet).
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * const rows = new CacheRows(partitionDir);
   * ```
   */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /**
   * The value of the row `name`, or `undefined`.
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * const value = await rows.get(name);
   * ```
   */
  async get(name: Uint8Array): Promise<Uint8Array | undefined> {
    const row = (await this.#database()).prepare("SELECT value FROM entries WHERE name = ?")
      .get(name) as { value: Uint8Array } | undefined;
    return row?.value;
  }

  /**
   * Stores (replaces) the row `name`.
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * await rows.put(name, sealed);
   * ```
   */
  async put(name: Uint8Array, value: Uint8Array): Promise<void> {
    (await this.#database()).prepare(
      "INSERT INTO entries (name, value) VALUES (?, ?) " +
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    ).run(name, value);
  }

  /**
   * Removes the row `name`; `true` when there was one.
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * const existed = await rows.delete(name);
   * ```
   */
  async delete(name: Uint8Array): Promise<boolean> {
    const result = (await this.#database()).prepare("DELETE FROM entries WHERE name = ?")
      .run(name);
    return Number(result.changes) > 0;
  }

  /**
   * Every row.
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * for (const { name, value } of await rows.all()) console.log(name, value);
   * ```
   */
  async all(): Promise<CacheRow[]> {
    return (await this.#database()).prepare("SELECT name, value FROM entries")
      .all() as unknown as CacheRow[];
  }

  /**
   * Bytes the rows take on disk (the database file).
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * const bytes = await rows.bytes();
   * ```
   */
  async bytes(): Promise<number> {
    return await Deno.stat(join(this.#dir, "store.db")).then((s) => s.size, () => 0);
  }

  /**
   * Closes the database (it reopens on the next call).
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * rows.close();
   * ```
   */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }

  async #database(): Promise<DatabaseSync> {
    if (this.#db !== undefined) return this.#db;
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const db = new DatabaseSync(join(this.#dir, "store.db"));
    db.exec(SCHEMA);
    this.#db = db;
    return db;
  }
}
