/**
 * The PostgreSQL {@linkcode PolicyStore}.
 *
 * @module
 */
import type { GrantKey } from "../grant_key.ts";
import type { PolicyFilter, PolicyRow, PolicyStore } from "../policies.ts";
import type { PgParam, PostgresSession } from "./_session.ts";
import { policyParams, toPolicy } from "../_policy_rows.ts";
import { POSTGRES_FLAG } from "../_stored_flag.ts";

/**
 * Sharing policies in the `policies` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.deepEqual(await store.policies.list({}), []);
 * ```
 */
export class PostgresPolicies implements PolicyStore {
  readonly #sql: PostgresSession;

  /** The policies of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The policy at `key`, or `undefined`. */
  async get(key: GrantKey): Promise<PolicyRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM policies WHERE user_id = $1 AND writer_id = $2 AND reader_id = $3" +
        " AND type = $4",
      key.userId,
      key.writerId,
      key.readerId,
      key.type,
    );
    return row && toPolicy(row, POSTGRES_FLAG);
  }

  /** Adds or replaces the policy at its grant key. */
  async put(policy: PolicyRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO policies (user_id, writer_id, reader_id, type, can_read, can_authorize," +
        " can_edit, authorized_by, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)" +
        " ON CONFLICT (user_id, writer_id, reader_id, type) DO UPDATE SET" +
        " can_read = excluded.can_read, can_authorize = excluded.can_authorize," +
        " can_edit = excluded.can_edit, authorized_by = excluded.authorized_by," +
        " updated = excluded.updated",
      ...policyParams(policy, POSTGRES_FLAG),
    );
  }

  /** Clears `can_authorize` on the reader's policies for the writer's user; returns how many. */
  removeAuthorizer(userId: string, writerId: string, readerId: string): Promise<number> {
    return this.#sql.run(
      "UPDATE policies SET can_authorize = false WHERE user_id = $1 AND writer_id = $2" +
        " AND reader_id = $3 AND can_authorize",
      userId,
      writerId,
      readerId,
    );
  }

  /** The policies matching `filter`, by writer, reader and type. */
  async list(filter: PolicyFilter): Promise<PolicyRow[]> {
    const where: string[] = [];
    const params: PgParam[] = [];
    const add = (column: string, value: PgParam | undefined): void => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add("writer_id", filter.writerId);
    add("reader_id", filter.readerId);
    add("can_read", filter.canRead);
    add("can_authorize", filter.canAuthorize);
    const clause = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
    return (await this.#sql.rows(
      `SELECT * FROM policies${clause} ORDER BY writer_id COLLATE "C", reader_id COLLATE "C", type COLLATE "C"`,
      ...params,
    )).map((row) => toPolicy(row, POSTGRES_FLAG));
  }

  /** Deletes every policy the client writes or reads; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.run(
      "DELETE FROM policies WHERE writer_id = $1 OR reader_id = $1",
      clientId,
    );
  }
}
