/**
 * The revocation generation (`store.revocations`): a number that moves on, in the same
 * transaction, whenever something that a server instance may have cached about a caller's
 * credentials is revoked (a client disabled, enabled again or deleted). A server reads it before
 * trusting its bearer-token cache and drops the cache when it moved, so a token revoked through
 * one instance is refused by every instance from the moment the revoking transaction commits.
 *
 * @module
 */

/**
 * The revocation methods of a store (`store.revocations`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const before = await store.revocations.generation();
 * await store.transaction((tx) => tx.revocations.bump());
 * assert.notEqual(await store.revocations.generation(), before);
 * await store.close();
 * ```
 */
export interface RevocationStore {
  /** The current generation; it changes after every committed {@linkcode bump}. */
  generation(): Promise<number>;
  /** Moves the generation on (call it in the transaction that revokes). */
  bump(): Promise<void>;
}
