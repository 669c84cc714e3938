/**
 * The SQLite statements behind the {@linkcode IdentityStore} methods.
 *
 * @module
 */
import type { IdentityRow, IdentityTokenRow, LoginSessionRow, RealmRow } from "./identity_store.ts";
import type { SqlRow, SqlRunner } from "./sqlite_runner.ts";

/** The SQL of the identity migration. */
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
 * The identity statements bound to one runner.
 *
 * @example
 * ```ts ignore
 * const realm = sqliteIdentity(sql).getRealm("integrationtest");
 * ```
 */
export function sqliteIdentity(sql: SqlRunner) {
  return {
    createRealm(realm: RealmRow): boolean {
      return sql.run(
        "INSERT INTO identity_realms (domain, name, broker_id, created) VALUES (?, ?, ?, ?)" +
          " ON CONFLICT (domain) DO NOTHING",
        realm.domain,
        realm.name,
        realm.brokerId,
        realm.created,
      ) === 1;
    },

    getRealm(domain: string): RealmRow | undefined {
      const row = sql.get("SELECT * FROM identity_realms WHERE domain = ?", domain);
      return row && toRealm(row);
    },

    listRealms(): RealmRow[] {
      return sql.all("SELECT * FROM identity_realms ORDER BY domain").map(toRealm);
    },

    createIdentity(identity: IdentityRow): boolean {
      return sql.run(
        "INSERT INTO identities (identity_id, realm_domain, username, client_id, signing_key," +
          " encryption_key, created) VALUES (?, ?, ?, ?, ?, ?, ?)" +
          " ON CONFLICT (realm_domain, username) DO NOTHING",
        identity.identityId,
        identity.realmDomain,
        identity.username,
        identity.clientId,
        identity.signingKey,
        identity.encryptionKey,
        identity.created,
      ) === 1;
    },

    getIdentity(realmDomain: string, username: string): IdentityRow | undefined {
      const row = sql.get(
        "SELECT * FROM identities WHERE realm_domain = ? AND username = ?",
        realmDomain,
        username,
      );
      return row && toIdentity(row);
    },

    getIdentityById(identityId: string): IdentityRow | undefined {
      const row = sql.get("SELECT * FROM identities WHERE identity_id = ?", identityId);
      return row && toIdentity(row);
    },

    listIdentities(realmDomain: string): IdentityRow[] {
      return sql.all(
        "SELECT * FROM identities WHERE realm_domain = ? ORDER BY username",
        realmDomain,
      ).map(toIdentity);
    },

    deleteIdentity(identityId: string): boolean {
      return sql.run("DELETE FROM identities WHERE identity_id = ?", identityId) === 1;
    },

    createLoginSession(session: LoginSessionRow): void {
      sql.run(
        "INSERT INTO identity_login_sessions (session_id, identity_id, app_name, code_challenge," +
          " stage, session_code_hash, execution, tab_id, expires)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        session.sessionId,
        session.identityId,
        session.appName,
        session.codeChallenge,
        session.stage,
        session.sessionCodeHash,
        session.execution,
        session.tabId,
        session.expires,
      );
    },

    getLoginSession(sessionId: string): LoginSessionRow | undefined {
      const row = sql.get("SELECT * FROM identity_login_sessions WHERE session_id = ?", sessionId);
      return row && toLoginSession(row);
    },

    advanceLoginSession(sessionId: string, sessionCodeHash: string, nowMicros: number): boolean {
      return sql.run(
        "UPDATE identity_login_sessions SET stage = 'fetch', session_code_hash = ?" +
          " WHERE session_id = ? AND stage = 'continue' AND expires > ?",
        sessionCodeHash,
        sessionId,
        nowMicros,
      ) === 1;
    },

    deleteLoginSession(sessionId: string): boolean {
      return sql.run("DELETE FROM identity_login_sessions WHERE session_id = ?", sessionId) === 1;
    },

    createIdentityToken(token: IdentityTokenRow): void {
      sql.run(
        "INSERT INTO identity_tokens (token_hash, kind, identity_id, expires) VALUES (?, ?, ?, ?)",
        token.tokenHash,
        token.kind,
        token.identityId,
        token.expires,
      );
    },

    findIdentityToken(tokenHash: string): IdentityTokenRow | undefined {
      const row = sql.get("SELECT * FROM identity_tokens WHERE token_hash = ?", tokenHash);
      return row && toToken(row);
    },

    deleteIdentityToken(tokenHash: string): boolean {
      return sql.run("DELETE FROM identity_tokens WHERE token_hash = ?", tokenHash) === 1;
    },

    deleteExpiredIdentityRows(nowMicros: number): number {
      return sql.atomic(() =>
        sql.run("DELETE FROM identity_tokens WHERE expires <= ?", nowMicros) +
        sql.run("DELETE FROM identity_login_sessions WHERE expires <= ?", nowMicros)
      );
    },
  };
}

function toRealm(row: SqlRow): RealmRow {
  return {
    name: String(row.name),
    domain: String(row.domain),
    brokerId: String(row.broker_id),
    created: Number(row.created),
  };
}

function toIdentity(row: SqlRow): IdentityRow {
  return {
    identityId: String(row.identity_id),
    realmDomain: String(row.realm_domain),
    username: String(row.username),
    clientId: String(row.client_id),
    signingKey: String(row.signing_key),
    encryptionKey: String(row.encryption_key),
    created: Number(row.created),
  };
}

function toLoginSession(row: SqlRow): LoginSessionRow {
  return {
    sessionId: String(row.session_id),
    identityId: String(row.identity_id),
    appName: String(row.app_name),
    codeChallenge: String(row.code_challenge),
    stage: row.stage === "fetch" ? "fetch" : "continue",
    sessionCodeHash: row.session_code_hash === null ? null : String(row.session_code_hash),
    execution: String(row.execution),
    tabId: String(row.tab_id),
    expires: Number(row.expires),
  };
}

function toToken(row: SqlRow): IdentityTokenRow {
  return {
    tokenHash: String(row.token_hash),
    kind: row.kind === "refresh" ? "refresh" : "access",
    identityId: String(row.identity_id),
    expires: Number(row.expires),
  };
}
