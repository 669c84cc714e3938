/**
 * The SQLite {@linkcode LoginFailureStore}: the failures live in the store's memory
 * (`_login_throttle.ts`, one table per rule), which is correct because the SQLite store is the
 * only process on its database (the file lock).
 *
 * @module
 */
import {
  DEFAULT_LOGIN_FAILURE_RULE,
  type LoginFailureRule,
  type LoginFailureStore,
} from "../login_failures.ts";
import { LoginThrottle } from "./_login_throttle.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * Login failures in the connection's {@linkcode LoginThrottle}s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteLoginFailures } from "./_login_failures.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.loginFailures instanceof SqliteLoginFailures);
 * await store.close();
 * ```
 */
export class SqliteLoginFailures implements LoginFailureStore {
  readonly #throttles: Map<string, LoginThrottle>;

  /** The login failures of the session's store. */
  constructor(session: SqliteSession) {
    this.#throttles = session.connection.loginThrottles;
  }

  /** Seconds until `key` may try again. */
  retryAfter(
    key: string,
    now: number,
    rule: LoginFailureRule = DEFAULT_LOGIN_FAILURE_RULE,
  ): Promise<number> {
    return attempt(() => this.#throttle(rule).retryAfter(key, now));
  }

  /** Counts a failure. */
  fail(
    key: string,
    now: number,
    rule: LoginFailureRule = DEFAULT_LOGIN_FAILURE_RULE,
  ): Promise<void> {
    return attempt(() => this.#throttle(rule).fail(key, now));
  }

  /** Forgets the failures of `key`. */
  succeed(key: string): Promise<void> {
    for (const throttle of this.#throttles.values()) throttle.succeed(key);
    return Promise.resolve();
  }

  /** Forgets keys whose failures all left the window. */
  deleteExpired(now: number): Promise<number> {
    let dropped = 0;
    for (const throttle of this.#throttles.values()) dropped += throttle.deleteExpired(now);
    return Promise.resolve(dropped);
  }

  #throttle(rule: LoginFailureRule): LoginThrottle {
    const name = `${rule.maxFailures}/${rule.windowSeconds}`;
    let throttle = this.#throttles.get(name);
    if (throttle === undefined) {
      throttle = new LoginThrottle(rule);
      this.#throttles.set(name, throttle);
    }
    return throttle;
  }
}

function attempt<T>(job: () => T): Promise<T> {
  try {
    return Promise.resolve(job());
  } catch (error) {
    return Promise.reject(error);
  }
}
