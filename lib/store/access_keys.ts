/**
 * Encrypted access keys (EAKs): a record type's key, encrypted for one reader.
 *
 * @module
 */
import type { GrantKey } from "./grant_key.ts";

/** An encrypted access key and the client that put it. */
export interface AccessKeyRow extends GrantKey {
  /** `ct.nonce`, opaque to the server. */
  eak: string;
  /** The client that put (and encrypted) it. */
  authorizerId: string;
  /** When it was put. */
  created: number;
}

/**
 * The access key methods of a store (`store.accessKeys`).
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
 * await store.accessKeys.put({ ...key, eak: "ct.nonce", authorizerId: writerId, created: 2 });
 * assert.equal((await store.accessKeys.get(key))?.eak, "ct.nonce");
 * assert.equal(await store.accessKeys.delete(key), true);
 * assert.equal(await store.accessKeys.delete(key), false);
 * assert.equal(await store.accessKeys.deleteByClient(writerId), 0);
 * await store.close();
 * ```
 */
export interface AccessKeyStore {
  /** Inserts or replaces the EAK at its key. */
  put(accessKey: AccessKeyRow): Promise<void>;
  /** The EAK at this key, or `undefined`. */
  get(key: GrantKey): Promise<AccessKeyRow | undefined>;
  /** Deletes the EAK at this key; false when there was none. */
  delete(key: GrantKey): Promise<boolean>;
  /** Deletes every EAK the client writes, reads or authorized; returns how many. */
  deleteByClient(clientId: string): Promise<number>;
}
