/**
 * The PostgreSQL {@linkcode RegistrationTokenStore}. `use` is one conditional `UPDATE`, which
 * re-checks its condition on the latest row after waiting for its lock: a one-time token is used
 * once even by concurrent registrations on several instances.
 *
 * @module
 */
import type { RegistrationTokenRow, RegistrationTokenStore } from "../registration_tokens.ts";
import type { PostgresSession } from "./_session.ts";
import { registrationTokenParams, toRegistrationToken } from "../_registration_token_rows.ts";
import { POSTGRES_FLAG } from "../_stored_flag.ts";

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
      ...registrationTokenParams(token, POSTGRES_FLAG),
    );
  }

  /** The token with this hash, or `undefined`. */
  async findByHash(tokenHash: string): Promise<RegistrationTokenRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM registration_tokens WHERE token_hash = $1",
      tokenHash,
    );
    return row && toRegistrationToken(row, POSTGRES_FLAG);
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
      .map((row) => toRegistrationToken(row, POSTGRES_FLAG));
  }

  /** Marks a token revoked; false when there is no such token. */
  async revoke(tokenId: string): Promise<boolean> {
    return await this.#sql.run(
      "UPDATE registration_tokens SET revoked = true WHERE token_id = $1",
      tokenId,
    ) === 1;
  }
}
