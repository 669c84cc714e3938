/**
 * The SQLite statements behind the {@linkcode FileStore} methods: pending uploads, used
 * capability tokens and the queue of blob deletions.
 *
 * @module
 */
import type { PendingFileRow, PendingFileState } from "./file_store.ts";
import type { SqlRow, SqlRunner } from "./sqlite_runner.ts";

/** The SQL of the large-files migration. */
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
 * The file statements bound to one runner.
 *
 * @example
 * ```ts ignore
 * const pending = sqliteFiles(sql).getPendingFile(pendingId);
 * ```
 */
export function sqliteFiles(sql: SqlRunner) {
  const queueBlobDeletion = (blobKey: string): void => {
    sql.run("INSERT INTO blob_deletions (blob_key) VALUES (?) ON CONFLICT DO NOTHING", blobKey);
  };

  return {
    createPendingFile(file: PendingFileRow): void {
      sql.run(
        "INSERT INTO pending_files (pending_id, writer_id, user_id, type, plain, data, rec_sig," +
          " checksum, compression, size, blob_key, state, created, expires)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        file.pendingId,
        file.writerId,
        file.userId,
        file.type,
        JSON.stringify(file.plain),
        JSON.stringify(file.data),
        file.recSig,
        file.checksum,
        file.compression,
        file.size,
        file.blobKey,
        file.state,
        file.created,
        file.expires,
      );
    },

    getPendingFile(pendingId: string): PendingFileRow | undefined {
      const row = sql.get("SELECT * FROM pending_files WHERE pending_id = ?", pendingId);
      return row && toPendingFile(row);
    },

    setPendingFileState(pendingId: string, from: PendingFileState, to: PendingFileState): boolean {
      return sql.run(
        "UPDATE pending_files SET state = ? WHERE pending_id = ? AND state = ?",
        to,
        pendingId,
        from,
      ) === 1;
    },

    markPendingFileUploaded(
      pendingId: string,
      measured: { checksum: string; size: number },
    ): boolean {
      return sql.run(
        "UPDATE pending_files SET state = 'uploaded', checksum = ?, size = ?" +
          " WHERE pending_id = ? AND state = 'uploading'",
        measured.checksum,
        measured.size,
        pendingId,
      ) === 1;
    },

    deletePendingFile(pendingId: string): boolean {
      return sql.run("DELETE FROM pending_files WHERE pending_id = ?", pendingId) === 1;
    },

    expirePendingFiles(nowMicros: number, limit: number): number {
      return sql.atomic(() => {
        const rows = sql.all(
          "SELECT pending_id, blob_key FROM pending_files WHERE expires <= ? ORDER BY expires" +
            " LIMIT ?",
          nowMicros,
          limit,
        );
        for (const row of rows) {
          queueBlobDeletion(String(row.blob_key));
          sql.run("DELETE FROM pending_files WHERE pending_id = ?", String(row.pending_id));
        }
        return rows.length;
      });
    },

    queueBlobDeletion,

    listBlobDeletions(limit: number): string[] {
      return sql.all("SELECT blob_key FROM blob_deletions ORDER BY seq LIMIT ?", limit)
        .map((row) => String(row.blob_key));
    },

    finishBlobDeletion(blobKey: string): void {
      sql.run("DELETE FROM blob_deletions WHERE blob_key = ?", blobKey);
    },

    useCapability(tokenId: string, expires: number): boolean {
      return sql.run(
        "INSERT INTO used_capabilities (token_id, expires) VALUES (?, ?) ON CONFLICT DO NOTHING",
        tokenId,
        expires,
      ) === 1;
    },

    deleteExpiredCapabilities(nowMicros: number): number {
      return sql.run("DELETE FROM used_capabilities WHERE expires <= ?", nowMicros);
    },
  };
}

function toPendingFile(row: SqlRow): PendingFileRow {
  return {
    pendingId: String(row.pending_id),
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    type: String(row.type),
    plain: JSON.parse(String(row.plain)) as Record<string, string>,
    data: JSON.parse(String(row.data)) as Record<string, string>,
    recSig: row.rec_sig === null ? null : String(row.rec_sig),
    checksum: row.checksum === null ? null : String(row.checksum),
    compression: String(row.compression),
    size: row.size === null ? null : Number(row.size),
    blobKey: String(row.blob_key),
    state: String(row.state) as PendingFileState,
    created: Number(row.created),
    expires: Number(row.expires),
  };
}
