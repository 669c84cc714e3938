/**
 * The SQLite {@linkcode FileStore}: pending uploads, used capability tokens and the queue of
 * blob deletions.
 *
 * @module
 */
import type { FileStore, PendingFileRow, PendingFileState } from "../files.ts";
import type { QuotaLimit } from "../usage.ts";
import type { SqliteSession } from "./_session.ts";
import { addUsage } from "./_usage.ts";
import { pendingFileParams, toPendingFile } from "../_pending_file_rows.ts";

/**
 * The SQL of the large-files migration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FILES_MIGRATION_SQL } from "./_files.ts";
 * assert.match(FILES_MIGRATION_SQL, /CREATE TABLE pending_files /);
 * ```
 */
export const FILES_MIGRATION_SQL = `
CREATE TABLE pending_files (
  pending_id TEXT PRIMARY KEY,
  writer_id TEXT NOT NULL REFERENCES clients(client_id),
  user_id TEXT NOT NULL,
  type TEXT NOT NULL,
  plain TEXT NOT NULL,
  data TEXT NOT NULL,
  rec_sig TEXT,
  checksum TEXT,
  compression TEXT NOT NULL,
  size INTEGER,
  blob_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'uploading', 'uploaded')),
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX pending_files_expires ON pending_files(expires);

CREATE TABLE used_capabilities (
  token_id TEXT PRIMARY KEY,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX used_capabilities_expires ON used_capabilities(expires);

CREATE TABLE blob_deletions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  blob_key TEXT NOT NULL UNIQUE
) STRICT;
`;

/**
 * File rows in the `pending_files`, `used_capabilities` and `blob_deletions` tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteFiles } from "./_files.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.files instanceof SqliteFiles);
 * await store.close();
 * ```
 */
export class SqliteFiles implements FileStore {
  readonly #sql: SqliteSession;

  /** The file rows of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a pending file (its id and blob key must be new). */
  createPending(file: PendingFileRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO pending_files (pending_id, writer_id, user_id, type, plain, data, rec_sig," +
          " checksum, compression, size, blob_key, state, created, expires)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ...pendingFileParams(file),
      );
    });
  }

  /** One pending file, or `undefined`. */
  getPending(pendingId: string): Promise<PendingFileRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM pending_files WHERE pending_id = ?", pendingId);
      return row && toPendingFile(row);
    });
  }

  /** Moves a pending file from state `from` to `to`; false when it is not in `from`. */
  setPendingState(
    pendingId: string,
    from: PendingFileState,
    to: PendingFileState,
  ): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "UPDATE pending_files SET state = ? WHERE pending_id = ? AND state = ?",
        to,
        pendingId,
        from,
      ) === 1
    );
  }

  /** Moves every `uploading` file back to `pending`. */
  resetInterruptedUploads(): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("UPDATE pending_files SET state = 'pending' WHERE state = 'uploading'")
    );
  }

  /** Moves an `uploading` file to `uploaded` with its measured checksum and size (counted). */
  markPendingUploaded(
    pendingId: string,
    measured: { checksum: string; size: number },
    limit: QuotaLimit = {},
  ): Promise<boolean> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const row = sql.get(
          "UPDATE pending_files SET state = 'uploaded', checksum = ?, size = ?" +
            " WHERE pending_id = ? AND state = 'uploading' RETURNING writer_id",
          measured.checksum,
          measured.size,
          pendingId,
        );
        if (row === undefined) return false;
        addUsage(sql, String(row.writer_id), measured.size, limit);
        return true;
      })
    );
  }

  /** Removes a pending file without touching its blob; false when there was none. */
  deletePending(pendingId: string): Promise<boolean> {
    const sql = this.#sql;
    return sql.exec(() => sql.atomic(() => this.#deletePending(pendingId)));
  }

  /** Removes expired pending files (at most `limit`) and queues their blobs, atomically. */
  expirePending(nowMicros: number, limit: number): Promise<number> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const rows = sql.all(
          "SELECT pending_id, blob_key FROM pending_files WHERE expires <= ? ORDER BY expires" +
            " LIMIT ?",
          nowMicros,
          limit,
        );
        for (const row of rows) {
          this.#queueBlobDeletion(String(row.blob_key));
          this.#deletePending(String(row.pending_id));
        }
        return rows.length;
      })
    );
  }

  /** Removes the writer's pending files and queues their blobs for deletion; returns how many. */
  deletePendingByWriter(writerId: string): Promise<number> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const rows = sql.all("SELECT blob_key FROM pending_files WHERE writer_id = ?", writerId);
        for (const row of rows) this.#queueBlobDeletion(String(row.blob_key));
        sql.run("DELETE FROM pending_files WHERE writer_id = ?", writerId);
        return rows.length;
      })
    );
  }

  /** Queues a blob for deletion (idempotent). */
  queueBlobDeletion(blobKey: string): Promise<void> {
    return this.#sql.exec(() => this.#queueBlobDeletion(blobKey));
  }

  /** Up to `limit` queued blob keys, oldest first. */
  listBlobDeletions(limit: number): Promise<string[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT blob_key FROM blob_deletions ORDER BY seq LIMIT ?", limit)
        .map((row) => String(row.blob_key))
    );
  }

  /** Marks a queued deletion done. */
  finishBlobDeletion(blobKey: string): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run("DELETE FROM blob_deletions WHERE blob_key = ?", blobKey);
    });
  }

  /** True the first time a capability token is used, false on every later call. */
  useCapability(tokenId: string, expires: number): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "INSERT INTO used_capabilities (token_id, expires) VALUES (?, ?) ON CONFLICT DO NOTHING",
        tokenId,
        expires,
      ) === 1
    );
  }

  /** Whether the token has been used (and not forgotten since). */
  capabilityUsed(tokenId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.get("SELECT 1 AS used FROM used_capabilities WHERE token_id = ?", tokenId) !==
        undefined
    );
  }

  /** Forgets used tokens with `expires <= nowMicros`. */
  deleteExpiredCapabilities(nowMicros: number): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM used_capabilities WHERE expires <= ?", nowMicros)
    );
  }

  /** Deletes a pending file, freeing an uploaded one's size from its writer's usage. */
  #deletePending(pendingId: string): boolean {
    const row = this.#sql.get(
      "DELETE FROM pending_files WHERE pending_id = ? RETURNING writer_id, state, size",
      pendingId,
    );
    if (row === undefined) return false;
    if (row.state === "uploaded" && row.size !== null) {
      addUsage(this.#sql, String(row.writer_id), -Number(row.size));
    }
    return true;
  }

  #queueBlobDeletion(blobKey: string): void {
    this.#sql.run(
      "INSERT INTO blob_deletions (blob_key) VALUES (?) ON CONFLICT DO NOTHING",
      blobKey,
    );
  }
}
