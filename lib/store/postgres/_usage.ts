/**
 * The PostgreSQL {@linkcode UsageStore}, and `addUsage`, which the record and file writes call
 * in their transaction. The counter moves in one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`,
 * which locks the client's row and checks the quota against its latest committed value, so
 * concurrent writes on several instances never pass the quota together.
 *
 * @module
 */
import { QuotaExceededError, type QuotaLimit, type UsageStore } from "../usage.ts";
import type { PostgresSession } from "./_session.ts";

/**
 * Migration 6: the stored bytes of each record and the usage per client. (No PostgreSQL
 * database predates it, so unlike SQLite's it has nothing to backfill.)
 */
export const USAGE_MIGRATION_SQL_POSTGRES = `
ALTER TABLE records ADD COLUMN stored_bytes bigint NOT NULL DEFAULT 0;
CREATE TABLE client_usage (
  client_id text PRIMARY KEY,
  bytes bigint NOT NULL CHECK (bytes >= 0)
);
`;

/**
 * The usage upsert of the client in parameter `client` by `delta` bytes within quota `quota`
 * (`NULL`: none), selecting its row `from` a table or CTE (a statement that must take another
 * lock first names it here). It changes no row when the quota refuses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addUsageSql } from "./_usage.ts";
 * assert.match(addUsageSql("$2", "$10", "$11", " FROM stamp"), /SELECT \$2::text, .* FROM stamp/);
 * ```
 */
export function addUsageSql(client = "$1", delta = "$2", quota = "$3", from = ""): string {
  return "INSERT INTO client_usage AS u (client_id, bytes)" +
    ` SELECT ${client}::text, GREATEST(${delta}::bigint, 0)${from}` +
    ` WHERE ${quota}::bigint IS NULL OR ${delta}::bigint <= ${quota}::bigint` +
    ` ON CONFLICT (client_id) DO UPDATE SET bytes = GREATEST(u.bytes + ${delta}::bigint, 0)` +
    ` WHERE ${quota}::bigint IS NULL OR ${delta}::bigint <= 0` +
    ` OR u.bytes + ${delta}::bigint <= ${quota}::bigint`;
}

const ADD_USAGE_SQL = addUsageSql();

/**
 * `limit` as the quota parameter of {@linkcode addUsageSql}: `null` when unlimited.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quotaParam } from "./_usage.ts";
 * assert.equal(quotaParam({ quotaBytes: 0 }), null);
 * assert.equal(quotaParam({ quotaBytes: 10 }), 10);
 * ```
 */
export function quotaParam(limit: QuotaLimit): number | null {
  return limit.quotaBytes === undefined || limit.quotaBytes === 0 ? null : limit.quotaBytes;
}

/**
 * The error of a write the quota refused: the client's usage read now (outside the refused
 * write's transaction).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * throw await quotaExceeded(session, writerId, 1000, 120);
 * ```
 */
export async function quotaExceeded(
  sql: PostgresSession,
  clientId: string,
  quota: number,
  deltaBytes: number,
): Promise<QuotaExceededError> {
  const row = await sql.row("SELECT bytes FROM client_usage WHERE client_id = $1", clientId);
  return new QuotaExceededError(quota, Number(row?.bytes ?? 0), deltaBytes);
}

/**
 * Adds `deltaBytes` (negative frees) to the client's usage, in `sql`'s transaction; throws
 * `QuotaExceededError` when a growth would pass `limit.quotaBytes` (0 or none: unlimited).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL transaction (see _records.ts).
 * await addUsage(session, writerId, 120, { quotaBytes: 1000 });
 * ```
 */
export async function addUsage(
  sql: PostgresSession,
  clientId: string,
  deltaBytes: number,
  limit: QuotaLimit = {},
): Promise<void> {
  if (deltaBytes === 0) return;
  const quota = quotaParam(limit);
  if (await sql.run(ADD_USAGE_SQL, clientId, deltaBytes, quota) === 0) {
    throw await quotaExceeded(sql, clientId, quota!, deltaBytes);
  }
}

/**
 * The storage usage of a PostgreSQL store.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.usage.bytes(crypto.randomUUID()), 0);
 * ```
 */
export class PostgresUsage implements UsageStore {
  readonly #sql: PostgresSession;

  /** The usage of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The bytes a client uses. */
  async bytes(clientId: string): Promise<number> {
    const row = await this.#sql.row(
      "SELECT bytes FROM client_usage WHERE client_id = $1",
      clientId,
    );
    return Number(row?.bytes ?? 0);
  }

  /** Drops a client's usage row. */
  async forget(clientId: string): Promise<boolean> {
    return await this.#sql.run("DELETE FROM client_usage WHERE client_id = $1", clientId) === 1;
  }
}
