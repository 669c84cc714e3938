/**
 * The PostgreSQL {@linkcode NoteStore}, and the notes migrations (steps 2 and 8).
 *
 * Concurrency: `takeView` counts a view with one conditional `UPDATE ... RETURNING`, which waits
 * for a concurrent view's row lock and re-checks `views < max_views` on the latest row, so a note
 * is read at most `max_views` times across instances. A named note's insert and a name claim
 * take the name's advisory lock, so a claim cannot slip between an insert's check and its write.
 *
 * @module
 */
import type { NoteRef, NoteRow, NoteStore } from "../notes.ts";
import type { PostgresSession } from "./_session.ts";
import { noteParams, toNote } from "../_note_rows.ts";

/** Migration 2: one-way encrypted notes. */
export const NOTES_MIGRATION_SQL_POSTGRES = `
CREATE TABLE notes (
  note_id text PRIMARY KEY,
  id_string text UNIQUE,
  client_id text,
  owner_signing_key text NOT NULL,
  mode text NOT NULL,
  recipient_signing_key text NOT NULL,
  writer_signing_key text NOT NULL,
  writer_encryption_key text NOT NULL,
  encrypted_access_key text NOT NULL,
  type text NOT NULL,
  data text NOT NULL,
  plain text NOT NULL,
  file_meta text NOT NULL,
  signature text NOT NULL,
  eacp text,
  max_views bigint NOT NULL,
  views bigint NOT NULL,
  expiration bigint,
  created bigint NOT NULL
);
CREATE INDEX notes_expiration ON notes(expiration) WHERE expiration IS NOT NULL;
`;

/** Migration 8: note names claimed by identities. */
export const NOTE_NAME_CLAIMS_MIGRATION_SQL_POSTGRES = `
CREATE TABLE note_name_claims (
  id_string text PRIMARY KEY,
  client_id text NOT NULL
);
`;

const LIVE = "(expiration IS NULL OR expiration > $2)";

/**
 * Notes in the `notes` table, names claimed in `note_name_claims`.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.notes.takeView(crypto.randomUUID(), 1), undefined);
 * ```
 */
export class PostgresNotes implements NoteStore {
  readonly #sql: PostgresSession;

  /** The notes of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /**
   * Adds a note; false when its name is taken by a live note or claimed by another client (an
   * expired note of that name is replaced).
   */
  insert(note: NoteRow): Promise<boolean> {
    return this.#sql.atomic(async (sql) => {
      if (note.idString !== null) {
        await sql.lock(`arca-note-name:${note.idString}`);
        const claim = await sql.row(
          "SELECT client_id FROM note_name_claims WHERE id_string = $1",
          note.idString,
        );
        if (claim !== undefined && claim.client_id !== note.clientId) return false;
        await sql.run(
          "DELETE FROM notes WHERE id_string = $1 AND expiration IS NOT NULL AND expiration <= $2",
          note.idString,
          note.created,
        );
      }
      return await sql.run(
        "INSERT INTO notes (note_id, id_string, client_id, owner_signing_key, mode," +
          " recipient_signing_key, writer_signing_key, writer_encryption_key," +
          " encrypted_access_key, type, data, plain, file_meta, signature, eacp, max_views, views," +
          " expiration, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13," +
          " $14, $15, $16, $17, $18, $19) ON CONFLICT (id_string) DO NOTHING",
        ...noteParams(note),
      ) === 1;
    });
  }

  /** Claims a note name for `clientId`, removing other clients' notes of that name. */
  claimName(idString: string, clientId: string): Promise<void> {
    return this.#sql.atomic(async (sql) => {
      await sql.lock(`arca-note-name:${idString}`);
      await sql.run(
        "DELETE FROM notes WHERE id_string = $1 AND (client_id IS NULL OR client_id <> $2)",
        idString,
        clientId,
      );
      await sql.run(
        "INSERT INTO note_name_claims (id_string, client_id) VALUES ($1, $2)" +
          " ON CONFLICT (id_string) DO UPDATE SET client_id = excluded.client_id",
        idString,
        clientId,
      );
    });
  }

  /** A live note, or `undefined`. */
  async get(ref: NoteRef, nowMicros: number): Promise<NoteRow | undefined> {
    const row = "noteId" in ref
      ? await this.#sql.row(
        `SELECT * FROM notes WHERE note_id = $1 AND ${LIVE}`,
        ref.noteId,
        nowMicros,
      )
      : await this.#sql.row(
        `SELECT * FROM notes WHERE id_string = $1 AND ${LIVE}`,
        ref.idString,
        nowMicros,
      );
    return row && toNote(row);
  }

  /** Counts one view of a live note and returns it; the view that reaches `maxViews` burns it. */
  takeView(noteId: string, nowMicros: number): Promise<NoteRow | undefined> {
    return this.#sql.atomic(async (sql) => {
      const row = await sql.row(
        `UPDATE notes SET views = views + 1 WHERE note_id = $1 AND ${LIVE}` +
          " AND (max_views = -1 OR views < max_views) RETURNING *",
        noteId,
        nowMicros,
      );
      if (row === undefined) {
        // A live note whose views are used up (none is ever kept so) is removed.
        await sql.run(
          `DELETE FROM notes WHERE note_id = $1 AND ${LIVE} AND max_views <> -1` +
            " AND views >= max_views",
          noteId,
          nowMicros,
        );
        return undefined;
      }
      const note = toNote(row);
      if (note.maxViews !== -1 && note.views >= note.maxViews) {
        await sql.run("DELETE FROM notes WHERE note_id = $1", noteId);
      }
      return note;
    });
  }

  /** Deletes a note; false when there was none. */
  async delete(noteId: string): Promise<boolean> {
    return await this.#sql.run("DELETE FROM notes WHERE note_id = $1", noteId) === 1;
  }

  /** Deletes the expired notes; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    return this.#sql.run(
      "DELETE FROM notes WHERE expiration IS NOT NULL AND expiration <= $1",
      nowMicros,
    );
  }
}
