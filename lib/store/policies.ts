/**
 * Sharing policies: what a reader may do with a writer's records of one type.
 *
 * @module
 */
import type { GrantKey } from "./grant_key.ts";

/** A sharing policy: what `readerId` may do with `writerId`'s records of `type`. */
export interface PolicyRow extends GrantKey {
  /** May read the records. */
  canRead: boolean;
  /** May share and revoke read on the writer's behalf. */
  canAuthorize: boolean;
  /** May edit (stored for E3DB compatibility; not enforced yet). */
  canEdit: boolean;
  /** The client whose PUT last changed this policy. */
  authorizedBy: string;
  /** When it last changed. */
  updated: number;
}

/** Which policies to list; every given field must match. */
export interface PolicyFilter {
  /** Only this writer's policies. */
  writerId?: string;
  /** Only policies for this reader. */
  readerId?: string;
  /** Only policies with this read flag. */
  canRead?: boolean;
  /** Only policies with this authorizer flag. */
  canAuthorize?: boolean;
}

/**
 * The policy methods of a store (`store.policies`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * const writerId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * await store.clients.create({
 *   clientId: writerId, accountId, name: "laptop", publicKeyType: "curve25519",
 *   publicKey: "pk", signingKeyType: null, signingKey: null, apiKeyId: "a1",
 *   apiSecretHash: "h", backupClientId: writerId, backedUp: null, created: 1,
 * });
 * const key = { writerId, userId: writerId, readerId: writerId, type: "note" };
 * await store.policies.put({
 *   ...key, canRead: true, canAuthorize: true, canEdit: false, authorizedBy: writerId, updated: 2,
 * });
 * assert.equal((await store.policies.get(key))?.canRead, true);
 * assert.equal(await store.policies.removeAuthorizer(writerId, writerId, writerId), 1);
 * assert.deepEqual(await store.policies.list({ canAuthorize: true }), []);
 * assert.equal(await store.policies.deleteByClient(writerId), 1);
 * await store.close();
 * ```
 */
export interface PolicyStore {
  /** The policy at this key, or `undefined`. */
  get(key: GrantKey): Promise<PolicyRow | undefined>;
  /** Inserts or replaces the policy at its key. */
  put(policy: PolicyRow): Promise<void>;
  /** Clears `canAuthorize` on every type for (user, writer, reader); returns rows changed. */
  removeAuthorizer(userId: string, writerId: string, readerId: string): Promise<number>;
  /** Policies matching the filter, ordered by writer, reader, type. */
  list(filter: PolicyFilter): Promise<PolicyRow[]>;
  /** Deletes every policy where the client is the writer or the reader; returns how many. */
  deleteByClient(clientId: string): Promise<number>;
}
