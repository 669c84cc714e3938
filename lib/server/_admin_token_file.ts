/**
 * The admin token a server generates on its first start (SQLite data directories only): printed
 * once, and only its SHA-256 digest kept, in `admin-token.sha256` (mode 0600) beside the database.
 * Later starts read the digest, so the admin API stays on across restarts; `ARCA_ADMIN_TOKEN`,
 * when set, is used instead. PostgreSQL deployments set `ARCA_ADMIN_TOKEN` (their instances share
 * no data directory).
 *
 * @module
 */
import { join } from "node:path";
import { hashSecret, randomSecret } from "../crypto/secrets.ts";

/** The file of the generated admin token's digest, inside the data directory. */
export const ADMIN_TOKEN_FILE_NAME = "admin-token.sha256";

/** The admin token of a data directory. */
export interface DataDirAdminToken {
  /** The digest ({@linkcode hashSecret}) the admin API compares with, or `undefined`: off. */
  tokenHash: string | undefined;
  /** The token generated now (to print once), or `undefined`. */
  generated: string | undefined;
}

/**
 * Reads the admin token digest of `dataDir`; on a first start (`firstStart`) without one,
 * generates a token and keeps its digest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashSecret } from "../crypto/secrets.ts";
 * import { dataDirAdminToken } from "./_admin_token_file.ts";
 * const dataDir = await Deno.makeTempDir();
 * const first = await dataDirAdminToken(dataDir, true);
 * assert.equal(first.tokenHash, await hashSecret(first.generated!));
 * const again = await dataDirAdminToken(dataDir, false);
 * assert.deepEqual(again, { tokenHash: first.tokenHash, generated: undefined });
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function dataDirAdminToken(
  dataDir: string,
  firstStart: boolean,
): Promise<DataDirAdminToken> {
  const path = join(dataDir, ADMIN_TOKEN_FILE_NAME);
  try {
    const tokenHash = (await Deno.readTextFile(path)).trim();
    return { tokenHash: tokenHash === "" ? undefined : tokenHash, generated: undefined };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!firstStart) return { tokenHash: undefined, generated: undefined };
  const generated = randomSecret(32);
  const tokenHash = await hashSecret(generated);
  const partial = `${path}.tmp`;
  await Deno.writeTextFile(partial, `${tokenHash}\n`, { mode: 0o600 });
  await Deno.rename(partial, path);
  return { tokenHash, generated };
}
