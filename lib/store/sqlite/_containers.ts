/**
 * The SQLite {@linkcode ContainerStore}: `containers`, `container_access` and
 * `container_uploads`, and the SQLite side of the containers migration (events included, in
 * `_events.ts`).
 *
 * @module
 */
import type {
  ContainerAccessRow,
  ContainerRow,
  ContainerStore,
  ContainerUploadRow,
  ContainerUploadState,
  ReachableQuery,
} from "../containers.ts";
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
import type { SqliteSession, SqlParam } from "./_session.ts";
import { EVENTS_MIGRATION_SQL } from "./_events.ts";

/** The migration that adds containers, their access entries and uploads, and events. */
export const CONTAINERS_MIGRATION_SQL = `
CREATE TABLE containers (
  container_id TEXT PRIMARY KEY,
  type TEXT,
  version INTEGER NOT NULL,
  created INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  modified INTEGER NOT NULL,
  modified_by TEXT NOT NULL,
  length INTEGER NOT NULL,
  content_size INTEGER NOT NULL,
  header TEXT,
  inline_content TEXT,
  blob_key TEXT
) STRICT;

CREATE TABLE container_access (
  container_id TEXT NOT NULL REFERENCES containers(container_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  permissions INTEGER NOT NULL,
  expiration INTEGER,
  granted_by TEXT NOT NULL,
  key_blob TEXT,
  PRIMARY KEY (container_id, user_id)
) STRICT;
CREATE INDEX container_access_user ON container_access(user_id, container_id);
CREATE INDEX container_access_expiration ON container_access(expiration)
  WHERE expiration IS NOT NULL;

CREATE TABLE container_uploads (
  container_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  writer_id TEXT NOT NULL,
  blob_key TEXT NOT NULL UNIQUE,
  content_size INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'uploading')),
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  change TEXT NOT NULL,
  PRIMARY KEY (container_id, version)
) STRICT;
CREATE INDEX container_uploads_expires ON container_uploads(expires);
CREATE INDEX container_uploads_writer ON container_uploads(writer_id);
${EVENTS_MIGRATION_SQL}`;

/**
 * Containers, access entries and uploads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteContainers } from "./_containers.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.containers instanceof SqliteContainers);
 * await store.close();
 * ```
 */
export class SqliteContainers implements ContainerStore {
  readonly #sql: SqliteSession;

  /** The containers of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** One container. */
  get(containerId: string): Promise<ContainerRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM containers WHERE container_id = ?", containerId);
      return row && toContainer(row);
    });
  }

  /** Adds a container. */
  create(row: ContainerRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        `INSERT INTO containers (${CONTAINER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...containerParams(row),
      );
    });
  }

  /** Replaces a container's fields. */
  update(row: ContainerRow): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        `UPDATE containers SET type = ?, version = ?, modified = ?, modified_by = ?, length = ?,
           content_size = ?, header = ?, inline_content = ?, blob_key = ?
         WHERE container_id = ?`,
        ...containerUpdateParams(row),
      ) > 0
    );
  }

  /** Removes a container with its access entries and uploads. */
  delete(containerId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.atomic(() => {
        this.#sql.run("DELETE FROM container_uploads WHERE container_id = ?", containerId);
        return this.#sql.run("DELETE FROM containers WHERE container_id = ?", containerId) > 0;
      })
    );
  }

  /** A container's access entries. */
  listAccess(containerId: string): Promise<ContainerAccessRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        "SELECT * FROM container_access WHERE container_id = ? ORDER BY user_id",
        containerId,
      ).map(toAccess)
    );
  }

  /** One user's access entry. */
  getAccess(containerId: string, userId: string): Promise<ContainerAccessRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM container_access WHERE container_id = ? AND user_id = ?",
        containerId,
        userId,
      );
      return row && toAccess(row);
    });
  }

  /** Replaces the access list. */
  replaceAccess(containerId: string, rows: ContainerAccessRow[]): Promise<void> {
    return this.#sql.exec(() =>
      this.#sql.atomic(() => {
        this.#sql.run("DELETE FROM container_access WHERE container_id = ?", containerId);
        for (const row of rows) {
          this.#sql.run(
            `INSERT INTO container_access (container_id, user_id, permissions, expiration,
               granted_by, key_blob) VALUES (?, ?, ?, ?, ?, ?)`,
            ...accessParams(containerId, row),
          );
        }
      })
    );
  }

  /** Removes one access entry. */
  deleteAccess(containerId: string, userId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "DELETE FROM container_access WHERE container_id = ? AND user_id = ?",
        containerId,
        userId,
      ) > 0
    );
  }

  /** Every access entry of a user. */
  listAccessOfUser(userId: string): Promise<ContainerAccessRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        "SELECT * FROM container_access WHERE user_id = ? ORDER BY container_id",
        userId,
      ).map(toAccess)
    );
  }

  /** Expired entries, soonest first. */
  listExpiredAccess(now: number, limit: number): Promise<ContainerAccessRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        `SELECT * FROM container_access WHERE expiration IS NOT NULL AND expiration <= ?
         ORDER BY expiration, container_id, user_id LIMIT ?`,
        now,
        limit,
      ).map(toAccess)
    );
  }

  /** One page of the containers a user can reach. */
  listReachable(query: ReachableQuery): Promise<ContainerRow[]> {
    const params: SqlParam[] = [query.userId, query.now, query.after ?? ""];
    let sql = `SELECT c.* FROM container_access a JOIN containers c USING (container_id)
      WHERE a.user_id = ? AND (a.expiration IS NULL OR a.expiration > ?) AND c.container_id > ?`;
    if (query.type !== undefined) {
      sql += " AND c.type = ?";
      params.push(query.type);
    }
    sql += " ORDER BY c.container_id LIMIT ?";
    params.push(query.limit);
    return this.#sql.exec(() => this.#sql.all(sql, ...params).map(toContainer));
  }

  /** Adds an upload. */
  createUpload(row: ContainerUploadRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        `INSERT INTO container_uploads (container_id, version, writer_id, blob_key, content_size,
           state, created, expires, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...uploadParams(row),
      );
    });
  }

  /** One upload. */
  getUpload(containerId: string, version: number): Promise<ContainerUploadRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get(
        "SELECT * FROM container_uploads WHERE container_id = ? AND version = ?",
        containerId,
        version,
      );
      return row && toUpload(row);
    });
  }

  /** Moves an upload between states. */
  setUploadState(
    containerId: string,
    version: number,
    from: ContainerUploadState,
    to: ContainerUploadState,
  ): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        `UPDATE container_uploads SET state = ?
         WHERE container_id = ? AND version = ? AND state = ?`,
        to,
        containerId,
        version,
        from,
      ) > 0
    );
  }

  /** Removes an upload. */
  deleteUpload(containerId: string, version: number): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "DELETE FROM container_uploads WHERE container_id = ? AND version = ?",
        containerId,
        version,
      ) > 0
    );
  }

  /** Expired uploads. */
  listExpiredUploads(now: number, limit: number): Promise<ContainerUploadRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        "SELECT * FROM container_uploads WHERE expires <= ? ORDER BY expires LIMIT ?",
        now,
        limit,
      ).map(toUpload)
    );
  }

  /** A client's uploads. */
  listUploadsByWriter(writerId: string): Promise<ContainerUploadRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all(
        "SELECT * FROM container_uploads WHERE writer_id = ? ORDER BY container_id, version",
        writerId,
      ).map(toUpload)
    );
  }
}
