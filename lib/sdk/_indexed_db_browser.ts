/**
 * The browser's local storage for the SDK: one IndexedDB database, `arca`, with one object store,
 * `files`, mapping a path (a string key) to bytes. `_local_files_browser.ts` (credential files,
 * key files, part files) and `cache/_cache_rows_browser.ts` (the cache's sealed rows) keep their
 * entries there; a folder is every key that starts with `<folder>/`.
 *
 * Deno's type libraries have no IndexedDB types, so the few members used are declared here.
 *
 * @module
 */

interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}

interface IdbCursor {
  key: unknown;
  value: unknown;
  continue(): void;
}

interface IdbStore {
  get(key: string): IdbRequest<unknown>;
  put(value: unknown, key: string): IdbRequest<unknown>;
  add(value: unknown, key: string): IdbRequest<unknown>;
  delete(key: unknown): IdbRequest<undefined>;
  count(key: string): IdbRequest<number>;
  openCursor(range: unknown): IdbRequest<IdbCursor | null>;
}

interface IdbTransaction {
  objectStore(name: string): IdbStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}

interface IdbDatabase {
  transaction(store: string, mode: "readonly" | "readwrite"): IdbTransaction;
  createObjectStore(name: string): IdbStore;
  close(): void;
}

interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}

interface IdbGlobals {
  indexedDB?: { open(name: string, version: number): IdbOpenRequest };
  IDBKeyRange: { bound(lower: string, upper: string): unknown };
}

const DATABASE = "arca";
const STORE = "files";

let opened: Promise<IdbDatabase> | undefined;

function database(): Promise<IdbDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const factory = (globalThis as unknown as IdbGlobals).indexedDB;
    if (factory === undefined) {
      reject(new Error("IndexedDB is not available here: Arca keeps local data in it"));
      return;
    }
    const request = factory.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB database arca is blocked"));
  });
  return opened;
}

/** The range of keys under the folder `dir` (not `dir` itself). */
export function folderRange(dir: string): unknown {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return (globalThis as unknown as IdbGlobals).IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/**
 * Runs `work` on the `files` store in one transaction and resolves with the value of the
 * request it returns once the transaction commits.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * const bytes = await inFiles("readonly", (files) => files.get("/data/a"));
 * ```
 */
export async function inFiles<T>(
  mode: "readonly" | "readwrite",
  work: (files: IdbStore) => IdbRequest<T> | void,
): Promise<T | undefined> {
  const transaction = (await database()).transaction(STORE, mode);
  const request = work(transaction.objectStore(STORE));
  return await new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () =>
      reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * Calls `visit` with every key and value under the folder `dir`, in key order.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * await eachInFolder("/data/parts", (key, value) => console.log(key, value));
 * ```
 */
export async function eachInFolder(
  dir: string,
  visit: (key: string, value: Uint8Array) => void,
): Promise<void> {
  await inFiles("readonly", (files) => {
    const cursor = files.openCursor(folderRange(dir));
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at === null) return;
      visit(at.key as string, at.value as Uint8Array);
      at.continue();
    };
  });
}
