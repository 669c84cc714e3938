/**
 * Where a user's local data lives under `rootDir` (docs/cache.md, "On disk"): one partition
 * folder per user, named by a hash of the user id split into short nested folders, holding the
 * key file, the cache database and the part files.
 *
 * ```
 * <rootDir>/arca/cache/<h[0..2]>/<h[2..4]>/<h[4..64]>/key-file
 *                                                    /store.db
 *                                                    /parts/<n[0..2]>/<n[2..4]>/<n[4..64]>
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { partitionName } from "../../crypto/cache_keys.ts";
import { ValidationError } from "../../errors.ts";
import { isUuid } from "../../protocol/ids.ts";

/**
 * The folder of all partitions under `rootDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheRoot } from "./partition.ts";
 * assert.equal(cacheRoot("/data"), "/data/arca/cache");
 * ```
 */
export function cacheRoot(rootDir: string): string {
  return join(rootDir, "arca", "cache");
}

/**
 * Splits a hex name into short nested folders: `ab/cd/<rest>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nestedPath } from "./partition.ts";
 * assert.equal(nestedPath("abcdef"), "ab/cd/ef");
 * ```
 */
export function nestedPath(hex: string): string {
  return join(hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/**
 * A user's partition folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionDir } from "./partition.ts";
 * const dir = partitionDir("/data", "0e8eb8c6-839f-46ca-9843-801c539e490f");
 * assert.ok(dir.startsWith("/data/arca/cache/"));
 * assert.ok(!dir.includes("0e8eb8c6"));
 * ```
 */
export function partitionDir(rootDir: string, userId: string): string {
  if (!isUuid(userId)) throw new ValidationError(`User id must be a UUID, got "${userId}"`);
  return join(cacheRoot(rootDir), nestedPath(partitionName(userId)));
}

/**
 * The path of a user's key file (sealed under the password, kept as the server has it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFilePath, partitionDir } from "./partition.ts";
 * const id = "0e8eb8c6-839f-46ca-9843-801c539e490f";
 * assert.equal(keyFilePath("/data", id), `${partitionDir("/data", id)}/key-file`);
 * ```
 */
export function keyFilePath(rootDir: string, userId: string): string {
  return join(partitionDir(rootDir, userId), "key-file");
}
