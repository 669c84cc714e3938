/**
 * Registration-token rows for both backends: a {@linkcode RegistrationTokenRow}'s bound values,
 * and a stored row (column name → value) as a {@linkcode RegistrationTokenRow}.
 *
 * @module
 */
import type { RegistrationTokenRow } from "./registration_tokens.ts";
import type { StoredFlag } from "./_stored_flag.ts";

type Columns = Record<string, unknown>;

/**
 * A token's values for `registration_tokens (token_id, token_hash, account_id, name, one_time,
 * uses, revoked, created)`, in that order.
 */
export function registrationTokenParams<F extends number | boolean>(
  token: RegistrationTokenRow,
  flag: StoredFlag<F>,
): Array<string | number | F> {
  return [
    token.tokenId,
    token.tokenHash,
    token.accountId,
    token.name,
    flag.write(token.oneTime),
    token.uses,
    flag.write(token.revoked),
    token.created,
  ];
}

/** A `registration_tokens` row as a {@linkcode RegistrationTokenRow}. */
export function toRegistrationToken(
  row: Columns,
  flag: StoredFlag<number | boolean>,
): RegistrationTokenRow {
  return {
    tokenId: String(row.token_id),
    tokenHash: String(row.token_hash),
    accountId: String(row.account_id),
    name: String(row.name),
    oneTime: flag.read(row.one_time),
    uses: Number(row.uses),
    revoked: flag.read(row.revoked),
    created: Number(row.created),
  };
}
