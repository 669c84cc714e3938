/**
 * The local copy of a user's key file, until the local cache exists: the sealed key file bytes
 * as they are, at `<rootDir>/arca/users/<user id>.keyfile`, written atomically (a temporary file
 * renamed over the old one) with mode 0600 in folders of mode 0700.
 *
 * @module
 */
import { join } from "node:path";
import { ValidationError } from "../../errors.ts";
import { isUuid } from "../../protocol/ids.ts";

/**
 * The path of a user's local key file under `rootDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localKeyFilePath } from "./_local_key_file.ts";
 * assert.equal(
 *   localKeyFilePath("/data", "0e8eb8c6-839f-46ca-9843-801c539e490f"),
 *   "/data/arca/users/0e8eb8c6-839f-46ca-9843-801c539e490f.keyfile",
 * );
 * ```
 */
export function localKeyFilePath(rootDir: string, userId: string): string {
  if (!isUuid(userId)) throw new ValidationError(`User id must be a UUID, got "${userId}"`);
  return join(rootDir, "arca", "users", `${userId.toLowerCase()}.keyfile`);
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
  try {
    return await Deno.readFile(localKeyFilePath(rootDir, userId));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
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
  const folder = join(rootDir, "arca", "users");
  await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = join(folder, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeFile(temporary, keyFile, { createNew: true, mode: 0o600 });
    if (Deno.build.os !== "windows") await Deno.chmod(temporary, 0o600);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
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
  try {
    await Deno.remove(localKeyFilePath(rootDir, userId));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
