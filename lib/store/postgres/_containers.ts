/**
 * The PostgreSQL {@linkcode ContainerStore}, and its side of the containers migration (step 10,
 * events included, in `_events.ts`).
 *
 * @module
 */
import {
  accessParams,
  CONTAINER_COLUMNS,
  containerParams,
  containerUpdateParams,
  toAccess,
  toContainer,
  toUpload,
  uploadParams,
} from "../_container_rows.ts";
import type {
  ContainerAccessRow,
  ContainerRow,
  ContainerStore,
  ContainerUploadRow,
  ContainerUploadState,
  ReachableQuery,
} from "../containers.ts";
import { EVENTS_MIGRATION_SQL_POSTGRES } from "./_events.ts";
import type { PgParam, PostgresSession } from "./_session.ts";

/** Migration 10: containers, their access entries and uploads, and events. */
export const CONTAINERS_MIGRATION_SQL_POSTGRES = `
CREATE TABLE containers (
  container_id text PRIMARY KEY,
  type text,
  version integer NOT NULL,
  created bigint NOT NULL,
  created_by text NOT NULL,
  modified bigint NOT NULL,
  modified_by text NOT NULL,
  length bigint NOT NULL,
  content_size bigint NOT NULL,
  header text,
  inline_content text,
  blob_key text
);

CREATE TABLE container_access (
  container_id text NOT NULL REFERENCES containers(container_id) ON DELETE CASCADE,
  user_id text NOT NULL,
  permissions integer NOT NULL,
  expiration bigint,
  granted_by text NOT NULL,
  key_blob text,
  PRIMARY KEY (container_id, user_id)
);
CREATE INDEX container_access_user ON container_access(user_id, container_id);
CREATE INDEX container_access_expiration ON container_access(expiration)
  WHERE expiration IS NOT NULL;

CREATE TABLE container_uploads (
  container_id text NOT NULL,
  version integer NOT NULL,
  writer_id text NOT NULL,
  blob_key text NOT NULL UNIQUE,
  content_size bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'uploading')),
  created bigint NOT NULL,
  expires bigint NOT NULL,
  change text NOT NULL,
  PRIMARY KEY (container_id, version)
);
CREATE INDEX container_uploads_expires ON container_uploads(expires);
CREATE INDEX container_uploads_writer ON container_uploads(writer_id);
${EVENTS_MIGRATION_SQL_POSTGRES}`;

/**
 * Containers in `containers`, `container_access` and `container_uploads`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.containers.get(crypto.randomUUID()), undefined);
 * ```
 */
export class PostgresContainers implements ContainerStore {
  readonly #sql: PostgresSession;

  /** The containers of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** One container. */
  async get(containerId: string): Promise<ContainerRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM containers WHERE container_id = $1",
      containerId,
    );
    return row && toContainer(row);
  }

  /** Adds a container. */
  async create(row: ContainerRow): Promise<void> {
    await this.#sql.run(
      `INSERT INTO containers (${CONTAINER_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      ...containerParams(row),
    );
  }

  /** Replaces a container's fields. */
  async update(row: ContainerRow): Promise<boolean> {
    return await this.#sql.run(
      `UPDATE containers SET type = $1, version = $2, modified = $3, modified_by = $4,
         length = $5, content_size = $6, header = $7, inline_content = $8, blob_key = $9
       WHERE container_id = $10`,
      ...containerUpdateParams(row),
    ) > 0;
  }

  /** Removes a container with its access entries and uploads. */
  delete(containerId: string): Promise<boolean> {
    return this.#sql.atomic(async (sql) => {
      await sql.run("DELETE FROM container_uploads WHERE container_id = $1", containerId);
      return await sql.run("DELETE FROM containers WHERE container_id = $1", containerId) > 0;
    });
  }

  /** A container's access entries. */
  async listAccess(containerId: string): Promise<ContainerAccessRow[]> {
    const rows = await this.#sql.rows(
      "SELECT * FROM container_access WHERE container_id = $1 ORDER BY user_id",
      containerId,
    );
    return rows.map(toAccess);
  }

  /** One user's access entry. */
  async getAccess(containerId: string, userId: string): Promise<ContainerAccessRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM container_access WHERE container_id = $1 AND user_id = $2",
      containerId,
      userId,
    );
    return row && toAccess(row);
  }

  /** Replaces the access list. */
  replaceAccess(containerId: string, rows: ContainerAccessRow[]): Promise<void> {
    return this.#sql.atomic(async (sql) => {
      await sql.run("DELETE FROM container_access WHERE container_id = $1", containerId);
      for (const row of rows) {
        await sql.run(
          `INSERT INTO container_access (container_id, user_id, permissions, expiration,
             granted_by, key_blob) VALUES ($1, $2, $3, $4, $5, $6)`,
          ...accessParams(containerId, row),
        );
      }
    });
  }

  /** Removes one access entry. */
  async deleteAccess(containerId: string, userId: string): Promise<boolean> {
    return await this.#sql.run(
      "DELETE FROM container_access WHERE container_id = $1 AND user_id = $2",
      containerId,
      userId,
    ) > 0;
  }

  /** Every access entry of a user. */
  async listAccessOfUser(userId: string): Promise<ContainerAccessRow[]> {
    const rows = await this.#sql.rows(
      "SELECT * FROM container_access WHERE user_id = $1 ORDER BY container_id",
      userId,
    );
    return rows.map(toAccess);
  }

  /** Expired entries, soonest first. */
  async listExpiredAccess(now: number, limit: number): Promise<ContainerAccessRow[]> {
    const rows = await this.#sql.rows(
      `SELECT * FROM container_access WHERE expiration IS NOT NULL AND expiration <= $1
       ORDER BY expiration, container_id, user_id LIMIT $2`,
      now,
      limit,
    );
    return rows.map(toAccess);
  }

  /** One page of the containers a user can reach. */
  async listReachable(query: ReachableQuery): Promise<ContainerRow[]> {
    const params: PgParam[] = [query.userId, query.now, query.after ?? ""];
    let sql = `SELECT c.* FROM container_access a JOIN containers c USING (container_id)
      WHERE a.user_id = $1 AND (a.expiration IS NULL OR a.expiration > $2)
        AND c.container_id > $3`;
    if (query.type !== undefined) {
      params.push(query.type);
      sql += ` AND c.type = $${params.length}`;
    }
    params.push(query.limit);
    sql += ` ORDER BY c.container_id LIMIT $${params.length}`;
    return (await this.#sql.rows(sql, ...params)).map(toContainer);
  }

  /** Adds an upload. */
  async createUpload(row: ContainerUploadRow): Promise<void> {
    await this.#sql.run(
      `INSERT INTO container_uploads (container_id, version, writer_id, blob_key, content_size,
         state, created, expires, change) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      ...uploadParams(row),
    );
  }

  /** One upload. */
  async getUpload(containerId: string, version: number): Promise<ContainerUploadRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM container_uploads WHERE container_id = $1 AND version = $2",
      containerId,
      version,
    );
    return row && toUpload(row);
  }

  /** Moves an upload between states. */
  async setUploadState(
    containerId: string,
    version: number,
    from: ContainerUploadState,
    to: ContainerUploadState,
  ): Promise<boolean> {
    return await this.#sql.run(
      `UPDATE container_uploads SET state = $1
       WHERE container_id = $2 AND version = $3 AND state = $4`,
      to,
      containerId,
      version,
      from,
    ) > 0;
  }

  /** Removes an upload. */
  async deleteUpload(containerId: string, version: number): Promise<boolean> {
    return await this.#sql.run(
      "DELETE FROM container_uploads WHERE container_id = $1 AND version = $2",
      containerId,
      version,
    ) > 0;
  }

  /** Expired uploads. */
  async listExpiredUploads(now: number, limit: number): Promise<ContainerUploadRow[]> {
    const rows = await this.#sql.rows(
      "SELECT * FROM container_uploads WHERE expires <= $1 ORDER BY expires LIMIT $2",
      now,
      limit,
    );
    return rows.map(toUpload);
  }

  /** A client's uploads. */
  async listUploadsByWriter(writerId: string): Promise<ContainerUploadRow[]> {
    const rows = await this.#sql.rows(
      "SELECT * FROM container_uploads WHERE writer_id = $1 ORDER BY container_id, version",
      writerId,
    );
    return rows.map(toUpload);
  }
}
