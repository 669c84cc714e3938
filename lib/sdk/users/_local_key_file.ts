/**
 * The local copy of a user's key file: the sealed key file bytes as they are (already sealed
 * under the password), in the user's cache partition (`<partition>/key-file`, a folder named by
 * a hash of the user id; docs/cache.md), written atomically (a temporary file renamed over the
 * old one) with mode 0600 in folders of mode 0700.
 *
 * @module
 */
import { keyFilePath } from "../cache/partition.ts";
import { readLocalFile, removeLocalFiles, writeLocalFile } from "../_local_files.ts";

/**
 * The path of a user's local key file under `rootDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localKeyFilePath } from "./_local_key_file.ts";
 * const path = localKeyFilePath("/data", "0e8eb8c6-839f-46ca-9843-801c539e490f");
 * assert.match(path, /^\/data\/arca\/cache\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}\/key-file$/);
 * ```
 */
export function localKeyFilePath(rootDir: string, userId: string): string {
  return keyFilePath(rootDir, userId);
}

/**
 * Reads a user's local key file; `undefined` when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalKeyFile } from "./_local_key_file.ts";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await readLocalKeyFile(dir, crypto.randomUUID()), undefined);
 * await Deno.remove(dir);
 * ```
 */
export async function readLocalKeyFile(
  rootDir: string,
  userId: string,
): Promise<Uint8Array | undefined> {
  return await readLocalFile(localKeyFilePath(rootDir, userId));
}

/**
 * Writes a user's local key file atomically (temporary file, then rename), mode 0600.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalKeyFile, writeLocalKeyFile } from "./_local_key_file.ts";
 * const dir = await Deno.makeTempDir();
 * const id = crypto.randomUUID();
 * await writeLocalKeyFile(dir, id, new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await readLocalKeyFile(dir, id), new Uint8Array([1, 2, 3]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeLocalKeyFile(
  rootDir: string,
  userId: string,
  keyFile: Uint8Array,
): Promise<string> {
  const path = localKeyFilePath(rootDir, userId);
  await writeLocalFile(path, keyFile);
  return path;
}

/**
 * Removes a user's local key file, if there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalKeyFile, removeLocalKeyFile, writeLocalKeyFile } from "./_local_key_file.ts";
 * const dir = await Deno.makeTempDir();
 * const id = crypto.randomUUID();
 * await writeLocalKeyFile(dir, id, new Uint8Array([1]));
 * await removeLocalKeyFile(dir, id);
 * assert.equal(await readLocalKeyFile(dir, id), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function removeLocalKeyFile(rootDir: string, userId: string): Promise<void> {
  await removeLocalFiles(localKeyFilePath(rootDir, userId));
}
