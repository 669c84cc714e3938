/**
 * The key shared by access keys and policies.
 *
 * @module
 */

/**
 * The key of an access key or a policy: who wrote, about whom, for whom, which type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { GrantKey } from "./grant_key.ts";
 * const writerId = crypto.randomUUID();
 * const key: GrantKey = { writerId, userId: writerId, readerId: crypto.randomUUID(), type: "t" };
 * assert.equal(key.userId, key.writerId);
 * ```
 */
export interface GrantKey {
  /** The writer whose records it concerns. */
  writerId: string;
  /** The user (subject) of those records. */
  userId: string;
  /** The client it is for. */
  readerId: string;
  /** The record type. */
  type: string;
}
