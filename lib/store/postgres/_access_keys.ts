/**
 * The PostgreSQL {@linkcode AccessKeyStore}.
 *
 * @module
 */
import type { AccessKeyRow, AccessKeyStore } from "../access_keys.ts";
import type { GrantKey } from "../grant_key.ts";
import type { PostgresSession } from "./_session.ts";
import { accessKeyParams, toAccessKey } from "../_access_key_rows.ts";

/**
 * Access keys in the `access_keys` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.accessKeys.get(key), undefined);
 * ```
 */
export class PostgresAccessKeys implements AccessKeyStore {
  readonly #sql: PostgresSession;

  /** The access keys of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds or replaces the access key at its grant key. */
  async put(accessKey: AccessKeyRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO access_keys (writer_id, user_id, reader_id, type, eak, authorizer_id, created)" +
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (writer_id, user_id, reader_id, type)" +
        " DO UPDATE SET eak = excluded.eak, authorizer_id = excluded.authorizer_id," +
        " created = excluded.created",
      ...accessKeyParams(accessKey),
    );
  }

  /** The access key at `key`, or `undefined`. */
  async get(key: GrantKey): Promise<AccessKeyRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM access_keys WHERE writer_id = $1 AND user_id = $2 AND reader_id = $3" +
        " AND type = $4",
      key.writerId,
      key.userId,
      key.readerId,
      key.type,
    );
    return row && toAccessKey(row);
  }

  /** Deletes the access key at `key`; false when there was none. */
  async delete(key: GrantKey): Promise<boolean> {
    return await this.#sql.run(
      "DELETE FROM access_keys WHERE writer_id = $1 AND user_id = $2 AND reader_id = $3" +
        " AND type = $4",
      key.writerId,
      key.userId,
      key.readerId,
      key.type,
    ) === 1;
  }

  /** Deletes every access key the client writes, reads or authorized; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.run(
      "DELETE FROM access_keys WHERE writer_id = $1 OR reader_id = $1 OR authorizer_id = $1",
      clientId,
    );
  }
}
