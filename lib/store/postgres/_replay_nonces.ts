/**
 * The PostgreSQL {@linkcode ReplayNonceStore}: every server instance of the database remembers
 * the same nonces. A nonce is claimed with one `INSERT … ON CONFLICT` (an expired row is taken
 * over, a live one is not), so of concurrent uses exactly one is `fresh`. Budgets are counted
 * in `replay_nonce_budgets` after the claim, in the same transaction, and a spent budget deletes
 * the claim again: concurrent calls may both be refused near a budget's limit, never both let
 * past it. There is no global cap (`full` is never answered): the rows live on disk, the
 * budgets bound each caller, and housekeeping deletes expired rows.
 *
 * @module
 */
import type { NonceBudget, NonceOutcome, ReplayNonceStore } from "../replay_nonces.ts";
import type { PostgresSession } from "./_session.ts";

/** Migration 10 (part): the replay nonces and the budgets they count against. */
export const REPLAY_NONCES_MIGRATION_SQL_POSTGRES = `
CREATE TABLE replay_nonces (
  nonce text PRIMARY KEY,
  expires bigint NOT NULL
);
CREATE INDEX replay_nonces_expires ON replay_nonces(expires);
CREATE TABLE replay_nonce_budgets (
  budget_key text NOT NULL,
  nonce text NOT NULL REFERENCES replay_nonces(nonce) ON DELETE CASCADE,
  expires bigint NOT NULL,
  PRIMARY KEY (budget_key, nonce)
);
CREATE INDEX replay_nonce_budgets_live ON replay_nonce_budgets(budget_key, expires);
CREATE INDEX replay_nonce_budgets_nonce ON replay_nonce_budgets(nonce);
`;

/**
 * Replay nonces in `replay_nonces`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.replayNonces.remember("n1", 1300, 1000), "fresh");
 * ```
 */
export class PostgresReplayNonces implements ReplayNonceStore {
  readonly #sql: PostgresSession;

  /** The replay nonces of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Remembers a nonce (see {@linkcode ReplayNonceStore.remember}). */
  remember(
    nonce: string,
    expiresAt: number,
    now: number,
    budgets: readonly NonceBudget[] = [],
  ): Promise<NonceOutcome> {
    if (typeof nonce !== "string" || nonce === "") {
      return Promise.reject(new TypeError("Nonce must be a non-empty string"));
    }
    if (!Number.isFinite(expiresAt) || !Number.isFinite(now)) {
      return Promise.reject(new TypeError("Nonce expiry and time must be finite numbers"));
    }
    return this.#sql.atomic(async (sql) => {
      const claimed = await sql.row(
        `INSERT INTO replay_nonces (nonce, expires) VALUES ($1, $2)
         ON CONFLICT (nonce) DO UPDATE SET expires = EXCLUDED.expires
         WHERE replay_nonces.expires <= $3
         RETURNING nonce`,
        nonce,
        Math.ceil(expiresAt),
        Math.floor(now),
      );
      if (claimed === undefined) return "replayed";
      await sql.run("DELETE FROM replay_nonce_budgets WHERE nonce = $1", nonce);
      for (const budget of budgets) {
        const live = await sql.row(
          `SELECT count(*) AS n FROM (SELECT 1 FROM replay_nonce_budgets
           WHERE budget_key = $1 AND expires > $2 LIMIT $3) AS live`,
          budget.key,
          Math.floor(now),
          budget.limit,
        );
        if (Number(live?.n ?? 0) >= budget.limit) {
          await sql.run("DELETE FROM replay_nonces WHERE nonce = $1", nonce);
          return budget;
        }
      }
      for (const budget of budgets) {
        await sql.run(
          `INSERT INTO replay_nonce_budgets (budget_key, nonce, expires) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          budget.key,
          nonce,
          Math.ceil(expiresAt),
        );
      }
      return "fresh";
    });
  }

  /** Forgets expired nonces (their budget rows go with them). */
  deleteExpired(now: number): Promise<number> {
    return this.#sql.run("DELETE FROM replay_nonces WHERE expires <= $1", Math.floor(now));
  }
}
