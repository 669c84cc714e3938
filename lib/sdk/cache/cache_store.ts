/**
 * One user's local encrypted store (docs/cache.md): a table of sealed rows (a SQLite database
 * under Deno, IndexedDB in a browser: `_cache_rows.ts`), and part files for large values. Every
 * row is `name = HMAC(name key, kind ‖ 0 ‖ id)`, `value = AEAD(value key, JSON, ad = label ‖ name)`:
 * nothing in the database names what a row holds, and a row copied over another fails its
 * check. Deleted rows are overwritten (`secure_delete`) and the rollback journal is deleted after
 * each write.
 *
 * @module
 */
import { type CacheKeys, cacheObjectName, deriveCacheKeys } from "../../crypto/cache_keys.ts";
import { concatBytes, decodeBase64, encodeBase64, fromUtf8, utf8 } from "../../crypto/encoding.ts";
import type { CryptoSuite } from "../../crypto/suite.ts";
import { IntegrityError } from "../../errors.ts";
import { removeLocalFiles } from "../_local_files.ts";
import { CacheRows } from "./_cache_rows.ts";
import { PART_FILE_THRESHOLD, PartFiles } from "./_part_files.ts";
import { partitionDir } from "./partition.ts";

/** What a row holds: its kind and id (also inside the sealed value), a JSON value, a part. */
export interface CacheEntry<T> {
  /** The JSON value. */
  value: T;
  /** The bytes stored beside it (inline or in a part file), or `null`. */
  part: Uint8Array | null;
}

/** Sizes of a partition, for `arca cache stats`. */
export interface CacheStats {
  /** Rows in the database. */
  rows: number;
  /** Rows that hold containers. */
  containers: number;
  /** Part files. */
  partFiles: number;
  /** Bytes on disk (database and part files). */
  bytes: number;
}

interface RowPlaintext {
  kind: string;
  id: string;
  value: unknown;
  inline?: string;
  file?: string;
}

const ROW_LABEL = utf8("arca local cache v1\0row\0");

/**
 * A user's cache partition, opened with keys derived from the user's private keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CacheStore } from "./cache_store.ts";
 * import { sodiumSuite } from "../../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateEncryptionKeyPair();
 * const root = await Deno.makeTempDir();
 * const store = await CacheStore.open(root, crypto.randomUUID(), suite, keys.privateKey);
 * await store.put("note", "n1", { text: "hi" }, null);
 * assert.deepEqual((await store.get("note", "n1"))?.value, { text: "hi" });
 * await store.purge();
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export class CacheStore {
  readonly #dir: string;
  readonly #keys: CacheKeys;
  readonly #suite: CryptoSuite;
  readonly #parts: PartFiles;
  readonly #rows: CacheRows;

  private constructor(dir: string, keys: CacheKeys, suite: CryptoSuite) {
    this.#dir = dir;
    this.#keys = keys;
    this.#suite = suite;
    this.#parts = new PartFiles(dir, keys, suite);
    this.#rows = new CacheRows(dir);
  }

  /**
   * Opens (creating when needed) the partition of `userId` under `rootDir`. Cheap: one HKDF.
   *
   * @example
   * ```ts ignore
   * // See the class example.
   * const store = await CacheStore.open(rootDir, userId, suite, privateKey, signingPrivateKey);
   * ```
   */
  static async open(
    rootDir: string,
    userId: string,
    suite: CryptoSuite,
    encryptionPrivateKey: Uint8Array,
    signingPrivateKey?: Uint8Array,
  ): Promise<CacheStore> {
    const keys = await deriveCacheKeys(encryptionPrivateKey, signingPrivateKey);
    return new CacheStore(partitionDir(rootDir, userId), keys, suite);
  }

  /**
   * The partition folder.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * console.log(store.dir); // <rootDir>/arca/cache/ab/cd/...
   * ```
   */
  get dir(): string {
    return this.#dir;
  }

  /**
   * The row of `kind`/`id`, opened; `undefined` when absent. A row or part file that fails its
   * check is an `IntegrityError` (the caller drops it or reports it).
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * const entry = await store.get<{ text: string }>("note", "n1");
   * ```
   */
  async get<T>(kind: string, id: string): Promise<CacheEntry<T> | undefined> {
    const name = await this.#name(kind, id);
    const sealed = await this.#rows.get(name);
    if (sealed === undefined) return undefined;
    const plain = await this.#open(name, sealed);
    if (plain.kind !== kind || plain.id !== id) {
      throw new IntegrityError("Local cache: a row holds another object");
    }
    return { value: plain.value as T, part: await this.#partOf(plain) };
  }

  /**
   * Stores (replaces) the row of `kind`/`id`; a part over 64 KiB goes to a part file.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * await store.put("note", "n1", { text: "hi" }, new Uint8Array([1, 2]));
   * ```
   */
  async put(kind: string, id: string, value: unknown, part: Uint8Array | null): Promise<void> {
    const name = await this.#name(kind, id);
    const plain: RowPlaintext = { kind, id, value };
    if (part !== null && part.length > PART_FILE_THRESHOLD) {
      plain.file = crypto.randomUUID();
      await this.#parts.write(plain.file, part);
    } else if (part !== null) plain.inline = encodeBase64(part);
    const sealed = await this.#suite.aeadSeal(
      this.#keys.valueKey,
      utf8(JSON.stringify(plain)),
      this.#ad(name),
    );
    const previous = await this.#fileOf(name);
    await this.#rows.put(name, sealed);
    if (previous !== undefined) await this.#parts.remove(previous);
  }

  /**
   * Removes the row of `kind`/`id` and its part file; `true` when there was one.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * const existed = await store.delete("note", "n1");
   * ```
   */
  async delete(kind: string, id: string): Promise<boolean> {
    const name = await this.#name(kind, id);
    const file = await this.#fileOf(name);
    const existed = await this.#rows.delete(name);
    if (file !== undefined) await this.#parts.remove(file);
    return existed;
  }

  /**
   * Every row of `kind`, opened (values only). A row that fails its check is an `IntegrityError`.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * const notes = await store.list<{ text: string }>("note");
   * ```
   */
  async list<T>(kind: string): Promise<{ id: string; value: T }[]> {
    const rows = await this.#rows.all();
    const found: { id: string; value: T }[] = [];
    for (const row of rows) {
      const plain = await this.#open(row.name, row.value);
      if (plain.kind === kind) found.push({ id: plain.id, value: plain.value as T });
    }
    return found;
  }

  /**
   * Row counts and bytes on disk.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * const { rows, containers, bytes } = await store.stats();
   * ```
   */
  async stats(): Promise<CacheStats> {
    const rows = await this.#rows.all();
    let containers = 0;
    for (const row of rows) {
      if ((await this.#open(row.name, row.value)).kind === "container") containers++;
    }
    const parts = await this.#parts.usage();
    const db = await this.#rows.bytes();
    return { rows: rows.length, containers, partFiles: parts.files, bytes: db + parts.bytes };
  }

  /**
   * Closes the database (it reopens on the next call).
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * store.close();
   * ```
   */
  close(): void {
    this.#rows.close();
  }

  /**
   * Erases the whole partition: database, part files and the key file.
   *
   * @example
   * ```ts ignore
   * // See the class example (a store opened with a user's private keys).
   * await store.purge();
   * ```
   */
  async purge(): Promise<void> {
    this.close();
    await removeLocalFiles(this.#dir);
  }

  async #name(kind: string, id: string): Promise<Uint8Array> {
    return await cacheObjectName(this.#keys.nameKey, `${kind}\0${id}`);
  }

  #ad(name: Uint8Array): Uint8Array {
    return concatBytes(ROW_LABEL, name);
  }

  async #open(name: Uint8Array, sealed: Uint8Array): Promise<RowPlaintext> {
    let text: string;
    try {
      text = fromUtf8(
        await this.#suite.aeadOpen(this.#keys.valueKey, sealed, this.#ad(name)),
        "cache row",
      );
    } catch (error) {
      throw new IntegrityError("Local cache: a row failed its check", { cause: error });
    }
    return JSON.parse(text) as RowPlaintext;
  }

  async #fileOf(name: Uint8Array): Promise<string | undefined> {
    const sealed = await this.#rows.get(name);
    if (sealed === undefined) return undefined;
    try {
      return (await this.#open(name, sealed)).file;
    } catch {
      return undefined; // A damaged row is replaced or removed all the same.
    }
  }

  async #partOf(plain: RowPlaintext): Promise<Uint8Array | null> {
    if (plain.inline !== undefined) return decodeBase64(plain.inline, "cache part");
    if (plain.file !== undefined) return await this.#parts.read(plain.file);
    return null;
  }
}
