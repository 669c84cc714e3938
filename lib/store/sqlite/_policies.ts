/**
 * The SQLite {@linkcode PolicyStore}.
 *
 * @module
 */
import type { GrantKey } from "../grant_key.ts";
import type { PolicyFilter, PolicyRow, PolicyStore } from "../policies.ts";
import type { SqliteSession, SqlParam } from "./_session.ts";
import { policyParams, toPolicy } from "../_policy_rows.ts";
import { SQLITE_FLAG } from "../_stored_flag.ts";

/**
 * Policies in the `policies` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqlitePolicies } from "./_policies.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.policies instanceof SqlitePolicies);
 * await store.close();
 * ```
 */
export class SqlitePolicies implements PolicyStore {
  readonly #sql: SqliteSession;

  /** The policies of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** The policy at this key, or `undefined`. */
  get(key: GrantKey): Promise<PolicyRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM policies WHERE user_id = ? AND writer_id = ? AND reader_id = ? AND type = ?",
        key.userId,
        key.writerId,
        key.readerId,
        key.type,
      );
      return row && toPolicy(row, SQLITE_FLAG);
    });
  }

  /** Inserts or replaces the policy at its key. */
  put(policy: PolicyRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO policies (user_id, writer_id, reader_id, type, can_read, can_authorize," +
          " can_edit, authorized_by, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" +
          " ON CONFLICT (user_id, writer_id, reader_id, type) DO UPDATE SET" +
          " can_read = excluded.can_read, can_authorize = excluded.can_authorize," +
          " can_edit = excluded.can_edit, authorized_by = excluded.authorized_by," +
          " updated = excluded.updated",
        ...policyParams(policy, SQLITE_FLAG),
      );
    });
  }

  /** Clears `canAuthorize` on every type for (user, writer, reader); returns rows changed. */
  removeAuthorizer(userId: string, writerId: string, readerId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "UPDATE policies SET can_authorize = 0 WHERE user_id = ? AND writer_id = ?" +
          " AND reader_id = ? AND can_authorize = 1",
        userId,
        writerId,
        readerId,
      )
    );
  }

  /** Policies matching the filter, ordered by writer, reader, type. */
  list(filter: PolicyFilter): Promise<PolicyRow[]> {
    return this.#sql.exec(() => {
      const where: string[] = [];
      const params: SqlParam[] = [];
      if (filter.writerId !== undefined) {
        where.push("writer_id = ?");
        params.push(filter.writerId);
      }
      if (filter.readerId !== undefined) {
        where.push("reader_id = ?");
        params.push(filter.readerId);
      }
      if (filter.canRead !== undefined) {
        where.push("can_read = ?");
        params.push(filter.canRead ? 1 : 0);
      }
      if (filter.canAuthorize !== undefined) {
        where.push("can_authorize = ?");
        params.push(filter.canAuthorize ? 1 : 0);
      }
      const clause = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
      return this.#sql.all(
        `SELECT * FROM policies${clause} ORDER BY writer_id, reader_id, type`,
        ...params,
      ).map((row) => toPolicy(row, SQLITE_FLAG));
    });
  }

  /** Deletes every policy where the client is the writer or the reader; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM policies WHERE writer_id = ? OR reader_id = ?", clientId, clientId)
    );
  }
}
