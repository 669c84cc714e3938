/**
 * The PostgreSQL {@linkcode RegistrationTokenStore}. `use` is one conditional `UPDATE`, which
 * re-checks its condition on the latest row after waiting for its lock: a one-time token is used
 * once even by concurrent registrations on several instances.
 *
 * @module
 */
import type { RegistrationTokenRow, RegistrationTokenStore } from "../registration_tokens.ts";
import type { PgRow, PostgresSession } from "./_session.ts";

/**
 * Registration tokens in the `registration_tokens` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.registrationTokens.use(crypto.randomUUID()), false);
 * ```
 */
export class PostgresRegistrationTokens implements RegistrationTokenStore {
  readonly #sql: PostgresSession;

  /** The registration tokens of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds a token (its hash must be unique). */
  async create(token: RegistrationTokenRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO registration_tokens (token_id, token_hash, account_id, name, one_time, uses," +
        " revoked, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      token.tokenId,
      token.tokenHash,
      token.accountId,
      token.name,
      token.oneTime,
      token.uses,
      token.revoked,
      token.created,
    );
  }

  /** The token with this hash, or `undefined`. */
  async findByHash(tokenHash: string): Promise<RegistrationTokenRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM registration_tokens WHERE token_hash = $1",
      tokenHash,
    );
    return row && toRegistrationToken(row);
  }

  /** Counts one use if the token is usable; false otherwise. */
  async use(tokenId: string): Promise<boolean> {
    return await this.#sql.run(
      "UPDATE registration_tokens SET uses = uses + 1 WHERE token_id = $1 AND NOT revoked" +
        " AND (NOT one_time OR uses = 0)",
      tokenId,
    ) === 1;
  }

  /** All tokens, oldest first. */
  async list(): Promise<RegistrationTokenRow[]> {
    return (await this.#sql.rows(
      'SELECT * FROM registration_tokens ORDER BY created, token_id COLLATE "C"',
    ))
      .map(toRegistrationToken);
  }

  /** Marks a token revoked; false when there is no such token. */
  async revoke(tokenId: string): Promise<boolean> {
    return await this.#sql.run(
      "UPDATE registration_tokens SET revoked = true WHERE token_id = $1",
      tokenId,
    ) === 1;
  }
}

function toRegistrationToken(row: PgRow): RegistrationTokenRow {
  return {
    tokenId: String(row.token_id),
    tokenHash: String(row.token_hash),
    accountId: String(row.account_id),
    name: String(row.name),
    oneTime: row.one_time === true,
    uses: Number(row.uses),
    revoked: row.revoked === true,
    created: Number(row.created),
  };
}
