/**
 * The SQLite statements behind the {@linkcode NoteStore} methods. The view count is taken
 * inside one atomic step (read, check, count or burn), so concurrent reads can never exceed
 * `max_views`.
 *
 * @module
 */
import type { NoteMode, NoteRef, NoteRow } from "./note_store.ts";
import type { SqlRow, SqlRunner } from "./sqlite_runner.ts";

/** The SQL of the notes migration. */
export const NOTES_MIGRATION_SQL = `
CREATE TABLE notes (
  note_id TEXT PRIMARY KEY,
  id_string TEXT UNIQUE,
  client_id TEXT,
  owner_signing_key TEXT NOT NULL,
  mode TEXT NOT NULL,
  recipient_signing_key TEXT NOT NULL,
  writer_signing_key TEXT NOT NULL,
  writer_encryption_key TEXT NOT NULL,
  encrypted_access_key TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  plain TEXT NOT NULL,
  file_meta TEXT NOT NULL,
  signature TEXT NOT NULL,
  eacp TEXT,
  max_views INTEGER NOT NULL,
  views INTEGER NOT NULL,
  expiration INTEGER,
  created INTEGER NOT NULL
) STRICT;
CREATE INDEX notes_expiration ON notes(expiration) WHERE expiration IS NOT NULL;
`;

const LIVE = "(expiration IS NULL OR expiration > ?)";

/**
 * The note statements bound to one runner.
 *
 * @example
 * ```ts ignore
 * const note = sqliteNotes(sql).getNote({ idString: "greeting" }, now);
 * ```
 */
export function sqliteNotes(sql: SqlRunner) {
  const getNote = (ref: NoteRef, nowMicros: number): NoteRow | undefined => {
    const row = "noteId" in ref
      ? sql.get(`SELECT * FROM notes WHERE note_id = ? AND ${LIVE}`, ref.noteId, nowMicros)
      : sql.get(`SELECT * FROM notes WHERE id_string = ? AND ${LIVE}`, ref.idString, nowMicros);
    return row && toNote(row);
  };

  return {
    getNote,

    insertNote(note: NoteRow): boolean {
      return sql.atomic(() => {
        if (note.idString !== null) {
          sql.run(
            "DELETE FROM notes WHERE id_string = ? AND expiration IS NOT NULL AND expiration <= ?",
            note.idString,
            note.created,
          );
        }
        return sql.run(
          "INSERT INTO notes (note_id, id_string, client_id, owner_signing_key, mode," +
            " recipient_signing_key, writer_signing_key, writer_encryption_key," +
            " encrypted_access_key, type, data, plain, file_meta, signature, eacp, max_views, views," +
            " expiration, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" +
            " ON CONFLICT (id_string) DO NOTHING",
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
        ) === 1;
      });
    },

    /** Read, check and count (or burn) in one atomic step. */
    takeNoteView(noteId: string, nowMicros: number): NoteRow | undefined {
      return sql.atomic(() => {
        const note = getNote({ noteId }, nowMicros);
        if (note === undefined) return undefined;
        const limited = note.maxViews !== -1;
        if (limited && note.views >= note.maxViews) {
          sql.run("DELETE FROM notes WHERE note_id = ?", noteId);
          return undefined;
        }
        const views = note.views + 1;
        if (limited && views >= note.maxViews) {
          sql.run("DELETE FROM notes WHERE note_id = ?", noteId);
        } else {
          sql.run("UPDATE notes SET views = ? WHERE note_id = ?", views, noteId);
        }
        return { ...note, views };
      });
    },

    deleteNote(noteId: string): boolean {
      return sql.run("DELETE FROM notes WHERE note_id = ?", noteId) === 1;
    },

    deleteExpiredNotes(nowMicros: number): number {
      return sql.run(
        "DELETE FROM notes WHERE expiration IS NOT NULL AND expiration <= ?",
        nowMicros,
      );
    },
  };
}

function toNote(row: SqlRow): NoteRow {
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
