/**
 * An Arca application: users with key files, for programs that serve several users at once.
 * `Arca.initialize(apiKey, options)` makes one; `app.users.create(...)` and `app.login(...)`
 * give {@linkcode Session}s. The module-level functions (`initialize`, `login`, `users`, ...)
 * work the same way on a default application.
 *
 * @module
 */
import { NotFoundError, ValidationError } from "../../errors.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { getSuite } from "../../crypto/suites.ts";
import { keyFileChecksum } from "../../crypto/key_file.ts";
import { Client } from "../client.ts";
import { Config } from "../config.ts";
import { connection } from "../client_connection.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../key_text.ts";
import { registerClient } from "../registration.ts";
import { Transport } from "../_transport.ts";
import { type AppSettings, appSettings, type ArcaOptions } from "./app_options.ts";
import { downloadWithPassphrase, openCredentials, sealCredentials } from "./_credential_sealing.ts";
import { localKeyFilePath, readLocalKeyFile, writeLocalKeyFile } from "./_local_key_file.ts";
import { requireReminderShape, Session } from "./session.ts";
import {
  deleteOwnUser,
  fetchOwnUser,
  fetchReminder,
  type KeyFileUploaded,
  uploadKeyFile,
} from "./_user_requests.ts";
import { requireValidCredentials, type Validators } from "./validators.ts";

/** Credentials of `login`: a password, a passphrase, or both. */
export interface LoginCredentials {
  /** Opens the key file (the local copy, else the server's, which needs the passphrase). */
  password?: string | undefined;
  /** Fetches the server's key file; alone, it also recovers the password from the rescue. */
  passphrase?: string | undefined;
}

/** User management of an application: `app.users`. */
export interface AppUsers {
  /**
   * Creates a user (keys, registration, key file on the server and under `rootDir`) and
   * returns its session.
   */
  create(
    password: string,
    reminder: string,
    passphrase: string,
    validators?: Validators,
  ): Promise<Session>;
  /** A user's public reminder (no login needed). */
  getBackupReminder(userId: string): Promise<string>;
}

/**
 * An Arca application.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a registration token.
 * import { Arca } from "@arca/arca";
 * const app = await Arca.initialize(token, { serverUrl: "http://127.0.0.1:8000", rootDir: "." });
 * const alice = await app.users.create("Tr0ub4dor!", "a horse", "correct Horse battery");
 * const again = await app.login(alice.userId, { password: "Tr0ub4dor!" });
 * await again.client.write("diary", { entry: "dear diary" });
 * ```
 */
export class Arca {
  /** The checked options. */
  readonly settings: AppSettings;
  /** User management: `create` and `getBackupReminder`. */
  readonly users: AppUsers;

  private constructor(settings: AppSettings) {
    this.settings = settings;
    this.users = {
      create: (password, reminder, passphrase, validators) =>
        this.#create(password, reminder, passphrase, validators),
      getBackupReminder: (userId) => fetchReminder(this.#publicTransport(), userId),
    };
  }

  /**
   * Makes an application: `apiKey` is a registration token (`arca admin token`), needed only to
   * create users (`""` for an application that only logs users in). Checks the options and
   * loads the suite; sends nothing.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Arca } from "@arca/arca";
   * const app = await Arca.initialize("a-registration-token", {
   *   serverUrl: "http://127.0.0.1:8000",
   *   rootDir: "./data",
   *   suite: "NIST",
   * });
   * assert.equal(app.settings.provider, "server_cache_ofs");
   * ```
   */
  static async initialize(apiKey: string, options: ArcaOptions = {}): Promise<Arca> {
    const settings = appSettings(apiKey, options);
    await getSuite(settings.suite);
    return new Arca(settings);
  }

  /**
   * Logs a user in. With a password: opens the local key file, else downloads the server's
   * copy, which needs the passphrase (a {@linkcode NotFoundError} says so otherwise). With only
   * the passphrase: downloads the key file and recovers the password from its rescue. Then
   * authenticates with the server. A wrong password or a tampered key file is an
   * `IntegrityError`; a wrong passphrase a `ForbiddenError`; too many attempts a
   * `RateLimitError`. Nothing is kept from a failed login.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const session = await app.login(userId, { passphrase: "correct Horse battery" });
   * ```
   */
  async login(userId: string, credentials: LoginCredentials): Promise<Session> {
    const id = parseUuid(userId, "User id");
    if (credentials === null || typeof credentials !== "object") {
      throw new ValidationError("Login needs { password?, passphrase? }");
    }
    const { password, passphrase } = credentials;
    for (const [name, value] of [["Password", password], ["Passphrase", passphrase]]) {
      if (value !== undefined && (typeof value !== "string" || value === "")) {
        throw new ValidationError(`${name} must be a non-empty string`);
      }
    }
    if (password === undefined && passphrase === undefined) {
      throw new ValidationError("Login needs a password, a passphrase, or both");
    }
    const minimum = this.settings.keyFileKdf;
    const local = this.settings.provider === "server" || password === undefined
      ? undefined
      : await readLocalKeyFile(this.settings.rootDir, id);
    if (this.settings.provider === "ofs") {
      if (local === undefined) {
        throw new NotFoundError(
          `No local key file for user ${id} under "${this.settings.rootDir}" (the ofs provider ` +
            "has no server: log in with the password on the device that holds the key file)",
        );
      }
      const config = await openCredentials(local, password!, id, minimum);
      return new Session(this.settings, this.#client(config), await keyFileChecksum(local));
    }
    if (local === undefined && passphrase === undefined) {
      throw new NotFoundError(
        `No local key file for user ${id} under "${this.settings.rootDir}": ` +
          "give the passphrase to download the server's copy",
      );
    }
    const download = local === undefined
      ? await downloadWithPassphrase(this.#publicTransport(), id, passphrase!, minimum)
      : undefined;
    const keyFile = local ?? download!.keyFile;
    const opened = password ?? await download!.unlock.recoverPassword(keyFile);
    const client = this.#client(await openCredentials(keyFile, opened, id, minimum));
    const { checksum } = await fetchOwnUser((await connection.context(client)).transport);
    if (local === undefined && this.settings.provider !== "server") {
      await writeLocalKeyFile(this.settings.rootDir, id, keyFile);
    }
    return new Session(this.settings, client, checksum);
  }

  /**
   * A session over credentials already opened, such as a profile `arca user login` saved
   * (the CLI uses it); nothing is checked with the server.
   *
   * @example
   * ```ts ignore
   * // Reads a credential file under ~/.tozny.
   * const session = app.resume(await Config.load("alice"));
   * await session.changeCredentials("N3w-password", "new Passphrase 2");
   * ```
   */
  resume(config: Config): Session {
    if (!(config instanceof Config)) throw new ValidationError("resume needs a Config");
    return new Session(this.settings, this.#client(config), "");
  }

  /**
   * Where a user's local key file lives under `rootDir`: in the user's cache partition, a
   * folder named by a hash of the user id (docs/cache.md); `undefined` with the `"server"`
   * provider, which keeps none.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Arca } from "@arca/arca";
   * const app = await Arca.initialize("", { rootDir: "/data" });
   * const path = app.localKeyFilePath("0e8eb8c6-839f-46ca-9843-801c539e490f")!;
   * assert.match(path, /^\/data\/arca\/cache\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}\/key-file$/);
   * ```
   */
  localKeyFilePath(userId: string): string | undefined {
    if (this.settings.provider === "server") return undefined;
    return localKeyFilePath(this.settings.rootDir, userId);
  }

  #client(config: Config): Client {
    return new Client(config, { fetch: this.settings.fetch });
  }

  #publicTransport(): Transport {
    return new Transport({ apiUrl: this.settings.serverUrl, fetch: this.settings.fetch });
  }

  async #create(
    password: string,
    reminder: string,
    passphrase: string,
    validators: Validators | undefined,
  ): Promise<Session> {
    requireValidCredentials(password, passphrase, reminder, [validators, this.settings.validators]);
    requireReminderShape(reminder);
    if (this.settings.apiKey.trim() === "" && this.settings.provider !== "ofs") {
      throw new ValidationError(
        "Creating users needs the application's API key (a registration token)",
      );
    }
    const { suite, serverUrl, fetch, keyFileKdf: kdf } = this.settings;
    if (this.settings.provider === "ofs") return await this.#createLocal(password, passphrase);
    const registration = await registerClient(
      this.settings.apiKey,
      this.settings.appName,
      await generateKeyPairText(suite),
      { apiUrl: serverUrl, signingKeys: await generateSigningKeyPairText(suite), suite, fetch },
    );
    const client = this.#client(registration.config);
    const transport = (await connection.context(client)).transport;
    let uploaded: KeyFileUploaded;
    try {
      const sealed = await sealCredentials(client.config, password, passphrase, kdf);
      uploaded = await uploadKeyFile(transport, { ...sealed, reminder });
      if (this.settings.provider !== "server") {
        await writeLocalKeyFile(this.settings.rootDir, client.clientId, sealed.keyFile);
      }
    } catch (error) {
      // No user half made: the client registered for it goes again (best effort).
      await deleteOwnUser(transport).catch(() => {});
      throw error;
    }
    return new Session(this.settings, client, uploaded.checksum);
  }

  /** An `ofs` user: keys made here, a random id, the key file only under `rootDir`. */
  async #createLocal(password: string, passphrase: string): Promise<Session> {
    const { suite, serverUrl, keyFileKdf } = this.settings;
    const encryption = await generateKeyPairText(suite);
    const signing = await generateSigningKeyPairText(suite);
    const config = Config.fromObject({
      version: "2",
      client_id: crypto.randomUUID(),
      api_key_id: "ofs",
      api_secret: "ofs",
      client_email: "",
      public_key: encryption.publicKey,
      private_key: encryption.privateKey,
      public_signing_key: signing.publicKey,
      private_signing_key: signing.privateKey,
      api_url: serverUrl,
      crypto_suite: suite,
    });
    const sealed = await sealCredentials(config, password, passphrase, keyFileKdf);
    await writeLocalKeyFile(this.settings.rootDir, config.clientId, sealed.keyFile);
    return new Session(this.settings, this.#client(config), sealed.checksum);
  }
}
