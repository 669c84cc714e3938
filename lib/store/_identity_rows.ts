/**
 * Stored identity rows (column name → value, as both backends read them) as the store's row types.
 *
 * @module
 */
import type { IdentityRow, IdentityTokenRow, LoginSessionRow, RealmRow } from "./identity.ts";

type Columns = Record<string, unknown>;

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
