/**
 * The SQLite {@linkcode RevocationStore}: the generation is a number in the store's memory,
 * which is correct because the SQLite store is the only process on its database (the file
 * lock). A `bump` inside a transaction moves it at once; that is safe because the store's other
 * calls run between batches, so whoever sees the new generation reads the committed revocation.
 *
 * @module
 */
import type { RevocationStore } from "../revocations.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * The revocation generation on the connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteRevocations } from "./_revocations.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.revocations instanceof SqliteRevocations);
 * await store.close();
 * ```
 */
export class SqliteRevocations implements RevocationStore {
  readonly #session: SqliteSession;

  /** The revocations of the session's store. */
  constructor(session: SqliteSession) {
    this.#session = session;
  }

  /** The current generation. */
  generation(): Promise<number> {
    return Promise.resolve(this.#session.connection.revocationGeneration);
  }

  /** Moves the generation on. */
  bump(): Promise<void> {
    this.#session.connection.revocationGeneration++;
    return Promise.resolve();
  }
}
