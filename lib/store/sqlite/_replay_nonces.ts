/**
 * The SQLite {@linkcode ReplayNonceStore}: the nonces live in the store's memory
 * (`_nonce_cache.ts`), which is correct because the SQLite store is the only process on its
 * database (the file lock), and costs no write per signed request.
 *
 * @module
 */
import type { NonceBudget, NonceOutcome, ReplayNonceStore } from "../replay_nonces.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * Replay nonces in the connection's {@linkcode NonceCache}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteReplayNonces } from "./_replay_nonces.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.replayNonces instanceof SqliteReplayNonces);
 * await store.close();
 * ```
 */
export class SqliteReplayNonces implements ReplayNonceStore {
  readonly #session: SqliteSession;

  /** The replay nonces of the session's store. */
  constructor(session: SqliteSession) {
    this.#session = session;
  }

  /** Remembers a nonce (see {@linkcode ReplayNonceStore.remember}). */
  remember(
    nonce: string,
    expiresAt: number,
    now: number,
    budgets: readonly NonceBudget[] = [],
  ): Promise<NonceOutcome> {
    try {
      return Promise.resolve(
        this.#session.connection.nonces.remember(nonce, expiresAt, now, budgets),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Forgets expired nonces. */
  deleteExpired(now: number): Promise<number> {
    return Promise.resolve(this.#session.connection.nonces.deleteExpired(now));
  }
}
