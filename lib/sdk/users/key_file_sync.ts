/**
 * `session.keyFile`: the local key file against the server's (docs/cache.md, "Key file sync").
 * After `changeCredentials` on one device, the others hold an out-of-date copy: `needsSync()`
 * says so (the local copy is missing or its SHA-256 differs from the checksum the server reports
 * to its owner, `GET /v1/arca/users/me`), and `sync(passphrase)` downloads the server's copy,
 * opens it and replaces the local one.
 *
 * @module
 */
import { keyFileChecksum } from "../../crypto/key_file.ts";
import { ValidationError } from "../../errors.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { Transport } from "../_transport.ts";
import type { AppSettings } from "./app_options.ts";
import { downloadWithPassphrase, openCredentials } from "./_credential_sealing.ts";
import { readLocalKeyFile, writeLocalKeyFile } from "./_local_key_file.ts";

/** Options of `keyFile.sync`. */
export interface KeyFileSyncOptions {
  /** The user (the session's by default; only the session's may be synced). */
  userId?: string | undefined;
  /** Opens the downloaded key file (proving both credentials); else the rescue gives it. */
  password?: string | undefined;
}

/** What a {@linkcode KeyFileSync} needs of its session. */
export interface KeyFileSyncLink {
  /** The application's settings. */
  settings: AppSettings;
  /** The session's user id. */
  userId: string;
  /** The checksum the server reports for the session's key file (`GET /v1/arca/users/me`). */
  serverChecksum(): Promise<string>;
  /** Called with the checksum of the key file now local. */
  synced(checksum: string): void;
}

/**
 * Key file sync of a session (`session.keyFile`; the module-level `keyFile`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in session.
 * if (await session.keyFile.needsSync()) await session.keyFile.sync("new Passphrase 2");
 * console.log(await session.keyFile.getChecksum());
 * ```
 */
export class KeyFileSync {
  readonly #link: KeyFileSyncLink;

  /**
   * Key file sync over a session (sessions make it).
   *
   * @example
   * ```ts ignore
   * // Sessions make their own.
   * const keyFile = new KeyFileSync(link);
   * ```
   */
  constructor(link: KeyFileSyncLink) {
    this.#link = link;
  }

  /**
   * Lower-case hex SHA-256 of the local key file of `userId` (the session's by default), or
   * `null` when there is none (always with the `"server"` provider).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * console.log(await session.keyFile.getChecksum()); // null: no local copy
   * ```
   */
  async getChecksum(userId?: string): Promise<string | null> {
    const id = userId === undefined ? this.#link.userId : parseUuid(userId, "User id");
    if (this.#link.settings.provider === "server") return null;
    const local = await readLocalKeyFile(this.#link.settings.rootDir, id);
    return local === undefined ? null : await keyFileChecksum(local);
  }

  /**
   * Whether the local key file is missing or differs from the server's (`server_cache_ofs`;
   * `false` for `"server"`, which keeps none, and `"ofs"`, which has no server).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * if (await session.keyFile.needsSync()) console.log("changed on another device");
   * ```
   */
  async needsSync(userId?: string): Promise<boolean> {
    this.#ownUser(userId);
    if (this.#link.settings.provider !== "server_cache_ofs") return false;
    return await this.getChecksum() !== await this.#link.serverChecksum();
  }

  /**
   * Downloads the server's key file with the passphrase, opens it (with `password`, else the
   * password its rescue gives) and makes it the local copy. Returns its checksum. A wrong
   * passphrase is a `ForbiddenError`, a wrong password an `IntegrityError`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const checksum = await session.keyFile.sync("new Passphrase 2", { password: "N3w-password!" });
   * ```
   */
  async sync(passphrase: string, options: KeyFileSyncOptions = {}): Promise<string> {
    const id = this.#ownUser(options.userId);
    const { settings } = this.#link;
    if (settings.provider === "ofs") {
      throw new ValidationError("The ofs provider has no server to sync the key file with");
    }
    if (typeof passphrase !== "string" || passphrase === "") {
      throw new ValidationError("Passphrase must be a non-empty string");
    }
    const minimum = settings.keyFileKdf;
    const download = await downloadWithPassphrase(
      new Transport({ apiUrl: settings.serverUrl, fetch: settings.fetch }),
      id,
      passphrase,
      minimum,
    );
    const password = options.password ?? await download.unlock.recoverPassword(download.keyFile);
    await openCredentials(download.keyFile, password, id, minimum);
    if (settings.provider !== "server") {
      await writeLocalKeyFile(settings.rootDir, id, download.keyFile);
    }
    const checksum = await keyFileChecksum(download.keyFile);
    this.#link.synced(checksum);
    return checksum;
  }

  #ownUser(userId: string | undefined): string {
    if (userId === undefined) return this.#link.userId;
    const id = parseUuid(userId, "User id");
    if (id !== this.#link.userId) {
      throw new ValidationError(
        "Only the logged-in user's key file can be checked or synced (the server shows a key " +
          "file's checksum to its owner only)",
      );
    }
    return id;
  }
}
