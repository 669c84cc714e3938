/**
 * The TSV1 replay cache: every accepted nonce is remembered until its request's timestamp leaves
 * the accepted window, after which the timestamp check refuses a replay on its own. The cache is
 * bounded: expired entries are dropped as time passes, and when it is full of live entries new
 * requests are refused (never by forgetting a live nonce, which would let a replay through).
 *
 * @module
 */

/** Default largest number of remembered nonces (about 20 MB of memory). */
export const DEFAULT_MAX_NONCES = 200_000;

/** What {@linkcode NonceCache.remember} found. */
export type NonceOutcome = "fresh" | "replayed" | "full";

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
  /** Nonce → expiry in Unix seconds. */
  readonly #entries = new Map<string, number>();
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
   * remembered and unexpired at `now`; `full` when the cache holds `maxEntries` live nonces.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NonceCache } from "./_nonce_cache.ts";
   * const cache = new NonceCache(1);
   * cache.remember("a", 2000, 1000);
   * assert.equal(cache.remember("b", 2000, 1000), "full");
   * ```
   */
  remember(nonce: string, expiresAt: number, now: number): NonceOutcome {
    if (typeof nonce !== "string" || nonce === "") {
      throw new TypeError("Nonce must be a non-empty string");
    }
    if (!Number.isFinite(expiresAt) || !Number.isFinite(now)) {
      throw new TypeError("Nonce expiry and time must be finite numbers");
    }
    const known = this.#entries.get(nonce);
    if (known !== undefined && known > now) return "replayed";
    // Sweep once a minute, and when full at most once a second (a sweep walks every entry).
    const full = this.#entries.size >= this.#maxEntries;
    if (now - this.#lastSweep >= 60 || (full && now > this.#lastSweep)) this.#sweep(now);
    if (known === undefined && this.#entries.size >= this.#maxEntries) return "full";
    this.#entries.set(nonce, expiresAt);
    return "fresh";
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [nonce, expiresAt] of this.#entries) {
      if (expiresAt <= now) this.#entries.delete(nonce);
    }
  }
}
