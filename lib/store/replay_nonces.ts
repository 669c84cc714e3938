/**
 * The TSV1 replay nonces (`store.replayNonces`): every accepted nonce is remembered until its
 * request's timestamp leaves the accepted window, after which the timestamp check refuses a
 * replay on its own. Kept in the store so that a request accepted by one server instance is
 * refused as a replay by every other instance of the same database.
 *
 * Budgets keep one caller from filling the table for everyone: each nonce counts against the
 * budgets it was given (say its signing key and its address), and a nonce whose budget is spent
 * is refused.
 *
 * @module
 */

/** A share of the remembered nonces: at most `limit` live nonces counted against `key`. */
export interface NonceBudget {
  /** What the budget counts, e.g. `key:<signing key>` or `address:<address>`. */
  key: string;
  /** Live nonces allowed. */
  limit: number;
}

/**
 * What {@linkcode ReplayNonceStore.remember} found: `fresh` (remembered now), `replayed`
 * (already remembered and live), `full` (a backend with bounded memory holds its most nonces),
 * or the spent budget that refused the nonce.
 */
export type NonceOutcome = "fresh" | "replayed" | "full" | NonceBudget;

/**
 * The replay nonce methods of a store (`store.replayNonces`). Times are Unix seconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.equal(await store.replayNonces.remember("n1", 1300, 1000), "fresh");
 * assert.equal(await store.replayNonces.remember("n1", 1300, 1001), "replayed");
 * assert.equal(await store.replayNonces.remember("n1", 1700, 1400), "fresh"); // expired at 1300
 * const mine = { key: "key:k1", limit: 1 };
 * assert.equal(await store.replayNonces.remember("n2", 2000, 1500, [mine]), "fresh");
 * assert.deepEqual(await store.replayNonces.remember("n3", 2000, 1500, [mine]), mine);
 * await store.close();
 * ```
 */
export interface ReplayNonceStore {
  /**
   * Remembers `nonce` until `expiresAt` (Unix seconds), atomically across every user of the
   * store: of concurrent calls with one live nonce, exactly one answers `fresh`. `replayed` when
   * it is remembered and unexpired at `now`; `full` when a bounded backend has no room; the
   * first of `budgets` that already holds its `limit` of live nonces, if any (then nothing is
   * remembered).
   */
  remember(
    nonce: string,
    expiresAt: number,
    now: number,
    budgets?: readonly NonceBudget[],
  ): Promise<NonceOutcome>;
  /** Forgets nonces expired at `now` (Unix seconds); returns how many. */
  deleteExpired(now: number): Promise<number>;
}
