/**
 * The throttle of key file downloads by passphrase proof (`POST /v1/arca/users/{id}/key-file`).
 * Every attempt that is let through counts, right or wrong, against its user id and against its
 * client address; once either has `limit` attempts within the window, further attempts are
 * refused (429) until the oldest of those leaves the window. Refused attempts are not counted,
 * so a flood cannot push the lock further out. The attempts live in the store, so several
 * server instances share the counts.
 *
 * @module
 */
import type { Store } from "../store/store.ts";
import {
  DEFAULT_KEY_FILE_ATTEMPT_WINDOW_SECONDS,
  DEFAULT_KEY_FILE_ATTEMPTS_PER_ADDRESS,
  DEFAULT_KEY_FILE_ATTEMPTS_PER_USER,
  type ServerSettings,
} from "./settings.ts";

const SECOND = 1_000_000;

/** The throttle's limits. */
export interface KeyFileThrottleLimits {
  /** Attempts per user id per window. */
  perUser: number;
  /** Attempts per address per window. */
  perAddress: number;
  /** The window in seconds. */
  windowSeconds: number;
}

/**
 * The limits `settings` set, defaults filled in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileThrottleLimits } from "./_key_file_throttle.ts";
 * assert.deepEqual(keyFileThrottleLimits({ keyFileAttemptsPerUser: 3 }), {
 *   perUser: 3, perAddress: 30, windowSeconds: 900,
 * });
 * ```
 */
export function keyFileThrottleLimits(settings: ServerSettings): KeyFileThrottleLimits {
  return {
    perUser: settings.keyFileAttemptsPerUser ?? DEFAULT_KEY_FILE_ATTEMPTS_PER_USER,
    perAddress: settings.keyFileAttemptsPerAddress ?? DEFAULT_KEY_FILE_ATTEMPTS_PER_ADDRESS,
    windowSeconds: settings.keyFileAttemptWindowSeconds ??
      DEFAULT_KEY_FILE_ATTEMPT_WINDOW_SECONDS,
  };
}

/**
 * Takes one attempt for `userId` from `address` at `now` (microseconds): records it and returns
 * 0, or records nothing and returns the whole seconds to wait (at least 1). Run it inside the
 * transaction that serves the attempt.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "../store/sqlite/store.ts";
 * import { takeKeyFileAttempt } from "./_key_file_throttle.ts";
 * const store = await openSqliteStore(":memory:");
 * const limits = { perUser: 1, perAddress: 5, windowSeconds: 60 };
 * const userId = crypto.randomUUID();
 * assert.equal(await takeKeyFileAttempt(store, limits, userId, "10.0.0.1", 0), 0);
 * assert.equal(await takeKeyFileAttempt(store, limits, userId, "10.0.0.2", 1_000_000), 59);
 * await store.close();
 * ```
 */
export async function takeKeyFileAttempt(
  tx: Store,
  limits: KeyFileThrottleLimits,
  userId: string,
  address: string,
  now: number,
): Promise<number> {
  const since = now - limits.windowSeconds * SECOND;
  const byUser = await tx.users.recentAttempts({ userId }, since, limits.perUser);
  const byAddress = await tx.users.recentAttempts({ address }, since, limits.perAddress);
  const wait = Math.max(
    waitFor(byUser, limits.perUser, limits.windowSeconds, now),
    waitFor(byAddress, limits.perAddress, limits.windowSeconds, now),
  );
  if (wait === 0) await tx.users.addAttempt({ userId, address, time: now });
  return wait;
}

/** Seconds until fewer than `limit` of `times` (newest first) are within the window. */
function waitFor(times: number[], limit: number, windowSeconds: number, now: number): number {
  if (times.length < limit) return 0;
  const leaving = times[limit - 1]!;
  return Math.max(1, Math.ceil((leaving + windowSeconds * SECOND - now) / SECOND));
}
