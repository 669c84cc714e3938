/**
 * The PostgreSQL {@linkcode IdentityStore}, and the identity migration (step 3).
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
import type { PostgresSession } from "./_session.ts";
import {
  identityParams,
  loginSessionParams,
  toIdentity,
  toLoginSession,
  toRealm,
  toToken,
} from "../_identity_rows.ts";

/** Migration 3: identity realms, identities, login sessions, identity tokens. */
export const IDENTITY_MIGRATION_SQL_POSTGRES = `
CREATE TABLE identity_realms (
  domain text PRIMARY KEY,
  name text NOT NULL,
  broker_id text NOT NULL,
  created bigint NOT NULL
);

CREATE TABLE identities (
  identity_id text PRIMARY KEY,
  realm_domain text NOT NULL REFERENCES identity_realms(domain) ON DELETE CASCADE,
  username text NOT NULL,
  client_id text NOT NULL REFERENCES clients(client_id),
  signing_key text NOT NULL,
  encryption_key text NOT NULL,
  created bigint NOT NULL,
  UNIQUE (realm_domain, username)
);

CREATE TABLE identity_login_sessions (
  session_id text PRIMARY KEY,
  identity_id text NOT NULL REFERENCES identities(identity_id) ON DELETE CASCADE,
  app_name text NOT NULL,
  code_challenge text NOT NULL,
  stage text NOT NULL,
  session_code_hash text,
  execution text NOT NULL,
  tab_id text NOT NULL,
  expires bigint NOT NULL
);
CREATE INDEX identity_login_sessions_identity ON identity_login_sessions(identity_id);
CREATE INDEX identity_login_sessions_expires ON identity_login_sessions(expires);

CREATE TABLE identity_tokens (
  token_hash text PRIMARY KEY,
  kind text NOT NULL,
  identity_id text NOT NULL REFERENCES identities(identity_id) ON DELETE CASCADE,
  expires bigint NOT NULL
);
CREATE INDEX identity_tokens_identity ON identity_tokens(identity_id);
CREATE INDEX identity_tokens_expires ON identity_tokens(expires);
`;

/**
 * Identity login in the `identity_*` tables and `identities`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.deepEqual(await store.identity.listRealms(), []);
 * ```
 */
export class PostgresIdentity implements IdentityStore {
  readonly #sql: PostgresSession;

  /** The identity login of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds a realm; false when its domain is taken. */
  async createRealm(realm: RealmRow): Promise<boolean> {
    return await this.#sql.run(
      "INSERT INTO identity_realms (domain, name, broker_id, created) VALUES ($1, $2, $3, $4)" +
        " ON CONFLICT (domain) DO NOTHING",
      realm.domain,
      realm.name,
      realm.brokerId,
      realm.created,
    ) === 1;
  }

  /** One realm, or `undefined`. */
  async getRealm(domain: string): Promise<RealmRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM identity_realms WHERE domain = $1", domain);
    return row && toRealm(row);
  }

  /** All realms, by domain. */
  async listRealms(): Promise<RealmRow[]> {
    return (await this.#sql.rows('SELECT * FROM identity_realms ORDER BY domain COLLATE "C"'))
      .map(toRealm);
  }

  /** Adds an identity; false when its username is taken in its realm. */
  async create(identity: IdentityRow): Promise<boolean> {
    return await this.#sql.run(
      "INSERT INTO identities (identity_id, realm_domain, username, client_id, signing_key," +
        " encryption_key, created) VALUES ($1, $2, $3, $4, $5, $6, $7)" +
        " ON CONFLICT (realm_domain, username) DO NOTHING",
      ...identityParams(identity),
    ) === 1;
  }

  /** The identity with this username in the realm, or `undefined`. */
  async get(realmDomain: string, username: string): Promise<IdentityRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM identities WHERE realm_domain = $1 AND username = $2",
      realmDomain,
      username,
    );
    return row && toIdentity(row);
  }

  /** The identity with this id, or `undefined`. */
  async getById(identityId: string): Promise<IdentityRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM identities WHERE identity_id = $1", identityId);
    return row && toIdentity(row);
  }

  /** The realm's identities, by username. */
  async list(realmDomain: string): Promise<IdentityRow[]> {
    return (await this.#sql.rows(
      'SELECT * FROM identities WHERE realm_domain = $1 ORDER BY username COLLATE "C"',
      realmDomain,
    )).map(toIdentity);
  }

  /** Deletes an identity (its sessions and tokens go with it); false when there was none. */
  async delete(identityId: string): Promise<boolean> {
    return await this.#sql.run("DELETE FROM identities WHERE identity_id = $1", identityId) === 1;
  }

  /** Deletes the identities of a client; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.run("DELETE FROM identities WHERE client_id = $1", clientId);
  }

  /** Adds a login session. */
  async createLoginSession(session: LoginSessionRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO identity_login_sessions (session_id, identity_id, app_name, code_challenge," +
        " stage, session_code_hash, execution, tab_id, expires)" +
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      ...loginSessionParams(session),
    );
  }

  /** One login session, or `undefined`. */
  async getLoginSession(sessionId: string): Promise<LoginSessionRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM identity_login_sessions WHERE session_id = $1",
      sessionId,
    );
    return row && toLoginSession(row);
  }

  /** Moves a live session from `continue` to `fetch` with its code; false otherwise. */
  async advanceLoginSession(
    sessionId: string,
    sessionCodeHash: string,
    nowMicros: number,
  ): Promise<boolean> {
    return await this.#sql.run(
      "UPDATE identity_login_sessions SET stage = 'fetch', session_code_hash = $1" +
        " WHERE session_id = $2 AND stage = 'continue' AND expires > $3",
      sessionCodeHash,
      sessionId,
      nowMicros,
    ) === 1;
  }

  /** Deletes a login session; false when there was none. */
  async deleteLoginSession(sessionId: string): Promise<boolean> {
    return await this.#sql.run(
      "DELETE FROM identity_login_sessions WHERE session_id = $1",
      sessionId,
    ) === 1;
  }

  /** Adds an identity token. */
  async createToken(token: IdentityTokenRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO identity_tokens (token_hash, kind, identity_id, expires)" +
        " VALUES ($1, $2, $3, $4)",
      token.tokenHash,
      token.kind,
      token.identityId,
      token.expires,
    );
  }

  /** The identity token with this hash, or `undefined`. */
  async findToken(tokenHash: string): Promise<IdentityTokenRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM identity_tokens WHERE token_hash = $1",
      tokenHash,
    );
    return row && toToken(row);
  }

  /** Deletes an identity token; false when there was none. */
  async deleteToken(tokenHash: string): Promise<boolean> {
    return await this.#sql.run(
      "DELETE FROM identity_tokens WHERE token_hash = $1",
      tokenHash,
    ) === 1;
  }

  /** Deletes expired tokens and login sessions; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    return this.#sql.atomic(async (sql) =>
      await sql.run("DELETE FROM identity_tokens WHERE expires <= $1", nowMicros) +
      await sql.run("DELETE FROM identity_login_sessions WHERE expires <= $1", nowMicros)
    );
  }
}
