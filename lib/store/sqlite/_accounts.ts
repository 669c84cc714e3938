/**
 * The SQLite {@linkcode AccountStore}.
 *
 * @module
 */
import type { AccountRow, AccountStore } from "../accounts.ts";
import type { SqliteSession } from "./_session.ts";
import { toAccount } from "../_account_rows.ts";

/**
 * Accounts in the `accounts` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteAccounts } from "./_accounts.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.accounts instanceof SqliteAccounts);
 * await store.close();
 * ```
 */
export class SqliteAccounts implements AccountStore {
  readonly #sql: SqliteSession;

  /** The accounts of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds an account (its id must be new). */
  create(account: AccountRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO accounts (account_id, name, created) VALUES (?, ?, ?)",
        account.accountId,
        account.name,
        account.created,
      );
    });
  }

  /** One account, or `undefined`. */
  get(accountId: string): Promise<AccountRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM accounts WHERE account_id = ?", accountId);
      return row && toAccount(row);
    });
  }

  /** All accounts, oldest first. */
  list(): Promise<AccountRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT * FROM accounts ORDER BY created, account_id").map(toAccount)
    );
  }
}
