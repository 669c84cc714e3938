/**
 * A per-key rate limit over fixed one-minute windows, kept in this process's memory. The counts
 * are dropped when a new minute starts, so memory holds at most one minute of keys, and at most
 * `maxKeys` of them: when that many keys are counted, a new key is refused for the rest of the
 * minute (no count is ever dropped early, which would let a flood reset someone's count).
 *
 * @module
 */

/** Default most keys counted within one minute. */
export const DEFAULT_RATE_LIMIT_MAX_KEYS = 100_000;

/**
 * Counts events per key and minute.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MinuteRateLimit } from "./_rate_limit.ts";
 * const limit = new MinuteRateLimit(2);
 * assert.equal(limit.take("a", 0), 0);
 * assert.equal(limit.take("a", 10), 0);
 * assert.equal(limit.take("a", 20), 40); // refused: retry in 40 s
 * assert.equal(limit.take("a", 60), 0); // a new minute
 * ```
 */
export class MinuteRateLimit {
  readonly #perMinute: number;
  readonly #maxKeys: number;
  readonly #counts = new Map<string, number>();
  #minute = Number.NEGATIVE_INFINITY;

  /**
   * Allows `perMinute` events per key and minute, counting at most `maxKeys` keys a minute.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MinuteRateLimit } from "./_rate_limit.ts";
   * assert.throws(() => new MinuteRateLimit(0), RangeError);
   * ```
   */
  constructor(perMinute: number, maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS) {
    for (const [name, value] of [["perMinute", perMinute], ["maxKeys", maxKeys]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
      }
    }
    this.#perMinute = perMinute;
    this.#maxKeys = maxKeys;
  }

  /**
   * Counts one event of `key` at `nowSeconds`: 0 when allowed, else the seconds until the next
   * minute (when it may try again).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MinuteRateLimit } from "./_rate_limit.ts";
   * assert.equal(new MinuteRateLimit(1).take("k", 5), 0);
   * ```
   */
  take(key: string, nowSeconds: number): number {
    const minute = Math.floor(nowSeconds / 60);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#counts.clear();
    }
    const count = this.#counts.get(key) ?? 0;
    const room = this.#counts.has(key) || this.#counts.size < this.#maxKeys;
    if (count >= this.#perMinute || !room) return Math.max(1, (minute + 1) * 60 - nowSeconds);
    this.#counts.set(key, count + 1);
    return 0;
  }
}
