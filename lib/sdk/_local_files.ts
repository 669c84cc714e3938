/**
 * The SDK's small local files (credential files, key files, the events cursor, the cache's part
 * files), on disk. Every write is atomic (a temporary file beside it, then a rename) with mode
 * 0600 in folders of mode 0700. The browser bundle uses `_local_files_browser.ts` instead: the
 * same functions over IndexedDB, with the path as the key (build/_browser_modules.ts).
 *
 * @module
 */
import { dirname, join } from "node:path";

/**
 * The bytes of the file at `path`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalFile } from "./_local_files.ts";
 * assert.equal(await readLocalFile("/nonexistent/file"), undefined);
 * ```
 */
export async function readLocalFile(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Writes `bytes` to `path` (mode 0600, its folders 0700). With `replace` (the default) an
 * existing file is replaced atomically; without, an existing file is kept and `false` returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalFile, writeLocalFile } from "./_local_files.ts";
 * const path = `${await Deno.makeTempDir()}/a/b`;
 * assert.equal(await writeLocalFile(path, new Uint8Array([1])), true);
 * assert.equal(await writeLocalFile(path, new Uint8Array([2]), { replace: false }), false);
 * assert.deepEqual(await readLocalFile(path), new Uint8Array([1]));
 * ```
 */
export async function writeLocalFile(
  path: string,
  bytes: Uint8Array,
  options: { replace?: boolean } = {},
): Promise<boolean> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (options.replace === false) {
    try {
      await Deno.writeFile(path, bytes, { createNew: true, mode: 0o600 });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw error;
    }
    await restrictMode(path);
    return true;
  }
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeFile(temporary, bytes, { createNew: true, mode: 0o600 });
    await restrictMode(temporary);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return true;
}

/** Mode 0600 whatever the umask did (not on Windows, which has no modes). */
async function restrictMode(path: string): Promise<void> {
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}

/**
 * Removes the file at `path`, or the folder at `path` with everything under it; nothing when
 * there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalFile, removeLocalFiles, writeLocalFile } from "./_local_files.ts";
 * const dir = await Deno.makeTempDir();
 * await writeLocalFile(`${dir}/a/b`, new Uint8Array([1]));
 * await removeLocalFiles(`${dir}/a`);
 * await removeLocalFiles(`${dir}/a`);
 * assert.equal(await readLocalFile(`${dir}/a/b`), undefined);
 * ```
 */
export async function removeLocalFiles(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * The number of files under the folder `dir` and their total size in bytes (0 when none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localFilesUsage, writeLocalFile } from "./_local_files.ts";
 * const dir = await Deno.makeTempDir();
 * await writeLocalFile(`${dir}/x/y`, new Uint8Array(3));
 * await writeLocalFile(`${dir}/z`, new Uint8Array(4));
 * assert.deepEqual(await localFilesUsage(dir), { files: 2, bytes: 7 });
 * ```
 */
export async function localFilesUsage(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (folder: string): Promise<void> => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else {
        files++;
        bytes += (await Deno.stat(path)).size;
      }
    }
  };
  await walk(dir).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  return { files, bytes };
}
