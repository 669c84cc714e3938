/**
 * Pending-file rows for both backends: a {@linkcode PendingFileRow}'s bound values, and a stored
 * row (column name → value) as a {@linkcode PendingFileRow}.
 *
 * @module
 */
import type { PendingFileRow, PendingFileState } from "./files.ts";

type Columns = Record<string, unknown>;

/**
 * A pending file's values for `pending_files (pending_id, writer_id, user_id, type, plain, data,
 * rec_sig, checksum, compression, size, blob_key, state, created, expires)`, in that order.
 */
export function pendingFileParams(file: PendingFileRow): Array<string | number | null> {
  return [
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
  ];
}

/** A `pending_files` row as a {@linkcode PendingFileRow}. */
export function toPendingFile(row: Columns): PendingFileRow {
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
