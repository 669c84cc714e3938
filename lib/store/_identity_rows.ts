/**
 * Identity rows for both backends: the bound values of identities and login sessions, and stored
 * rows (column name → value) as the store's row types.
 *
 * @module
 */
import type { IdentityRow, IdentityTokenRow, LoginSessionRow, RealmRow } from "./identity.ts";

type Columns = Record<string, unknown>;

/**
 * An identity's values for `identities (identity_id, realm_domain, username, client_id,
 * signing_key, encryption_key, created)`, in that order.
 */
export function identityParams(identity: IdentityRow): Array<string | number> {
  return [
    identity.identityId,
    identity.realmDomain,
    identity.username,
    identity.clientId,
    identity.signingKey,
    identity.encryptionKey,
    identity.created,
  ];
}

/**
 * A login session's values for `identity_login_sessions (session_id, identity_id, app_name,
 * code_challenge, stage, session_code_hash, execution, tab_id, expires)`, in that order.
 */
export function loginSessionParams(session: LoginSessionRow): Array<string | number | null> {
  return [
    session.sessionId,
    session.identityId,
    session.appName,
    session.codeChallenge,
    session.stage,
    session.sessionCodeHash,
    session.execution,
    session.tabId,
    session.expires,
  ];
}

/** A `identity_realms` row as a {@linkcode RealmRow}. */
export function toRealm(row: Columns): RealmRow {
  return {
    name: String(row.name),
    domain: String(row.domain),
    brokerId: String(row.broker_id),
    created: Number(row.created),
  };
}

/** A `identities` row as a {@linkcode IdentityRow}. */
export function toIdentity(row: Columns): IdentityRow {
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

/** A `identity_login_sessions` row as a {@linkcode LoginSessionRow}. */
export function toLoginSession(row: Columns): LoginSessionRow {
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

/** A `identity_tokens` row as a {@linkcode IdentityTokenRow}. */
export function toToken(row: Columns): IdentityTokenRow {
  return {
    tokenHash: String(row.token_hash),
    kind: row.kind === "refresh" ? "refresh" : "access",
    identityId: String(row.identity_id),
    expires: Number(row.expires),
  };
}
