/**
 * A logged-in user: its {@linkcode Client} (records, sharing, notes, files), and what only a
 * user can do: change credentials, read reminders, look up public keys, delete itself. A
 * session exists only once every step of the login or creation succeeded; `logout()` ends it.
 *
 * @module
 */
import { ArcaError, NotFoundError, ValidationError } from "../../errors.ts";
import type { SuiteName } from "../../crypto/suite.ts";
import type { Config } from "../config.ts";
import { MAX_REMINDER_LENGTH } from "../../protocol/user_constants.ts";
import type { Client } from "../client.ts";
import { connection } from "../client_connection.ts";
import { Transport } from "../_transport.ts";
import type { AppSettings } from "./app_options.ts";
import type { ContainerEvent } from "../containers/container_types.ts";
import { ProviderContainers } from "../containers/provider_containers.ts";
import { SessionEvents } from "../containers/session_events.ts";
import { EventsCursor } from "../containers/events_cursor.ts";
import { SessionCache } from "../cache/session_cache.ts";
import { sealCredentials } from "./_credential_sealing.ts";
import { writeLocalKeyFile } from "./_local_key_file.ts";
import { deleteOwnUser, fetchOwnUser, fetchReminder, uploadKeyFile } from "./_user_requests.ts";
import { KeyFileSync } from "./key_file_sync.ts";
import { requireValidCredentials, type Validators } from "./validators.ts";

/** A user's public keys (no private key ever leaves its owner). */
export interface PublicKeys {
  /** The user (client) id. */
  userId: string;
  /** Encryption public key (wire text). */
  publicKey: string;
  /** `curve25519` (Sodium) or `p384` (NIST). */
  publicKeyType: string;
  /** Signing public key (wire text), or `null` for a client without one. */
  signingKey: string | null;
  /** `ed25519`, `p384`, or `null`. */
  signingKeyType: string | null;
}

/** Options of `logout`. */
export interface LogoutOptions {
  /** Also erase the user's local partition under `rootDir` (cache and key file). */
  purge?: boolean | undefined;
}

/** Public-key lookups of a session. */
export interface SessionKeys {
  /** A user's (or any client's) public keys. */
  get(userId: string): Promise<PublicKeys>;
}

/**
 * Checks a reminder's shape (a string of at most {@linkcode MAX_REMINDER_LENGTH} characters).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireReminderShape } from "./session.ts";
 * requireReminderShape("my first pet");
 * assert.throws(() => requireReminderShape("x".repeat(1025)), /1024/);
 * ```
 */
export function requireReminderShape(reminder: unknown): void {
  if (typeof reminder !== "string") {
    throw new ValidationError(`Reminder must be a string, got ${typeof reminder}`);
  }
  if (reminder.length > MAX_REMINDER_LENGTH) {
    throw new ValidationError(`Reminder must be at most ${MAX_REMINDER_LENGTH} characters`);
  }
}

/**
 * A logged-in user. Made by `app.login` or `app.users.create` (or `app.resume` from
 * credentials already opened); never half made.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const app = await Arca.initialize(token, { serverUrl, rootDir: "./data" });
 * const session = await app.login(userId, { password: "Tr0ub4dor!" });
 * await session.client.write("note", { text: "hello" });
 * session.logout();
 * ```
 */
export class Session {
  readonly #settings: AppSettings;
  #client: Client | undefined;
  readonly #userId: string;
  #checksum: string;
  /** Public-key lookups: `session.keys.get(userId)`. */
  readonly keys: SessionKeys;
  /** Secured containers and stored events, through the provider: `session.containers.get(...)`. */
  readonly containers: ProviderContainers;
  /** The live event stream: `session.events.subscribe(filter)`. */
  readonly events: SessionEvents;
  /** Key file sync: `needsSync()`, `sync(passphrase)`, `getChecksum()`. */
  readonly keyFile: KeyFileSync;
  /** The user's local encrypted cache (docs/cache.md). */
  readonly cache: SessionCache;

  /**
   * Wraps opened credentials (applications use `app.login` / `app.users.create`).
   *
   * @example
   * ```ts ignore
   * // Needs a user's opened credentials.
   * const session = new Session(settings, new Client(config), checksum);
   * ```
   */
  constructor(settings: AppSettings, client: Client, checksum: string) {
    this.#settings = settings;
    this.#client = client;
    this.#userId = client.clientId;
    this.#checksum = checksum;
    this.keys = { get: (userId) => this.#publicKeys(userId) };
    const context = () => connection.context(this.client);
    const provider = settings.provider;
    this.cache = new SessionCache(settings.rootDir, this.#userId, context);
    const link = {
      context,
      appName: settings.appName,
      rootDir: settings.rootDir,
      cursor: provider === "server" ? new EventsCursor(settings.rootDir, false) : this.cache,
      onEvent: provider === "server_cache_ofs"
        ? (event: ContainerEvent) => this.cache.forget(event)
        : undefined,
    };
    this.containers = new ProviderContainers(link, {
      provider,
      cache: this.cache,
      now: settings.now,
    });
    this.events = new SessionEvents(link);
    this.keyFile = new KeyFileSync({
      settings,
      userId: this.#userId,
      serverChecksum: async () => (await fetchOwnUser((await context()).transport)).checksum,
      synced: (checksum) => this.#checksum = checksum,
    });
  }

  /** Whether the session is still logged in. */
  get isLoggedIn(): boolean {
    return this.#client !== undefined;
  }

  /** The user's client, for records, sharing, notes and files. */
  get client(): Client {
    if (this.#client === undefined) throw new ArcaError("The session is logged out");
    return this.#client;
  }

  /** The user's id (its client id); still readable after logout. */
  get userId(): string {
    return this.#userId;
  }

  /** Lower-case hex SHA-256 of the key file this session last opened or wrote. */
  get checksum(): string {
    return this.#checksum;
  }

  /**
   * Re-seals the key file under a new password and passphrase, pushes it (the checksum
   * changes, so other devices can tell they must sync) and replaces the local copy. The
   * reminder is kept when omitted. Credentials are validated before anything is sent.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await session.changeCredentials("N3w-password", "new Passphrase 2", "the new reminder");
   * ```
   */
  async changeCredentials(
    password: string,
    passphrase: string,
    reminder?: string,
    validators?: Validators,
  ): Promise<void> {
    const client = this.client;
    requireValidCredentials(password, passphrase, reminder, [
      validators,
      this.#settings.validators,
    ]);
    if (reminder !== undefined) requireReminderShape(reminder);
    const sealed = await sealCredentials(
      client.config,
      password,
      passphrase,
      this.#settings.keyFileKdf,
    );
    if (this.#settings.provider !== "ofs") {
      const transport = (await connection.context(client)).transport;
      await uploadKeyFile(transport, { ...sealed, reminder });
    }
    if (this.#settings.provider !== "server") {
      await writeLocalKeyFile(this.#settings.rootDir, client.clientId, sealed.keyFile);
    }
    this.#checksum = sealed.checksum;
  }

  /**
   * A user's public reminder (this user's by default).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * console.log(await session.getBackupReminder());
   * ```
   */
  async getBackupReminder(userId?: string): Promise<string> {
    const transport = new Transport({
      apiUrl: this.client.config.apiUrl,
      fetch: this.#settings.fetch,
    });
    return await fetchReminder(transport, userId ?? this.userId);
  }

  /**
   * Deletes the user for good: its client, key file, tokens (refused at once), policies and
   * shares on the server, and the local key file. The session is logged out afterwards.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await session.delete();
   * ```
   */
  async delete(): Promise<void> {
    const client = this.client;
    if (this.#settings.provider !== "ofs") {
      await deleteOwnUser((await connection.context(client)).transport);
    }
    await this.logout({ purge: true });
  }

  /**
   * Ends the session: the client and its keys are dropped from the session (at once, before
   * the returned promise settles) and the cache database is closed. With `purge: true` the
   * user's whole local partition under `rootDir` is erased too (cached containers, cursor and
   * the key file: the next login on this device needs the passphrase).
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * await session.logout({ purge: true });
   * console.log(session.isLoggedIn); // false
   * ```
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    this.#client = undefined;
    if (options?.purge === true) await this.cache.purge();
    else await this.cache.close();
  }

  /**
   * Public keys through the provider: `server` asks the server; `server_cache_ofs` reads the cache,
   * else asks the server and keeps the answer (sealed like every cached value); `ofs` knows its
   * own user and the keys kept earlier on this device, nothing else.
   */
  async #publicKeys(userId: string): Promise<PublicKeys> {
    const provider = this.#settings.provider;
    if (userId === this.#userId) return ownPublicKeys(this.client.config);
    if (provider !== "server") {
      const cached = await (await this.cache.store()).get<PublicKeys>(PUBLIC_KEYS_KIND, userId);
      if (cached !== undefined) return cached.value;
      if (provider === "ofs") {
        throw new NotFoundError(
          `No public keys of user ${userId} on this device (the ofs provider has no server to ask)`,
        );
      }
    }
    const info = await this.client.clientInfo(userId);
    const keys: PublicKeys = {
      userId: info.clientId,
      publicKey: info.publicKey,
      publicKeyType: info.publicKeyType,
      signingKey: info.signingKey,
      signingKeyType: info.signingKeyType,
    };
    if (provider === "server_cache_ofs") {
      await (await this.cache.store()).put(PUBLIC_KEYS_KIND, userId, keys, null);
    }
    return keys;
  }
}

/** The cache kind of other users' public keys. */
const PUBLIC_KEYS_KIND = "public_keys";

/** The wire type of a suite's keys. */
function keyType(suite: SuiteName, use: "encryption" | "signing"): string {
  if (suite === "NIST") return "p384";
  return use === "encryption" ? "curve25519" : "ed25519";
}

/** The session user's own public keys, from its credentials (no request). */
function ownPublicKeys(config: Config): PublicKeys {
  const signingKey = config.publicSigningKey ?? null;
  return {
    userId: config.clientId,
    publicKey: config.publicKey,
    publicKeyType: keyType(config.cryptoSuite, "encryption"),
    signingKey,
    signingKeyType: signingKey === null ? null : keyType(config.signingSuite, "signing"),
  };
}
