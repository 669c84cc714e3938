/**
 * The PostgreSQL {@linkcode RevocationStore}: the generation is the `revocations` row of
 * `counters`. `bump` updates it in the revoking transaction, so it moves exactly when the
 * revocation commits; `generation` is one primary-key read, which every authenticated request
 * makes (see `lib/server/_bearer_cache.ts`).
 *
 * Concurrent `generation()` calls share reads: a call waits for the next read that starts after
 * it was made (never one already on its way, which could have been answered before a revocation
 * that committed just before the call), so under load about one read per round trip serves every
 * request that arrived meanwhile, and each still sees every revocation committed before it.
 *
 * @module
 */
import type { RevocationStore } from "../revocations.ts";
import type { PostgresSession } from "./_session.ts";

/** Migration 10 (part): the revocation generation. */
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
  #waiting: { resolve: (generation: number) => void; reject: (error: unknown) => void }[] = [];
  #reading = false;

  /** The revocations of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The current generation (a read that starts after this call). */
  generation(): Promise<number> {
    if (this.#sql.inTransaction) return this.#read();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#reading) void this.#readForWaiting();
    });
  }

  /** Reads for everyone waiting, again and again while more calls arrive during a read. */
  async #readForWaiting(): Promise<void> {
    this.#reading = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        const generation = await this.#read();
        for (const waiter of batch) waiter.resolve(generation);
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.#reading = false;
  }

  async #read(): Promise<number> {
    const row = await this.#sql.row("SELECT value FROM counters WHERE name = 'revocations'");
    return Number(row?.value ?? 0);
  }

  /** Moves the generation on. */
  async bump(): Promise<void> {
    await this.#sql.run("UPDATE counters SET value = value + 1 WHERE name = 'revocations'");
  }
}
