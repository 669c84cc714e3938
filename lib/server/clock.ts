/**
 * The server's clock: integer microseconds since the Unix epoch. Tests pass a fake one.
 *
 * @module
 */

/** Returns the current time in whole microseconds since the epoch. */
export type Clock = () => number;

/**
 * The system clock with microsecond resolution (from `performance`, which Deno and browsers
 * provide at sub-millisecond precision).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { systemClock } from "./clock.ts";
 * assert.equal(Number.isSafeInteger(systemClock()), true);
 * ```
 */
export function systemClock(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
