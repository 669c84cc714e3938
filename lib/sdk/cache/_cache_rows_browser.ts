/**
 * The browser's `_cache_rows.ts`: the rows of a cache partition as IndexedDB entries
 * (`_indexed_db_browser.ts`) under `<partition>/store.db/<hex name>`, so erasing the partition's
 * folder erases them too. Same sealed bytes as the SQLite table.
 *
 * @module
 */
import { decodeHex, encodeHex } from "../../crypto/encoding.ts";
import { eachInFolder, inFiles } from "../_indexed_db_browser.ts";

/** One sealed row: its name and value, opaque bytes. */
export interface CacheRow {
  /** The row's name (an HMAC). */
  name: Uint8Array;
  /** The row's sealed value. */
  value: Uint8Array;
}

/**
 * The rows of the partition folder `dir`, in IndexedDB.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * const rows = new CacheRows(partitionDir);
 * await rows.put(name, sealed);
 * ```
 */
export class CacheRows {
  readonly #folder: string;

  /**
   * Rows under `dir`.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * const rows = new CacheRows(partitionDir);
   * ```
   */
  constructor(dir: string) {
    this.#folder = `${dir}/store.db`;
  }

  /**
   * The value of the row `name`, or `undefined`.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * const value = await rows.get(name);
   * ```
   */
  async get(name: Uint8Array): Promise<Uint8Array | undefined> {
    const value = await inFiles("readonly", (files) => files.get(this.#key(name)));
    return value instanceof Uint8Array ? value : undefined;
  }

  /**
   * Stores (replaces) the row `name`.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * await rows.put(name, sealed);
   * ```
   */
  async put(name: Uint8Array, value: Uint8Array): Promise<void> {
    await inFiles("readwrite", (files) => files.put(value, this.#key(name)));
  }

  /**
   * Removes the row `name`; `true` when there was one.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * const existed = await rows.delete(name);
   * ```
   */
  async delete(name: Uint8Array): Promise<boolean> {
    const key = this.#key(name);
    let existed = false;
    await inFiles("readwrite", (files) => {
      const count = files.count(key);
      count.onsuccess = () => {
        existed = count.result > 0;
        files.delete(key);
      };
    });
    return existed;
  }

  /**
   * Every row.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * const all = await rows.all();
   * ```
   */
  async all(): Promise<CacheRow[]> {
    const rows: CacheRow[] = [];
    const prefix = this.#folder.length + 1;
    await eachInFolder(this.#folder, (key, value) => {
      rows.push({ name: decodeHex(key.slice(prefix)), value });
    });
    return rows;
  }

  /**
   * Bytes the rows take (the sum of their sealed values).
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * const bytes = await rows.bytes();
   * ```
   */
  async bytes(): Promise<number> {
    let bytes = 0;
    await eachInFolder(this.#folder, (_key, value) => (bytes += value.byteLength));
    return bytes;
  }

  /**
   * Nothing to close: every call is its own transaction.
   *
   * @example
   * ```ts ignore
   * // Needs a browser (IndexedDB).
   * rows.close();
   * ```
   */
  close(): void {}

  #key(name: Uint8Array): string {
    return `${this.#folder}/${encodeHex(name)}`;
  }
}
