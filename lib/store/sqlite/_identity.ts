/**
 * The SQLite {@linkcode IdentityStore}: realms, identities, login sessions and identity tokens.
 *
 * @module
 */
import type {
  IdentityRow,
  IdentityStore,
  IdentityTokenRow,
  LoginSessionRow,
  RealmRow,
} from "../identity.ts";
import type { SqliteSession } from "./_session.ts";
import {
  identityParams,
  loginSessionParams,
  toIdentity,
  toLoginSession,
  toRealm,
  toToken,
} from "../_identity_rows.ts";

/**
 * The SQL of the identity migration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IDENTITY_MIGRATION_SQL } from "./_identity.ts";
 * assert.match(IDENTITY_MIGRATION_SQL, /CREATE TABLE identities /);
 * ```
 */
export const IDENTITY_MIGRATION_SQL = `
CREATE TABLE identity_realms (
  domain TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  broker_id TEXT NOT NULL,
  created INTEGER NOT NULL
) STRICT;

CREATE TABLE identities (
  identity_id TEXT PRIMARY KEY,
  realm_domain TEXT NOT NULL REFERENCES identity_realms(domain) ON DELETE CASCADE,
  username TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES clients(client_id),
  signing_key TEXT NOT NULL,
  encryption_key TEXT NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (realm_domain, username)
) STRICT;

CREATE TABLE identity_login_sessions (
  session_id TEXT PRIMARY KEY,
  identity_id TEXT NOT NULL REFERENCES identities(identity_id) ON DELETE CASCADE,
  app_name TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  stage TEXT NOT NULL,
  session_code_hash TEXT,
  execution TEXT NOT NULL,
  tab_id TEXT NOT NULL,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX identity_login_sessions_identity ON identity_login_sessions(identity_id);
CREATE INDEX identity_login_sessions_expires ON identity_login_sessions(expires);

CREATE TABLE identity_tokens (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  identity_id TEXT NOT NULL REFERENCES identities(identity_id) ON DELETE CASCADE,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX identity_tokens_identity ON identity_tokens(identity_id);
CREATE INDEX identity_tokens_expires ON identity_tokens(expires);
`;

/**
 * Identity rows in the `identity_*` and `identities` tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteIdentity } from "./_identity.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.identity instanceof SqliteIdentity);
 * await store.close();
 * ```
 */
export class SqliteIdentity implements IdentityStore {
  readonly #sql: SqliteSession;

  /** The identity rows of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a realm; false when its domain is taken. */
  createRealm(realm: RealmRow): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "INSERT INTO identity_realms (domain, name, broker_id, created) VALUES (?, ?, ?, ?)" +
          " ON CONFLICT (domain) DO NOTHING",
        realm.domain,
        realm.name,
        realm.brokerId,
        realm.created,
      ) === 1
    );
  }

  /** The realm with this domain, or `undefined`. */
  getRealm(domain: string): Promise<RealmRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM identity_realms WHERE domain = ?", domain);
      return row && toRealm(row);
    });
  }

  /** All realms, by domain. */
  listRealms(): Promise<RealmRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT * FROM identity_realms ORDER BY domain").map(toRealm)
    );
  }

  /** Adds an identity; false when the realm already has that username. */
  create(identity: IdentityRow): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "INSERT INTO identities (identity_id, realm_domain, username, client_id, signing_key," +
          " encryption_key, created) VALUES (?, ?, ?, ?, ?, ?, ?)" +
          " ON CONFLICT (realm_domain, username) DO NOTHING",
        ...identityParams(identity),
      ) === 1
    );
  }

  /** The identity with this username in the realm, or `undefined`. */
  get(realmDomain: string, username: string): Promise<IdentityRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM identities WHERE realm_domain = ? AND username = ?",
        realmDomain,
        username,
      );
      return row && toIdentity(row);
    });
  }

  /** The identity with this id, or `undefined`. */
  getById(identityId: string): Promise<IdentityRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM identities WHERE identity_id = ?", identityId);
      return row && toIdentity(row);
    });
  }

  /** A realm's identities, by username. */
  list(realmDomain: string): Promise<IdentityRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        "SELECT * FROM identities WHERE realm_domain = ? ORDER BY username",
        realmDomain,
      ).map(toIdentity)
    );
  }

  /** Removes an identity with its sessions and tokens; false when there was none. */
  delete(identityId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM identities WHERE identity_id = ?", identityId) === 1
    );
  }

  /** Removes the identities bound to this storage client; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM identities WHERE client_id = ?", clientId)
    );
  }

  /** Adds a login session. */
  createLoginSession(session: LoginSessionRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO identity_login_sessions (session_id, identity_id, app_name, code_challenge," +
          " stage, session_code_hash, execution, tab_id, expires)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ...loginSessionParams(session),
      );
    });
  }

  /** The session (expired or not), or `undefined`. */
  getLoginSession(sessionId: string): Promise<LoginSessionRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM identity_login_sessions WHERE session_id = ?",
        sessionId,
      );
      return row && toLoginSession(row);
    });
  }

  /** Moves a live `continue` session to `fetch` with its session code hash. */
  advanceLoginSession(
    sessionId: string,
    sessionCodeHash: string,
    nowMicros: number,
  ): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "UPDATE identity_login_sessions SET stage = 'fetch', session_code_hash = ?" +
          " WHERE session_id = ? AND stage = 'continue' AND expires > ?",
        sessionCodeHash,
        sessionId,
        nowMicros,
      ) === 1
    );
  }

  /** Removes a session; false when there was none. */
  deleteLoginSession(sessionId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM identity_login_sessions WHERE session_id = ?", sessionId) === 1
    );
  }

  /** Adds a token. */
  createToken(token: IdentityTokenRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO identity_tokens (token_hash, kind, identity_id, expires) VALUES (?, ?, ?, ?)",
        token.tokenHash,
        token.kind,
        token.identityId,
        token.expires,
      );
    });
  }

  /** The token with this hash (expired or not), or `undefined`. */
  findToken(tokenHash: string): Promise<IdentityTokenRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM identity_tokens WHERE token_hash = ?", tokenHash);
      return row && toToken(row);
    });
  }

  /** Removes a token; false when there was none. */
  deleteToken(tokenHash: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM identity_tokens WHERE token_hash = ?", tokenHash) === 1
    );
  }

  /** Removes expired tokens and login sessions; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() =>
        sql.run("DELETE FROM identity_tokens WHERE expires <= ?", nowMicros) +
        sql.run("DELETE FROM identity_login_sessions WHERE expires <= ?", nowMicros)
      )
    );
  }
}
