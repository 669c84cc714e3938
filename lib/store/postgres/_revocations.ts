/**
 * The PostgreSQL {@linkcode RevocationStore}: the generation is the `revocations` row of
 * `counters`. `bump` updates it in the revoking transaction, so it moves exactly when the
 * revocation commits; `generation` is one primary-key read, which every authenticated request
 * makes (see `lib/server/_bearer_cache.ts`).
 *
 * @module
 */
import type { RevocationStore } from "../revocations.ts";
import type { PostgresSession } from "./_session.ts";

/** Migration 9 (part): the revocation generation. */
export const REVOCATIONS_MIGRATION_SQL_POSTGRES = `
INSERT INTO counters (name, value) VALUES ('revocations', 0);
`;

/**
 * The revocation generation in `counters`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * await store.transaction((tx) => tx.revocations.bump());
 * ```
 */
export class PostgresRevocations implements RevocationStore {
  readonly #sql: PostgresSession;

  /** The revocations of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The current generation. */
  async generation(): Promise<number> {
    const row = await this.#sql.row("SELECT value FROM counters WHERE name = 'revocations'");
    return Number(row?.value ?? 0);
  }

  /** Moves the generation on. */
  async bump(): Promise<void> {
    await this.#sql.run("UPDATE counters SET value = value + 1 WHERE name = 'revocations'");
  }
}
