/**
 * Stored key-file rows (column name → value, as both backends read them) as the store's row type.
 *
 * @module
 */
import type { KeyFileRow } from "./users.ts";

type Columns = Record<string, unknown>;

/** A `key_files` row as a {@linkcode KeyFileRow}. */
export function toKeyFile(row: Columns): KeyFileRow {
  return {
    clientId: String(row.client_id),
    keyFile: new Uint8Array(row.key_file as Uint8Array),
    checksum: String(row.checksum),
    header: new Uint8Array(row.header as Uint8Array),
    verifier: new Uint8Array(row.verifier as Uint8Array),
    reminder: String(row.reminder),
    created: Number(row.created),
    updated: Number(row.updated),
    downloads: Number(row.downloads),
    failedDownloads: Number(row.failed_downloads),
  };
}
