/**
 * The PostgreSQL {@linkcode AccountStore}.
 *
 * @module
 */
import type { AccountRow, AccountStore } from "../accounts.ts";
import type { PostgresSession } from "./_session.ts";
import { toAccount } from "../_account_rows.ts";

/**
 * Accounts in the `accounts` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * await store.accounts.create({ accountId: crypto.randomUUID(), name: "acme", created: 1 });
 * ```
 */
export class PostgresAccounts implements AccountStore {
  readonly #sql: PostgresSession;

  /** The accounts of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds an account (its id must be new). */
  async create(account: AccountRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO accounts (account_id, name, created) VALUES ($1, $2, $3)",
      account.accountId,
      account.name,
      account.created,
    );
  }

  /** One account, or `undefined`. */
  async get(accountId: string): Promise<AccountRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM accounts WHERE account_id = $1", accountId);
    return row && toAccount(row);
  }

  /** All accounts, oldest first. */
  async list(): Promise<AccountRow[]> {
    return (await this.#sql.rows('SELECT * FROM accounts ORDER BY created, account_id COLLATE "C"'))
      .map(
        toAccount,
      );
  }
}
