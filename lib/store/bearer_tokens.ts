/**
 * Bearer tokens issued by `/v1/auth/token`. Only the SHA-256 digest of a token is stored.
 *
 * @module
 */

/** A bearer token, stored hashed. */
export interface BearerTokenRow {
  /** SHA-256 hex of the token text. */
  tokenHash: string;
  /** The client it authenticates. */
  clientId: string;
  /** Expiry time. */
  expires: number;
}

/**
 * The bearer token methods of a store (`store.bearerTokens`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * const clientId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * await store.clients.create({
 *   clientId, accountId, name: "laptop", publicKeyType: "curve25519", publicKey: "pk",
 *   signingKeyType: null, signingKey: null, apiKeyId: "a1", apiSecretHash: "h",
 *   backupClientId: clientId, backedUp: null, created: 1,
 * });
 * await store.bearerTokens.create({ tokenHash: "t1", clientId, expires: 100 });
 * assert.equal((await store.bearerTokens.find("t1"))?.clientId, clientId);
 * assert.equal(await store.bearerTokens.deleteExpired(100), 1);
 * assert.equal(await store.bearerTokens.find("t1"), undefined);
 * await store.bearerTokens.create({ tokenHash: "t2", clientId, expires: 200 });
 * assert.equal(await store.bearerTokens.deleteByClient(clientId), 1);
 * await store.close();
 * ```
 */
export interface BearerTokenStore {
  /** Adds a token. */
  create(token: BearerTokenRow): Promise<void>;
  /** The token with this hash (expired or not), or `undefined`. */
  find(tokenHash: string): Promise<BearerTokenRow | undefined>;
  /** Deletes tokens with `expires <= nowMicros`; returns how many. */
  deleteExpired(nowMicros: number): Promise<number>;
  /** Deletes every token of the client; returns how many. */
  deleteByClient(clientId: string): Promise<number>;
}
