/**
 * Stored pending-file rows (column name → value, as both backends read them) as the store's row type.
 *
 * @module
 */
import type { PendingFileRow, PendingFileState } from "./files.ts";

type Columns = Record<string, unknown>;

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
