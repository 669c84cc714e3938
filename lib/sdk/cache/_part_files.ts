/**
 * The part files of a cache partition: large values (container content over
 * {@linkcode PART_FILE_THRESHOLD} bytes) sealed whole with the suite's AEAD under the file key,
 * at `parts/<n[0..2]>/<n[2..4]>/<n[4..64]>` where `n` is the hex HMAC of a random part id. The
 * associated data binds the file to its name, so a file moved under another name fails.
 *
 * @module
 */
import { join } from "node:path";
import { cacheObjectName } from "../../crypto/cache_keys.ts";
import { concatBytes, encodeHex, utf8 } from "../../crypto/encoding.ts";
import type { CacheKeys } from "../../crypto/cache_keys.ts";
import type { CryptoSuite } from "../../crypto/suite.ts";
import { IntegrityError } from "../../errors.ts";
import {
  localFilesUsage,
  readLocalFile,
  removeLocalFiles,
  writeLocalFile,
} from "../_local_files.ts";
import { nestedPath } from "./partition.ts";

/** Values larger than this many bytes go to a part file rather than into the database row. */
export const PART_FILE_THRESHOLD = 64 * 1024;

const FILE_LABEL = utf8("arca local cache v1\0part\0");

/** The part files of one partition. */
export class PartFiles {
  readonly #dir: string;
  readonly #keys: CacheKeys;
  readonly #suite: CryptoSuite;

  /**
   * Part files under `<partition>/parts`.
   *
   * @example
   * ```ts ignore
   * // Made by CacheStore.
   * const parts = new PartFiles(partitionDir, keys, suite);
   * ```
   */
  constructor(partition: string, keys: CacheKeys, suite: CryptoSuite) {
    this.#dir = join(partition, "parts");
    this.#keys = keys;
    this.#suite = suite;
  }

  /**
   * Seals `bytes` into the file of `partId`, atomically (temporary file, then rename).
   *
   * @example
   * ```ts ignore
   * // Made by CacheStore.
   * await parts.write(crypto.randomUUID(), bytes);
   * ```
   */
  async write(partId: string, bytes: Uint8Array): Promise<void> {
    const { path, name } = await this.#locate(partId);
    const sealed = await this.#suite.aeadSeal(this.#keys.fileKey, bytes, this.#ad(name));
    await writeLocalFile(path, sealed);
  }

  /**
   * Opens the file of `partId`; missing or modified is an `IntegrityError`.
   *
   * @example
   * ```ts ignore
   * // Made by CacheStore.
   * const bytes = await parts.read(partId);
   * ```
   */
  async read(partId: string): Promise<Uint8Array> {
    const { path, name } = await this.#locate(partId);
    const sealed = await readLocalFile(path);
    if (sealed === undefined) throw new IntegrityError("Local cache: a part file is missing");
    try {
      return await this.#suite.aeadOpen(this.#keys.fileKey, sealed, this.#ad(name));
    } catch (error) {
      throw new IntegrityError("Local cache: a part file failed its check", { cause: error });
    }
  }

  /**
   * Removes the file of `partId` (nothing when there is none).
   *
   * @example
   * ```ts ignore
   * // Made by CacheStore.
   * await parts.remove(partId);
   * ```
   */
  async remove(partId: string): Promise<void> {
    const { path } = await this.#locate(partId);
    await removeLocalFiles(path);
  }

  /**
   * The number of part files and their total size in bytes.
   *
   * @example
   * ```ts ignore
   * // Made by CacheStore.
   * const { files, bytes } = await parts.usage();
   * ```
   */
  async usage(): Promise<{ files: number; bytes: number }> {
    return await localFilesUsage(this.#dir);
  }

  async #locate(partId: string): Promise<{ path: string; name: Uint8Array }> {
    const name = await cacheObjectName(this.#keys.nameKey, `part\0${partId}`);
    return { path: join(this.#dir, nestedPath(encodeHex(name))), name };
  }

  #ad(name: Uint8Array): Uint8Array {
    return concatBytes(FILE_LABEL, name);
  }
}
