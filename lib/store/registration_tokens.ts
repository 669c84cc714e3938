/**
 * Registration tokens: what a client presents to register into an account. Only the SHA-256
 * digest of a token is stored.
 *
 * @module
 */

/** A registration token, stored hashed. */
export interface RegistrationTokenRow {
  /** Public id (UUID) used by the admin API; the token itself is never stored. */
  tokenId: string;
  /** SHA-256 hex of the token text. */
  tokenHash: string;
  /** The account clients registered with it join. */
  accountId: string;
  /** Label chosen by the admin. */
  name: string;
  /** One-time tokens register one client; reusable tokens any number. */
  oneTime: boolean;
  /** How many clients registered with it. */
  uses: number;
  /** Revoked tokens register nobody. */
  revoked: boolean;
  /** Creation time. */
  created: number;
}

/**
 * The registration token methods of a store (`store.registrationTokens`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * const token = {
 *   tokenId: crypto.randomUUID(), tokenHash: "ab12", accountId, name: "laptop",
 *   oneTime: true, uses: 0, revoked: false, created: 1,
 * };
 * await store.registrationTokens.create(token);
 * assert.deepEqual(await store.registrationTokens.findByHash("ab12"), token);
 * assert.equal(await store.registrationTokens.use(token.tokenId), true);
 * assert.equal(await store.registrationTokens.use(token.tokenId), false); // one-time
 * await store.close();
 * ```
 */
export interface RegistrationTokenStore {
  /** Adds a token (its hash must be unique). */
  create(token: RegistrationTokenRow): Promise<void>;
  /** The token with this hash, or `undefined`. */
  findByHash(tokenHash: string): Promise<RegistrationTokenRow | undefined>;
  /** Counts one use if the token is usable (not revoked; one-time and unused); false otherwise. */
  use(tokenId: string): Promise<boolean>;
  /** All tokens, oldest first. */
  list(): Promise<RegistrationTokenRow[]>;
  /** Marks a token revoked; false when there is no such token. */
  revoke(tokenId: string): Promise<boolean>;
}
