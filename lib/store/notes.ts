/**
 * What the store keeps for one-way encrypted notes (`/v2/storage/notes`), and the methods every
 * backend implements for them. The note body is opaque ciphertext to the server; it stores it,
 * counts views, and forgets the note when it is burned or expired.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */

/** The cipher suite a note was written in, in canonical case. */
export type NoteMode = "Sodium" | "NIST";

/** A stored note. */
export interface NoteRow {
  /** UUID assigned by the server. */
  noteId: string;
  /** The note's global name, or `null` for an unnamed note. */
  idString: string | null;
  /** The writer's client id from TSV1 `uid:`, or `null` for an anonymous writer. */
  clientId: string | null;
  /** The TSV1 signing key text that wrote the note: its holder may replace or delete it. */
  ownerSigningKey: string;
  /** `Sodium` or `NIST`. */
  mode: NoteMode;
  /** The recipient's signing key text: only its holder may read the note. */
  recipientSigningKey: string;
  /** The writer's signing key text (verifies the TFSP1 signatures). */
  writerSigningKey: string;
  /** The writer's encryption key text (opens the access key). */
  writerEncryptionKey: string;
  /** The access key boxed for the recipient, `ct.nonce`. */
  encryptedAccessKey: string;
  /** Free-form type. */
  type: string;
  /** Field name → dotted quad (opaque). */
  data: Record<string, string>;
  /** Clear metadata. */
  plain: Record<string, string>;
  /** File metadata (E3DB Python fills it from `plain`). */
  fileMeta: Record<string, unknown>;
  /** The TFSP1-signed object salt (opaque). */
  signature: string;
  /** Extra access control (`{"tozid_eacp": {...}}`), or `null`. */
  eacp: Record<string, unknown> | null;
  /** Reads allowed before the note is burned; `-1` is unlimited. */
  maxViews: number;
  /** Reads so far. */
  views: number;
  /** When the note expires, or `null` for never. */
  expiration: number | null;
  /** Creation time. */
  created: number;
}

/** How a note is looked up: by id or by name. */
export type NoteRef = { noteId: string } | { idString: string };

/**
 * The note methods of a store (`store.notes`). Each is atomic on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const note = {
 *   noteId: crypto.randomUUID(), idString: "greeting", clientId: null, ownerSigningKey: "o",
 *   mode: "Sodium" as const, recipientSigningKey: "r", writerSigningKey: "w",
 *   writerEncryptionKey: "e", encryptedAccessKey: "ct.nonce", type: "", data: {}, plain: {},
 *   fileMeta: {}, signature: "s", eacp: null, maxViews: 1, views: 0, expiration: null, created: 1,
 * };
 * assert.equal(await store.notes.insert(note), true);
 * assert.equal((await store.notes.get({ idString: "greeting" }, 2))?.noteId, note.noteId);
 * assert.equal((await store.notes.takeView(note.noteId, 2))?.views, 1);
 * assert.equal(await store.notes.get({ noteId: note.noteId }, 2), undefined); // burned
 * await store.close();
 * ```
 */
export interface NoteStore {
  /**
   * Adds a note. Returns false, adding nothing, when a live note already has its `idString`
   * (a note with that name that expired before `note.created` is removed first), or when the
   * name is claimed by another client ({@linkcode NoteStore.claimName}).
   */
  insert(note: NoteRow): Promise<boolean>;
  /**
   * Reserves the name `idString` for the notes of `clientId` (an identity's credential note):
   * removes any note of that name written by anyone else, and from then on only that client's
   * notes may take the name. A later claim of the same name replaces this one.
   */
  claimName(idString: string, clientId: string): Promise<void>;
  /** The live note (not expired at `nowMicros`, not burned), or `undefined`. */
  get(ref: NoteRef, nowMicros: number): Promise<NoteRow | undefined>;
  /**
   * Counts one read of a live note and returns it with the new `views`; a read that reaches
   * `maxViews` removes the note. `undefined` when the note is gone, so no more than `maxViews`
   * calls ever succeed, however they interleave.
   */
  takeView(noteId: string, nowMicros: number): Promise<NoteRow | undefined>;
  /** Removes a note; false when there was none. */
  delete(noteId: string): Promise<boolean>;
  /** Removes every note expired at `nowMicros`; returns how many. */
  deleteExpired(nowMicros: number): Promise<number>;
}
