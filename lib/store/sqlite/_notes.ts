/**
 * The SQLite {@linkcode NoteStore}. The view count is taken inside one atomic step (read,
 * check, count or burn), so concurrent reads can never exceed `max_views`.
 *
 * @module
 */
import type { NoteRef, NoteRow, NoteStore } from "../notes.ts";
import type { SqliteSession } from "./_session.ts";
import { noteParams, toNote } from "../_note_rows.ts";

/**
 * The SQL of the notes migration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTES_MIGRATION_SQL } from "./_notes.ts";
 * assert.match(NOTES_MIGRATION_SQL, /CREATE TABLE notes /);
 * ```
 */
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

/**
 * The SQL of the note-name claims migration: names reserved for one client's notes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTE_NAME_CLAIMS_MIGRATION_SQL } from "./_notes.ts";
 * assert.match(NOTE_NAME_CLAIMS_MIGRATION_SQL, /CREATE TABLE note_name_claims /);
 * ```
 */
export const NOTE_NAME_CLAIMS_MIGRATION_SQL = `
CREATE TABLE note_name_claims (
  id_string TEXT PRIMARY KEY,
  client_id TEXT NOT NULL
) STRICT;
`;

const LIVE = "(expiration IS NULL OR expiration > ?)";

/**
 * Notes in the `notes` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteNotes } from "./_notes.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.notes instanceof SqliteNotes);
 * await store.close();
 * ```
 */
export class SqliteNotes implements NoteStore {
  readonly #sql: SqliteSession;

  /** The notes of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a note; false when a live note already has its name. */
  insert(note: NoteRow): Promise<boolean> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        if (note.idString !== null) {
          const claim = sql.get(
            "SELECT client_id FROM note_name_claims WHERE id_string = ?",
            note.idString,
          );
          if (claim !== undefined && claim.client_id !== note.clientId) return false;
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
          ...noteParams(note),
        ) === 1;
      })
    );
  }

  /** Reserves a name for one client's notes, removing others' notes of that name. */
  claimName(idString: string, clientId: string): Promise<void> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        sql.run(
          "DELETE FROM notes WHERE id_string = ? AND (client_id IS NULL OR client_id != ?)",
          idString,
          clientId,
        );
        sql.run(
          "INSERT INTO note_name_claims (id_string, client_id) VALUES (?, ?)" +
            " ON CONFLICT (id_string) DO UPDATE SET client_id = excluded.client_id",
          idString,
          clientId,
        );
      })
    );
  }

  /** The live note, or `undefined`. */
  get(ref: NoteRef, nowMicros: number): Promise<NoteRow | undefined> {
    return this.#sql.exec(() => this.#live(ref, nowMicros));
  }

  /** Read, check and count (or burn) in one atomic step. */
  takeView(noteId: string, nowMicros: number): Promise<NoteRow | undefined> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const note = this.#live({ noteId }, nowMicros);
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
      })
    );
  }

  /** Removes a note; false when there was none. */
  delete(noteId: string): Promise<boolean> {
    return this.#sql.exec(() => this.#sql.run("DELETE FROM notes WHERE note_id = ?", noteId) === 1);
  }

  /** Removes every note expired at `nowMicros`; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM notes WHERE expiration IS NOT NULL AND expiration <= ?", nowMicros)
    );
  }

  #live(ref: NoteRef, nowMicros: number): NoteRow | undefined {
    const row = "noteId" in ref
      ? this.#sql.get(`SELECT * FROM notes WHERE note_id = ? AND ${LIVE}`, ref.noteId, nowMicros)
      : this.#sql.get(
        `SELECT * FROM notes WHERE id_string = ? AND ${LIVE}`,
        ref.idString,
        nowMicros,
      );
    return row && toNote(row);
  }
}
