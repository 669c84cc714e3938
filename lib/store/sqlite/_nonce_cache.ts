/**
 * The SQLite store's TSV1 replay nonces, in memory (`_replay_nonces.ts`): correct because the
 * SQLite store is the only process on its database (the file lock), so every TSV1 request goes
 * through this one cache. A restart forgets the nonces; a replay is then refused only by the
 * timestamp window. Every accepted nonce is remembered until its request's timestamp leaves
 * the accepted window, after which the timestamp check refuses a replay on its own. The cache is
 * bounded: expired entries are dropped as time passes, and when it is full of live entries new
 * requests are refused (never by forgetting a live nonce, which would let a replay through).
 *
 * Budgets keep one caller from filling the cache for everyone: each nonce is remembered against
 * the budgets it was given (say its signing key and its address), and a nonce whose budget is
 * spent is refused while the cache still has room for others.
 *
 * @module
 */

/** Default largest number of remembered nonces (about 20 MB of memory). */
export const DEFAULT_MAX_NONCES = 200_000;

import type { NonceBudget, NonceOutcome } from "../replay_nonces.ts";

/**
 * Remembers nonces until they expire.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NonceCache } from "./_nonce_cache.ts";
 * const cache = new NonceCache(1000);
 * assert.equal(cache.remember("n1", 1300, 1000), "fresh");
 * assert.equal(cache.remember("n1", 1300, 1001), "replayed");
 * assert.equal(cache.remember("n1", 1700, 1400), "fresh"); // the first one expired at 1300
 * ```
 */
export class NonceCache {
  /** Nonce → expiry in Unix seconds and the budget keys it counts against. */
  readonly #entries = new Map<string, { expiresAt: number; budgets: readonly string[] }>();
  /** Budget key → live nonces counted against it. */
  readonly #counts = new Map<string, number>();
  readonly #maxEntries: number;
  #lastSweep = Number.NEGATIVE_INFINITY;

  /**
   * Creates a cache holding at most `maxEntries` live nonces.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NonceCache } from "./_nonce_cache.ts";
   * const cache = new NonceCache();
   * assert.equal(cache.size, 0);
   * ```
   */
  constructor(maxEntries: number = DEFAULT_MAX_NONCES) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`Nonce cache size must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
  }

  /** How many nonces are remembered (expired ones may linger until the next sweep). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Remembers `nonce` until `expiresAt` (Unix seconds). `replayed` when it is already
   * remembered and unexpired at `now`; `full` when the cache holds `maxEntries` live nonces; the
   * first of `budgets` that already holds its `limit` of live nonces, if any.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NonceCache } from "./_nonce_cache.ts";
   * const cache = new NonceCache(1);
   * cache.remember("a", 2000, 1000);
   * assert.equal(cache.remember("b", 2000, 1000), "full");
   * const budgeted = new NonceCache(10);
   * const mine = { key: "key:k1", limit: 1 };
   * assert.equal(budgeted.remember("c", 2000, 1000, [mine]), "fresh");
   * assert.equal(budgeted.remember("d", 2000, 1000, [mine]), mine);
   * ```
   */
  remember(
    nonce: string,
    expiresAt: number,
    now: number,
    budgets: readonly NonceBudget[] = [],
  ): NonceOutcome {
    if (typeof nonce !== "string" || nonce === "") {
      throw new TypeError("Nonce must be a non-empty string");
    }
    if (!Number.isFinite(expiresAt) || !Number.isFinite(now)) {
      throw new TypeError("Nonce expiry and time must be finite numbers");
    }
    const known = this.#entries.get(nonce);
    if (known !== undefined && known.expiresAt > now) return "replayed";
    // Sweep once a minute, and when full at most once a second (a sweep walks every entry).
    const full = this.#entries.size >= this.#maxEntries || this.#spent(budgets) !== undefined;
    if (now - this.#lastSweep >= 60 || (full && now > this.#lastSweep)) this.#sweep(now);
    if (this.#entries.has(nonce)) this.#forget(nonce);
    if (this.#entries.size >= this.#maxEntries) return "full";
    const spent = this.#spent(budgets);
    if (spent !== undefined) return spent;
    const keys = budgets.map((budget) => budget.key);
    this.#entries.set(nonce, { expiresAt, budgets: keys });
    for (const key of keys) this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    return "fresh";
  }

  /**
   * Forgets the nonces expired at `now`; returns how many.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NonceCache } from "./_nonce_cache.ts";
   * const cache = new NonceCache();
   * cache.remember("a", 2000, 1000);
   * assert.equal(cache.deleteExpired(2000), 1);
   * ```
   */
  deleteExpired(now: number): number {
    const before = this.#entries.size;
    this.#sweep(now);
    return before - this.#entries.size;
  }

  #spent(budgets: readonly NonceBudget[]): NonceBudget | undefined {
    return budgets.find((budget) => (this.#counts.get(budget.key) ?? 0) >= budget.limit);
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [nonce, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#forget(nonce);
    }
  }

  #forget(nonce: string): void {
    const entry = this.#entries.get(nonce);
    if (entry === undefined) return;
    this.#entries.delete(nonce);
    for (const key of entry.budgets) {
      const left = (this.#counts.get(key) ?? 1) - 1;
      if (left > 0) this.#counts.set(key, left);
      else this.#counts.delete(key);
    }
  }
}
