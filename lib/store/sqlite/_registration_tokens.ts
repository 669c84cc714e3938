/**
 * The SQLite {@linkcode RegistrationTokenStore}.
 *
 * @module
 */
import type { RegistrationTokenRow, RegistrationTokenStore } from "../registration_tokens.ts";
import type { SqliteSession } from "./_session.ts";
import { registrationTokenParams, toRegistrationToken } from "../_registration_token_rows.ts";
import { SQLITE_FLAG } from "../_stored_flag.ts";

/**
 * Registration tokens in the `registration_tokens` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteRegistrationTokens } from "./_registration_tokens.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.registrationTokens instanceof SqliteRegistrationTokens);
 * await store.close();
 * ```
 */
export class SqliteRegistrationTokens implements RegistrationTokenStore {
  readonly #sql: SqliteSession;

  /** The registration tokens of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a token (its hash must be unique). */
  create(token: RegistrationTokenRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO registration_tokens (token_id, token_hash, account_id, name, one_time, uses," +
          " revoked, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ...registrationTokenParams(token, SQLITE_FLAG),
      );
    });
  }

  /** The token with this hash, or `undefined`. */
  findByHash(tokenHash: string): Promise<RegistrationTokenRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM registration_tokens WHERE token_hash = ?",
        tokenHash,
      );
      return row && toRegistrationToken(row, SQLITE_FLAG);
    });
  }

  /** Counts one use if the token is usable; false otherwise. */
  use(tokenId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "UPDATE registration_tokens SET uses = uses + 1 WHERE token_id = ? AND revoked = 0" +
          " AND (one_time = 0 OR uses = 0)",
        tokenId,
      ) === 1
    );
  }

  /** All tokens, oldest first. */
  list(): Promise<RegistrationTokenRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT * FROM registration_tokens ORDER BY created, token_id").map(
        (row) => toRegistrationToken(row, SQLITE_FLAG),
      )
    );
  }

  /** Marks a token revoked; false when there is no such token. */
  revoke(tokenId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("UPDATE registration_tokens SET revoked = 1 WHERE token_id = ?", tokenId) === 1
    );
  }
}
