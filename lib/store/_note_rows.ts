/**
 * Note rows for both backends: a {@linkcode NoteRow}'s bound values, and a stored row (column
 * name → value) as a {@linkcode NoteRow}.
 *
 * @module
 */
import type { NoteMode, NoteRow } from "./notes.ts";

type Columns = Record<string, unknown>;

/**
 * A note's values for `notes (note_id, id_string, client_id, owner_signing_key, mode,
 * recipient_signing_key, writer_signing_key, writer_encryption_key, encrypted_access_key, type,
 * data, plain, file_meta, signature, eacp, max_views, views, expiration, created)`, in that order.
 */
export function noteParams(note: NoteRow): Array<string | number | null> {
  return [
    note.noteId,
    note.idString,
    note.clientId,
    note.ownerSigningKey,
    note.mode,
    note.recipientSigningKey,
    note.writerSigningKey,
    note.writerEncryptionKey,
    note.encryptedAccessKey,
    note.type,
    JSON.stringify(note.data),
    JSON.stringify(note.plain),
    JSON.stringify(note.fileMeta),
    note.signature,
    note.eacp === null ? null : JSON.stringify(note.eacp),
    note.maxViews,
    note.views,
    note.expiration,
    note.created,
  ];
}

/** A `notes` row as a {@linkcode NoteRow}. */
export function toNote(row: Columns): NoteRow {
  return {
    noteId: String(row.note_id),
    idString: row.id_string === null ? null : String(row.id_string),
    clientId: row.client_id === null ? null : String(row.client_id),
    ownerSigningKey: String(row.owner_signing_key),
    mode: String(row.mode) as NoteMode,
    recipientSigningKey: String(row.recipient_signing_key),
    writerSigningKey: String(row.writer_signing_key),
    writerEncryptionKey: String(row.writer_encryption_key),
    encryptedAccessKey: String(row.encrypted_access_key),
    type: String(row.type),
    data: JSON.parse(String(row.data)) as Record<string, string>,
    plain: JSON.parse(String(row.plain)) as Record<string, string>,
    fileMeta: JSON.parse(String(row.file_meta)) as Record<string, unknown>,
    signature: String(row.signature),
    eacp: row.eacp === null ? null : JSON.parse(String(row.eacp)) as Record<string, unknown>,
    maxViews: Number(row.max_views),
    views: Number(row.views),
    expiration: row.expiration === null ? null : Number(row.expiration),
    created: Number(row.created),
  };
}
