/**
 * The SQLite {@linkcode UsageStore}: one `client_usage` row per client, changed by one statement
 * in the same atomic step as the write it accounts for ({@linkcode addUsage}). The check against
 * the quota is part of that statement, so no two writes can pass it together.
 *
 * @module
 */
import { QuotaExceededError, type QuotaLimit, type UsageStore } from "../usage.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * The SQL of the usage migration: each record's stored bytes (`records.stored_bytes`, so a
 * delete frees exactly what its write counted) and the per-client totals, filled from what is
 * stored already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { USAGE_MIGRATION_SQL } from "./_usage.ts";
 * assert.match(USAGE_MIGRATION_SQL, /CREATE TABLE client_usage /);
 * ```
 */
export const USAGE_MIGRATION_SQL = `
ALTER TABLE records ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE records SET stored_bytes =
  length(CAST(plain AS BLOB)) + length(CAST(data AS BLOB)) +
  coalesce(length(CAST(rec_sig AS BLOB)), 0) + coalesce(length(CAST(file_meta AS BLOB)), 0) +
  coalesce(json_extract(file_meta, '$.size'), 0);
CREATE TABLE client_usage (
  client_id TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL CHECK (bytes >= 0)
) STRICT;
INSERT INTO client_usage (client_id, bytes)
SELECT client_id, sum(bytes) FROM (
  SELECT writer_id AS client_id, stored_bytes AS bytes FROM records
  UNION ALL
  SELECT writer_id, size FROM pending_files WHERE state = 'uploaded' AND size IS NOT NULL
) GROUP BY client_id;
`;

const ADD_USAGE_SQL = "INSERT INTO client_usage (client_id, bytes) SELECT ?1, max(?2, 0)" +
  " WHERE ?3 IS NULL OR ?2 <= ?3" +
  " ON CONFLICT (client_id) DO UPDATE SET bytes = max(bytes + ?2, 0)" +
  " WHERE ?3 IS NULL OR ?2 <= 0 OR bytes + ?2 <= ?3";

/**
 * Adds `deltaBytes` (negative frees) to a client's usage, unless that takes it past
 * `limit.quotaBytes`: then throws {@linkcode QuotaExceededError} and changes nothing. Call it
 * inside the write's atomic step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.equal(await store.usage.bytes("c"), 0);
 * await store.close();
 * ```
 */
export function addUsage(
  sql: SqliteSession,
  clientId: string,
  deltaBytes: number,
  limit: QuotaLimit = {},
): void {
  if (deltaBytes === 0) return;
  const quota = limit.quotaBytes === undefined || limit.quotaBytes === 0 ? null : limit.quotaBytes;
  if (sql.run(ADD_USAGE_SQL, clientId, deltaBytes, quota) === 0) {
    const used = Number(
      sql.get("SELECT bytes FROM client_usage WHERE client_id = ?", clientId)?.bytes ?? 0,
    );
    throw new QuotaExceededError(quota!, used, deltaBytes);
  }
}

/**
 * Usage in the `client_usage` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteUsage } from "./_usage.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.usage instanceof SqliteUsage);
 * await store.close();
 * ```
 */
export class SqliteUsage implements UsageStore {
  readonly #sql: SqliteSession;

  /** The usage of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** The bytes a client uses. */
  bytes(clientId: string): Promise<number> {
    return this.#sql.exec(() =>
      Number(
        this.#sql.get("SELECT bytes FROM client_usage WHERE client_id = ?", clientId)?.bytes ?? 0,
      )
    );
  }

  /** Drops a client's usage row. */
  forget(clientId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM client_usage WHERE client_id = ?", clientId) === 1
    );
  }
}
