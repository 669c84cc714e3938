/**
 * The PostgreSQL {@linkcode RevocationStore}: the generation is the `revocations` row of
 * `counters`. `bump` updates it in the revoking transaction, so it moves exactly when the
 * revocation commits; `generation` is one primary-key read, which every authenticated request
 * makes (see `lib/server/_bearer_cache.ts`).
 *
 * Concurrent `generation()` calls share reads (`_coalesced_reads.ts`): a call waits for the next
 * read that starts after it was made, so under load about one read per round trip serves every
 * request that arrived meanwhile, and each still sees every revocation committed before it.
 *
 * @module
 */
import type { RevocationStore } from "../revocations.ts";
import { CoalescedReads } from "./_coalesced_reads.ts";
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
  readonly #reads = new CoalescedReads((keys: null[]) =>
    this.#read().then((g) => keys.map(() => g))
  );

  /** The revocations of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The current generation (a read that starts after this call). */
  generation(): Promise<number> {
    return this.#sql.inTransaction ? this.#read() : this.#reads.read(null);
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
