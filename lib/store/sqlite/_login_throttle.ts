/**
 * The SQLite store's login failures, in memory (`_login_failures.ts`): correct because the SQLite
 * store is the only process on its database (the file lock). A restart forgets them.
 *
 * Rate limiting of failed identity logins. Failures are counted per (realm, username, client
 * address) in a sliding window; after {@linkcode DEFAULT_LOGIN_MAX_FAILURES} failures within
 * {@linkcode DEFAULT_LOGIN_WINDOW_SECONDS}, further attempts — right or wrong — are answered 429
 * until the oldest failure leaves the window. A successful login clears the count. Unknown
 * usernames are counted exactly like known ones, so the limit reveals nothing either.
 *
 * The counts live in this process's memory, bounded to {@linkcode DEFAULT_LOGIN_MAX_KEYS} keys. A
 * locked key (one with `maxFailures` failures in the window) is never dropped, since dropping it
 * would let a flood of other keys reset a victim's lock. When the table is full, the unlocked key
 * whose last failure is oldest is dropped; when only locked keys remain, a key that is not tracked
 * yet is refused ({@linkcode LoginThrottle.retryAfter} answers the seconds until the first lock
 * ends) rather than tried without being counted.
 *
 * @module
 */

import { DEFAULT_LOGIN_MAX_FAILURES, DEFAULT_LOGIN_WINDOW_SECONDS } from "../login_failures.ts";

/** Most keys tracked at once. */
export const DEFAULT_LOGIN_MAX_KEYS = 50_000;

/** Options of {@linkcode LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures allowed per key within the window. */
  maxFailures?: number;
  /** The window in seconds. */
  windowSeconds?: number;
  /** Most keys tracked. */
  maxKeys?: number;
}

/**
 * Counts failed logins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LoginThrottle } from "./_login_throttle.ts";
 * const throttle = new LoginThrottle({ maxFailures: 2, windowSeconds: 60 });
 * throttle.fail("k", 0);
 * throttle.fail("k", 1);
 * assert.equal(throttle.retryAfter("k", 2), 58);
 * assert.equal(throttle.retryAfter("k", 61), 0);
 * ```
 */
export class LoginThrottle {
  /** Unlocked keys → failure times in seconds, oldest first; Map order = order of last failure. */
  readonly #counting = new Map<string, number[]>();
  /** Locked keys → failure times; never evicted while locked. */
  readonly #locked = new Map<string, number[]>();
  readonly #maxFailures: number;
  readonly #windowSeconds: number;
  readonly #maxKeys: number;
  #lastSweep = Number.NEGATIVE_INFINITY;
  /** When the table was last found full of locked keys: the end of the earliest lock. */
  #fullUntil = Number.NEGATIVE_INFINITY;

  /**
   * Creates a throttle.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * const throttle = new LoginThrottle();
   * assert.equal(throttle.retryAfter("anyone", 0), 0);
   * ```
   */
  constructor(options: LoginThrottleOptions = {}) {
    this.#maxFailures = positive(options.maxFailures ?? DEFAULT_LOGIN_MAX_FAILURES, "maxFailures");
    this.#windowSeconds = positive(
      options.windowSeconds ?? DEFAULT_LOGIN_WINDOW_SECONDS,
      "windowSeconds",
    );
    this.#maxKeys = positive(options.maxKeys ?? DEFAULT_LOGIN_MAX_KEYS, "maxKeys");
  }

  /**
   * Seconds until `key` may try again (0 when it may try now). A key that is not tracked while
   * the table is full of locked keys must wait too.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * assert.equal(new LoginThrottle().retryAfter("k", 100), 0);
   * ```
   */
  retryAfter(key: string, nowSeconds: number): number {
    const times = this.#locked.get(key) ?? this.#counting.get(key);
    if (times === undefined) return this.#hasRoom(nowSeconds) ? 0 : this.#fullWait(nowSeconds);
    const recent = times.filter((time) => time > nowSeconds - this.#windowSeconds);
    if (recent.length < this.#maxFailures) return 0;
    return this.#lockEnd(recent, nowSeconds);
  }

  /**
   * Counts a failure for `key` at `nowSeconds`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * const throttle = new LoginThrottle({ maxFailures: 1 });
   * throttle.fail("k", 0);
   * assert.equal(throttle.retryAfter("k", 0) > 0, true);
   * ```
   */
  fail(key: string, nowSeconds: number): void {
    const known = this.#locked.get(key) ?? this.#counting.get(key);
    if (known === undefined && !this.#roomFor(nowSeconds)) return;
    const recent = (known ?? []).filter((time) => time > nowSeconds - this.#windowSeconds);
    recent.push(nowSeconds);
    if (recent.length > this.#maxFailures) recent.splice(0, recent.length - this.#maxFailures);
    this.#counting.delete(key);
    this.#locked.delete(key);
    if (recent.length >= this.#maxFailures) this.#locked.set(key, recent);
    else this.#counting.set(key, recent);
  }

  /**
   * Clears `key` after a successful login.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * const throttle = new LoginThrottle({ maxFailures: 1 });
   * throttle.fail("k", 0);
   * throttle.succeed("k");
   * assert.equal(throttle.retryAfter("k", 0), 0);
   * ```
   */
  succeed(key: string): void {
    this.#counting.delete(key);
    this.#locked.delete(key);
  }

  /**
   * Forgets the keys with no failure left in the window at `nowSeconds`; returns how many.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * const throttle = new LoginThrottle({ windowSeconds: 60 });
   * throttle.fail("k", 0);
   * assert.equal(throttle.deleteExpired(59), 0);
   * assert.equal(throttle.deleteExpired(60), 1);
   * ```
   */
  deleteExpired(nowSeconds: number): number {
    let dropped = 0;
    for (const table of [this.#counting, this.#locked]) {
      for (const [key, times] of table) {
        if (times.every((time) => time <= nowSeconds - this.#windowSeconds)) {
          table.delete(key);
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** Whether a new key could be tracked (an unlocked key can make room for it). */
  #hasRoom(nowSeconds: number): boolean {
    if (this.#counting.size + this.#locked.size < this.#maxKeys) return true;
    if (this.#counting.size === 0 && nowSeconds > this.#lastSweep) this.#sweepLocks(nowSeconds);
    return this.#counting.size > 0;
  }

  /** Makes room for a new key: evicts the unlocked key whose last failure is oldest. */
  #roomFor(nowSeconds: number): boolean {
    if (!this.#hasRoom(nowSeconds)) return false;
    if (this.#counting.size + this.#locked.size < this.#maxKeys) return true;
    this.#counting.delete(this.#counting.keys().next().value!);
    return true;
  }

  /** Moves keys whose lock has ended back to the counting table (at most once a second). */
  #sweepLocks(nowSeconds: number): void {
    this.#lastSweep = nowSeconds;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, times] of this.#locked) {
      const recent = times.filter((time) => time > nowSeconds - this.#windowSeconds);
      if (recent.length < this.#maxFailures) {
        this.#locked.delete(key);
        this.#counting.set(key, recent);
      } else {
        earliest = Math.min(earliest, nowSeconds + this.#lockEnd(recent, nowSeconds));
      }
    }
    this.#fullUntil = earliest;
  }

  #fullWait(nowSeconds: number): number {
    return Math.max(1, Math.ceil(this.#fullUntil - nowSeconds));
  }

  #lockEnd(recent: number[], nowSeconds: number): number {
    const oldest = recent[recent.length - this.#maxFailures]!;
    return Math.max(1, Math.ceil(oldest + this.#windowSeconds - nowSeconds));
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
