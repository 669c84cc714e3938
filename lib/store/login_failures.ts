/**
 * Failed login attempts (`store.loginFailures`), counted per key (e.g. realm, username and
 * client address) in a sliding window. Kept in the store so that every server instance of one
 * database counts the same failures: a guesser spreading attempts over instances meets one limit.
 *
 * @module
 */

/** How many failures lock a key, and for how long they count. */
export interface LoginFailureRule {
  /** Failures allowed within the window; the next attempt waits. */
  maxFailures: number;
  /** The window in seconds. */
  windowSeconds: number;
}

/**
 * The login failure methods of a store (`store.loginFailures`). Times are Unix seconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const rule = { maxFailures: 2, windowSeconds: 60 };
 * await store.loginFailures.fail("k", 0, rule);
 * await store.loginFailures.fail("k", 1, rule);
 * assert.equal(await store.loginFailures.retryAfter("k", 2, rule), 58);
 * assert.equal(await store.loginFailures.retryAfter("k", 61, rule), 0); // the first one left
 * await store.loginFailures.succeed("k");
 * assert.equal(await store.loginFailures.retryAfter("k", 2, rule), 0);
 * await store.close();
 * ```
 */
export interface LoginFailureStore {
  /**
   * Seconds until `key` may try again under `rule` (0 when it may try now): when `maxFailures`
   * failures lie within the window, until the oldest of them leaves it. A backend with bounded
   * memory may also make a new key wait while it has no room to count it.
   */
  retryAfter(key: string, now: number, rule?: LoginFailureRule): Promise<number>;
  /** Counts a failure of `key` at `now`. */
  fail(key: string, now: number, rule?: LoginFailureRule): Promise<void>;
  /** Forgets the failures of `key` (after a successful login). */
  succeed(key: string): Promise<void>;
  /** Forgets failures that left every window by `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** Failures allowed per key within the window. */
export const DEFAULT_LOGIN_MAX_FAILURES = 5;
/** The window, in seconds (15 minutes). */
export const DEFAULT_LOGIN_WINDOW_SECONDS = 15 * 60;

/** The default rule: 5 failures in 15 minutes. */
export const DEFAULT_LOGIN_FAILURE_RULE: LoginFailureRule = Object.freeze({
  maxFailures: DEFAULT_LOGIN_MAX_FAILURES,
  windowSeconds: DEFAULT_LOGIN_WINDOW_SECONDS,
});
