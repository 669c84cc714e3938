/**
 * Accounts: the owners of registration tokens and of the clients registered with them.
 *
 * @module
 */

/** An account. */
export interface AccountRow {
  /** UUID. */
  accountId: string;
  /** Display name. */
  name: string;
  /** Creation time. */
  created: number;
}

/**
 * The account methods of a store (`store.accounts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const account = { accountId: crypto.randomUUID(), name: "acme", created: 1 };
 * await store.accounts.create(account);
 * assert.deepEqual(await store.accounts.get(account.accountId), account);
 * assert.equal(await store.accounts.get(crypto.randomUUID()), undefined);
 * await store.close();
 * ```
 */
export interface AccountStore {
  /** Adds an account (its id must be new). */
  create(account: AccountRow): Promise<void>;
  /** One account, or `undefined`. */
  get(accountId: string): Promise<AccountRow | undefined>;
  /** All accounts, oldest first. */
  list(): Promise<AccountRow[]>;
}
