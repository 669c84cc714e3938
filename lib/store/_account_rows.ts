/**
 * Stored account rows (column name → value, as both backends read them) as the store's row type.
 *
 * @module
 */
import type { AccountRow } from "./accounts.ts";

type Columns = Record<string, unknown>;

/** A `accounts` row as a {@linkcode AccountRow}. */
export function toAccount(row: Columns): AccountRow {
  return {
    accountId: String(row.account_id),
    name: String(row.name),
    created: Number(row.created),
  };
}
