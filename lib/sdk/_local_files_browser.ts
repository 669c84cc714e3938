/**
 * The browser's `_local_files.ts`: the same functions over IndexedDB (`_indexed_db_browser.ts`),
 * the path being the key. A write is one transaction, so it is atomic as on disk.
 *
 * @module
 */
import { eachInFolder, folderRange, inFiles } from "./_indexed_db_browser.ts";

/**
 * The bytes kept at `path`, or `undefined` when there are none.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * const bytes = await readLocalFile("arca-data/arca/users/x.events-cursor");
 * ```
 */
export async function readLocalFile(path: string): Promise<Uint8Array | undefined> {
  const value = await inFiles("readonly", (files) => files.get(path));
  return value instanceof Uint8Array ? value : undefined;
}

/**
 * Keeps `bytes` at `path`. With `replace` (the default) existing bytes are replaced; without,
 * they are kept and `false` returned.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * await writeLocalFile("profiles/e3db.json", new TextEncoder().encode("{}"), { replace: false });
 * ```
 */
export async function writeLocalFile(
  path: string,
  bytes: Uint8Array,
  options: { replace?: boolean } = {},
): Promise<boolean> {
  if (options.replace !== false) {
    await inFiles("readwrite", (files) => files.put(bytes, path));
    return true;
  }
  let written = false;
  await inFiles("readwrite", (files) => {
    const count = files.count(path);
    count.onsuccess = () => {
      if (count.result > 0) return;
      files.put(bytes, path);
      written = true;
    };
  });
  return written;
}

/**
 * Removes what is kept at `path` and everything under the folder `path`.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * await removeLocalFiles("arca-data/arca/cache/ab/cd/ef");
 * ```
 */
export async function removeLocalFiles(path: string): Promise<void> {
  await inFiles("readwrite", (files) => {
    files.delete(path);
    files.delete(folderRange(path));
  });
}

/**
 * The number of entries under the folder `dir` and their total size in bytes.
 *
 * @example
 * ```ts ignore
 * // Needs a browser (IndexedDB).
 * const { files, bytes } = await localFilesUsage("arca-data/arca/cache/ab/cd/ef/parts");
 * ```
 */
export async function localFilesUsage(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  await eachInFolder(dir, (_key, value) => {
    files++;
    bytes += value.byteLength;
  });
  return { files, bytes };
}
