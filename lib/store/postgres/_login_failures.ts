/**
 * The PostgreSQL {@linkcode LoginFailureStore}: one row per failure, so every server instance of
 * the database counts the same failures. Concurrent attempts on one key may each pass the
 * check before either failure is written (as within one process); every failure is counted.
 *
 * @module
 */
import {
  DEFAULT_LOGIN_FAILURE_RULE,
  type LoginFailureRule,
  type LoginFailureStore,
} from "../login_failures.ts";
import type { PostgresSession } from "./_session.ts";

/** Migration 10 (part): failed login attempts. */
export const LOGIN_FAILURES_MIGRATION_SQL_POSTGRES = `
CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  key text NOT NULL,
  at bigint NOT NULL,
  expires bigint NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE INDEX login_failures_expires ON login_failures(expires);
`;

/**
 * Login failures in `login_failures`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.loginFailures.retryAfter("k", 1_800_000_000), 0);
 * ```
 */
export class PostgresLoginFailures implements LoginFailureStore {
  readonly #sql: PostgresSession;

  /** The login failures of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Seconds until `key` may try again. */
  async retryAfter(
    key: string,
    now: number,
    rule: LoginFailureRule = DEFAULT_LOGIN_FAILURE_RULE,
  ): Promise<number> {
    const rows = await this.#sql.rows(
      "SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
      key,
      now - rule.windowSeconds,
      rule.maxFailures,
    );
    if (rows.length < rule.maxFailures) return 0;
    const oldest = Number(rows.at(-1)!.at);
    return Math.max(1, Math.ceil(oldest + rule.windowSeconds - now));
  }

  /** Counts a failure. */
  async fail(
    key: string,
    now: number,
    rule: LoginFailureRule = DEFAULT_LOGIN_FAILURE_RULE,
  ): Promise<void> {
    await this.#sql.run(
      "INSERT INTO login_failures (key, at, expires) VALUES ($1, $2, $3)",
      key,
      now,
      now + rule.windowSeconds,
    );
  }

  /** Forgets the failures of `key`. */
  async succeed(key: string): Promise<void> {
    await this.#sql.run("DELETE FROM login_failures WHERE key = $1", key);
  }

  /** Forgets failures that left their window. */
  deleteExpired(now: number): Promise<number> {
    return this.#sql.run("DELETE FROM login_failures WHERE expires <= $1", now);
  }
}
