/**
 * The seed's module-level shape, for scripts: `initialize`, `login`, `logout`, `users.*`,
 * `keys.get`, `containers.*` and `events.subscribe` act on one default {@linkcode Arca} application and its current session. Calling
 * them before `initialize` or `login` is an {@linkcode ArcaError} that says so. A login that
 * fails leaves the default application logged out.
 *
 * @module
 */
import { ArcaError } from "../../errors.ts";
import { Arca, type LoginCredentials } from "./app.ts";
import type { ArcaOptions } from "./app_options.ts";
import type { LogoutOptions, PublicKeys, Session } from "./session.ts";
import type { KeyFileSync } from "./key_file_sync.ts";
import type { Validators } from "./validators.ts";
import type { SessionContainers } from "../containers/session_containers.ts";
import type { SessionEvents } from "../containers/session_events.ts";

let defaultApp: Arca | undefined;
let currentSession: Session | undefined;

function app(): Arca {
  if (defaultApp === undefined) throw new ArcaError("Call initialize(apiKey, options) first");
  return defaultApp;
}

function session(): Session {
  app();
  if (currentSession === undefined || !currentSession.isLoggedIn) {
    throw new ArcaError("No user is logged in: call login(userId, { password }) first");
  }
  return currentSession;
}

/**
 * Sets up the default application (logging out any current user). `apiKey` is a registration
 * token; see `ArcaOptions` for `serverUrl`, `appName`, `rootDir`, `provider`, ...
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentUser, initialize } from "@arca/arca";
 * const app = await initialize("a-registration-token", { serverUrl: "http://127.0.0.1:8000" });
 * assert.equal(app.settings.rootDir, ".");
 * assert.equal(currentUser(), undefined);
 * ```
 */
export async function initialize(apiKey: string, options: ArcaOptions = {}): Promise<Arca> {
  const made = await Arca.initialize(apiKey, options);
  await logout();
  defaultApp = made;
  return made;
}

/**
 * Logs a user into the default application (see `Arca.login`); the previous user is logged out
 * first, so a failed login leaves nobody logged in.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await initialize(token, { serverUrl });
 * const session = await login(userId, { password: "Tr0ub4dor!" });
 * ```
 */
export async function login(userId: string, credentials: LoginCredentials): Promise<Session> {
  const target = app();
  await logout();
  currentSession = await target.login(userId, credentials);
  return currentSession;
}

/**
 * Logs the current user out of the default application (nothing happens when nobody is); at
 * once, before the returned promise settles. `{ purge: true }` also erases the user's local
 * partition under `rootDir` (see `Session.logout`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentUser, logout } from "@arca/arca";
 * logout();
 * assert.equal(currentUser(), undefined);
 * ```
 */
export async function logout(options?: LogoutOptions): Promise<void> {
  const ending = currentSession;
  currentSession = undefined;
  await ending?.logout(options);
}

/**
 * The default application's logged-in session, if any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentUser } from "@arca/arca";
 * assert.equal(currentUser(), undefined);
 * ```
 */
export function currentUser(): Session | undefined {
  return currentSession?.isLoggedIn === true ? currentSession : undefined;
}

/** The module-level `users`: user management on the default application. */
export interface DefaultUsers {
  /** Creates a user and logs it in (the previous user is logged out first). */
  create(
    password: string,
    reminder: string,
    passphrase: string,
    validators?: Validators,
  ): Promise<Session>;
  /** Re-seals and pushes the current user's key file under new credentials. */
  changeCredentials(
    password: string,
    passphrase: string,
    reminder?: string,
    validators?: Validators,
  ): Promise<void>;
  /** A user's public reminder; the current user's when no id is given. */
  getBackupReminder(userId?: string): Promise<string>;
  /** Deletes the current user for good and logs it out. */
  delete(): Promise<void>;
}

/** The module-level `keys`: public-key lookups as the current user. */
export interface DefaultKeys {
  /** A user's public keys (never private ones). */
  get(userId: string): Promise<PublicKeys>;
}

/**
 * Users of the default application: `create` logs the new user in; the rest act on the
 * current user.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await initialize(token, { serverUrl });
 * const alice = await users.create("Tr0ub4dor!", "a horse", "correct Horse battery");
 * console.log(await users.getBackupReminder()); // "a horse"
 * await users.changeCredentials("N3w-password!", "new Passphrase 2");
 * await users.delete();
 * ```
 */
export const users: DefaultUsers = {
  /** Creates a user and logs it in (the previous user is logged out first). */
  async create(
    password: string,
    reminder: string,
    passphrase: string,
    validators?: Validators,
  ): Promise<Session> {
    const target = app();
    await logout();
    currentSession = await target.users.create(password, reminder, passphrase, validators);
    return currentSession;
  },
  /** Re-seals and pushes the current user's key file under new credentials. */
  async changeCredentials(
    password: string,
    passphrase: string,
    reminder?: string,
    validators?: Validators,
  ): Promise<void> {
    await session().changeCredentials(password, passphrase, reminder, validators);
  },
  /** A user's public reminder; the current user's when no id is given. */
  async getBackupReminder(userId?: string): Promise<string> {
    return await app().users.getBackupReminder(userId ?? session().userId);
  },
  /** Deletes the current user for good and logs it out. */
  async delete(): Promise<void> {
    const deleting = session();
    await deleting.delete();
    await logout();
  },
};

/**
 * Public keys, looked up as the current user of the default application.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in user.
 * const { publicKey, signingKey } = await keys.get(otherUserId);
 * ```
 */
export const keys: DefaultKeys = {
  /** A user's public keys (never private ones). */
  async get(userId: string): Promise<PublicKeys> {
    return await session().keys.get(userId);
  },
};

/** The module-level `containers`: the current user's `session.containers`. */
export type DefaultContainers = Pick<
  SessionContainers,
  "create" | "get" | "keys" | "update" | "delete" | "list" | "getEvents"
>;

/** The module-level `events`: the current user's `session.events`. */
export type DefaultEvents = Pick<SessionEvents, "subscribe">;

/**
 * Containers of the current user of the default application: the same methods as
 * `session.containers` (`create`, `get`, `keys`, `update`, `delete`, `list`, `getEvents`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in user.
 * const made = await containers.create("hello", { access: [bobId], header: { to: "Bob" } });
 * const read = await containers.get(made.id, { portion: "header" });
 * const news = await containers.getEvents();
 * ```
 */
export const containers: DefaultContainers = {
  create: (content, options) => session().containers.create(content, options),
  get: (id, options) => session().containers.get(id, options),
  keys: (container) => session().containers.keys(container),
  update: (id, options) => session().containers.update(id, options),
  delete: (id) => session().containers.delete(id),
  list: (options) => session().containers.list(options),
  getEvents: (filter) => session().containers.getEvents(filter),
};

/**
 * The live event stream of the current user of the default application: `events.subscribe`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in user.
 * for await (const event of events.subscribe({ type: "container" })) console.log(event.action);
 * ```
 */
export const events: DefaultEvents = {
  subscribe: (filter) => session().events.subscribe(filter),
};

/** The module-level `keyFile`: the current user's `session.keyFile`. */
export type DefaultKeyFile = Pick<KeyFileSync, "needsSync" | "sync" | "getChecksum">;

/**
 * Key file sync of the current user of the default application: `needsSync`, `sync`,
 * `getChecksum` (see `session.keyFile`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in user.
 * if (await keyFile.needsSync()) await keyFile.sync("new Passphrase 2");
 * ```
 */
export const keyFile: DefaultKeyFile = {
  needsSync: (userId) => session().keyFile.needsSync(userId),
  sync: (passphrase, options) => session().keyFile.sync(passphrase, options),
  getChecksum: (userId) => session().keyFile.getChecksum(userId),
};
