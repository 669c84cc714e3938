/**
 * What the store keeps for identity login (the realm side of E3DB's TozID password login):
 * realms, identities (a username bound to password-derived public keys and a storage client),
 * login sessions between the login steps, and issued tokens. Tokens and session codes are
 * stored only as SHA-256 hex digests.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */

/** A realm: a namespace of identities. */
export interface RealmRow {
  /** The canonical name (`IntegrationTest`); identity derivation uses it as given. */
  name: string;
  /** The lower-case name (`integrationtest`), unique; lookups go through it. */
  domain: string;
  /** A UUID reported as `broker_id` by realm info. */
  brokerId: string;
  /** Creation time. */
  created: number;
}

/** An identity: a username in a realm, its derived public keys and its storage client. */
export interface IdentityRow {
  /** UUID. */
  identityId: string;
  /** The realm's domain. */
  realmDomain: string;
  /** The username in lower case (unique within the realm). */
  username: string;
  /** The identity's storage client (whose credentials the credential note holds). */
  clientId: string;
  /** The password-derived signing public key (wire text): it proves the password. */
  signingKey: string;
  /** The password-derived encryption public key (wire text). */
  encryptionKey: string;
  /** Creation time. */
  created: number;
}

/** A login in progress, between `POST /v1/identity/login` and the token issue. */
export interface LoginSessionRow {
  /** UUID; also the `auth_session_id` of the login context. */
  sessionId: string;
  /** The identity logging in. */
  identityId: string;
  /** The application named at login (`account` by default). */
  appName: string;
  /** The PKCE S256 challenge. */
  codeChallenge: string;
  /** `continue` after login, `fetch` after the continue step. */
  stage: "continue" | "fetch";
  /** SHA-256 hex of the session code handed out by the continue step, or `null` before it. */
  sessionCodeHash: string | null;
  /** The `execution` value of the login context. */
  execution: string;
  /** The `tab_id` value of the login context. */
  tabId: string;
  /** When the session stops being usable. */
  expires: number;
}

/** An issued identity token. */
export interface IdentityTokenRow {
  /** SHA-256 hex of the token. */
  tokenHash: string;
  /** `access` (honoured as the TozID EACP) or `refresh` (buys a new pair once). */
  kind: "access" | "refresh";
  /** The identity it was issued to. */
  identityId: string;
  /** Expiry time. */
  expires: number;
}

/**
 * The identity methods of a store (`store.identity`). Each is atomic on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const realm = { name: "Acme", domain: "acme", brokerId: crypto.randomUUID(), created: 1 };
 * assert.equal(await store.identity.createRealm(realm), true);
 * assert.equal(await store.identity.createRealm(realm), false); // the domain is taken
 * assert.deepEqual(await store.identity.getRealm("acme"), realm);
 * assert.deepEqual(await store.identity.list("acme"), []);
 * await store.close();
 * ```
 */
export interface IdentityStore {
  /** Adds a realm; false when its domain is taken. */
  createRealm(realm: RealmRow): Promise<boolean>;
  /** The realm with this domain (lower case), or `undefined`. */
  getRealm(domain: string): Promise<RealmRow | undefined>;
  /** All realms, by domain. */
  listRealms(): Promise<RealmRow[]>;

  /** Adds an identity; false when the realm already has that username. */
  create(identity: IdentityRow): Promise<boolean>;
  /** The identity with this (lower-case) username in the realm, or `undefined`. */
  get(realmDomain: string, username: string): Promise<IdentityRow | undefined>;
  /** The identity with this id, or `undefined`. */
  getById(identityId: string): Promise<IdentityRow | undefined>;
  /** A realm's identities, by username. */
  list(realmDomain: string): Promise<IdentityRow[]>;
  /** Removes an identity with its sessions and tokens; false when there was none. */
  delete(identityId: string): Promise<boolean>;
  /** Removes the identities bound to this storage client; returns how many. */
  deleteByClient(clientId: string): Promise<number>;

  /** Adds a login session. */
  createLoginSession(session: LoginSessionRow): Promise<void>;
  /** The session (expired or not), or `undefined`. */
  getLoginSession(sessionId: string): Promise<LoginSessionRow | undefined>;
  /**
   * Moves a `continue` session to `fetch` and sets its session code hash; false (changing
   * nothing) unless the session exists, is at `continue` and has not expired at `nowMicros`.
   */
  advanceLoginSession(
    sessionId: string,
    sessionCodeHash: string,
    nowMicros: number,
  ): Promise<boolean>;
  /** Removes a session; false when there was none (so a session is consumed once). */
  deleteLoginSession(sessionId: string): Promise<boolean>;

  /** Adds a token. */
  createToken(token: IdentityTokenRow): Promise<void>;
  /** The token with this hash (expired or not), or `undefined`. */
  findToken(tokenHash: string): Promise<IdentityTokenRow | undefined>;
  /** Removes a token; false when there was none (so a refresh token is used once). */
  deleteToken(tokenHash: string): Promise<boolean>;
  /** Removes expired tokens and login sessions; returns how many. */
  deleteExpired(nowMicros: number): Promise<number>;
}
