/**
 * Rate limiting of failed identity logins. Failures are counted per (realm, username, client
 * address) in a sliding window; after {@linkcode DEFAULT_LOGIN_MAX_FAILURES} failures within
 * {@linkcode DEFAULT_LOGIN_WINDOW_SECONDS}, further attempts — right or wrong — are answered 429
 * until the oldest failure leaves the window. A successful login clears the count. Unknown
 * usernames are counted exactly like known ones, so the limit reveals nothing either.
 *
 * The counts live in this process's memory, bounded to {@linkcode DEFAULT_LOGIN_MAX_KEYS} keys
 * (the keys with the oldest last failure are dropped first when full).
 *
 * @module
 */

/** Failures allowed per key within the window. */
export const DEFAULT_LOGIN_MAX_FAILURES = 5;
/** The window, in seconds (15 minutes). */
export const DEFAULT_LOGIN_WINDOW_SECONDS = 15 * 60;
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
  /** Key → failure times in seconds, oldest first. */
  readonly #failures = new Map<string, number[]>();
  readonly #maxFailures: number;
  readonly #windowSeconds: number;
  readonly #maxKeys: number;

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
   * Seconds until `key` may try again (0 when it may try now).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LoginThrottle } from "./_login_throttle.ts";
   * assert.equal(new LoginThrottle().retryAfter("k", 100), 0);
   * ```
   */
  retryAfter(key: string, nowSeconds: number): number {
    const recent = this.#recent(key, nowSeconds);
    if (recent.length < this.#maxFailures) return 0;
    const oldest = recent[recent.length - this.#maxFailures]!;
    return Math.max(1, Math.ceil(oldest + this.#windowSeconds - nowSeconds));
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
    const recent = this.#recent(key, nowSeconds);
    recent.push(nowSeconds);
    if (recent.length > this.#maxFailures) recent.splice(0, recent.length - this.#maxFailures);
    // Re-insert so the Map's order is the order of last failure.
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    while (this.#failures.size > this.#maxKeys) {
      const oldestKey = this.#failures.keys().next().value as string;
      this.#failures.delete(oldestKey);
    }
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
    this.#failures.delete(key);
  }

  #recent(key: string, nowSeconds: number): number[] {
    const times = this.#failures.get(key) ?? [];
    return times.filter((time) => time > nowSeconds - this.#windowSeconds);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
