/**
 * The SQLite {@linkcode AccessKeyStore}.
 *
 * @module
 */
import type { AccessKeyRow, AccessKeyStore } from "../access_keys.ts";
import type { GrantKey } from "../grant_key.ts";
import type { SqliteSession } from "./_session.ts";
import { accessKeyParams, toAccessKey } from "../_access_key_rows.ts";

/**
 * Access keys in the `access_keys` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteAccessKeys } from "./_access_keys.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.accessKeys instanceof SqliteAccessKeys);
 * await store.close();
 * ```
 */
export class SqliteAccessKeys implements AccessKeyStore {
  readonly #sql: SqliteSession;

  /** The access keys of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Inserts or replaces the EAK at its key. */
  put(accessKey: AccessKeyRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO access_keys (writer_id, user_id, reader_id, type, eak, authorizer_id, created)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (writer_id, user_id, reader_id, type) DO UPDATE" +
          " SET eak = excluded.eak, authorizer_id = excluded.authorizer_id, created = excluded.created",
        ...accessKeyParams(accessKey),
      );
    });
  }

  /** The EAK at this key, or `undefined`. */
  get(key: GrantKey): Promise<AccessKeyRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM access_keys WHERE writer_id = ? AND user_id = ? AND reader_id = ? AND type = ?",
        key.writerId,
        key.userId,
        key.readerId,
        key.type,
      );
      return row && toAccessKey(row);
    });
  }

  /** Deletes the EAK at this key; false when there was none. */
  delete(key: GrantKey): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "DELETE FROM access_keys WHERE writer_id = ? AND user_id = ? AND reader_id = ? AND type = ?",
        key.writerId,
        key.userId,
        key.readerId,
        key.type,
      ) === 1
    );
  }

  /** Deletes every EAK the client writes, reads or authorized; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "DELETE FROM access_keys WHERE writer_id = ? OR reader_id = ? OR authorizer_id = ?",
        clientId,
        clientId,
        clientId,
      )
    );
  }
}
