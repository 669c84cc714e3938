/**
 * One-way encrypted notes: a writer seals data for a recipient's key pair; the server keeps
 * ciphertext, lets only the holder of the recipient's signing key read it, counts views and
 * forgets the note when it is burned or expired. Every field is TFSP1-signed by the writer and
 * verified on read: a bad signature or MAC throws {@linkcode IntegrityError} and nothing is
 * returned.
 *
 * Registered clients sign requests with their client id; anonymous writers and readers use only
 * key pairs (the server then drops premium options: see `docs/notes.md`).
 *
 * @module
 */
import { decryptNote, encryptNote, type NoteCryptoFields } from "../crypto/note_crypto.ts";
import { getSuite } from "../crypto/suites.ts";
import type { CryptoSuite, KeyPair } from "../crypto/suite.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import { NO_EXPIRATION } from "../protocol/note_constants.ts";
import type { NoteJson, NoteWriteRequest } from "../protocol/notes.ts";
import { isUuid } from "../protocol/ids.ts";
import { type KeyPairText, suiteOfKeyText } from "./key_text.ts";
import { tsv1Request, type Tsv1Signer } from "./_tsv1_request.ts";
import { type WireObject, wireObject, wireStringMap } from "./_wire_reader.ts";

/** Options of a note write; each maps to the E3DB wire field in brackets. */
export interface NoteOptions {
  /** A global name to read the note by [`id_string`]; dropped by the server for anonymous writers. */
  idString?: string;
  /** Reads allowed before the note is burned, `-1` for unlimited (the default) [`max_views`]. */
  maxViews?: number;
  /** When the note expires [`expiration`, `expires`]; never by default. */
  expiration?: Date | string;
  /** Free-form type [`type`]. */
  type?: string;
  /** Clear metadata [`plain`]. */
  plain?: Record<string, string>;
  /** File metadata [`file_meta`]. */
  fileMeta?: Record<string, unknown>;
  /** Extra access control, e.g. `{ tozid_eacp: { realm_name: "Acme" } }` [`eacp`]. */
  eacp?: Record<string, unknown>;
}

/** A note as the server keeps it, with `data` decrypted when it was read. */
export interface Note {
  /** The server's id. */
  noteId: string;
  /** The note's name, `""` when unnamed. */
  idString: string;
  /** The writer's client id, or `null` for an anonymous writer. */
  clientId: string | null;
  /** `Sodium` or `NIST`. */
  mode: string;
  /** Who may read it. */
  recipientSigningKey: string;
  /** The writer's signing key (verifies the fields). */
  writerSigningKey: string;
  /** The writer's encryption key. */
  writerEncryptionKey: string;
  /** Free-form type. */
  type: string;
  /** Clear metadata. */
  plain: Record<string, string>;
  /** File metadata. */
  fileMeta: Record<string, unknown>;
  /** Creation time (RFC 3339). */
  createdAt: string;
  /** Reads allowed, `-1` unlimited. */
  maxViews: number;
  /** Reads so far, including this one. */
  views: number;
  /** Expiry time (RFC 3339), or `null` for never. */
  expiration: string | null;
  /** The EACP, or `null`. */
  eacp: Record<string, unknown> | null;
  /** The plaintext fields. */
  data: Record<string, string>;
}

/** The keys and connection of a note writer or reader. */
export interface NoteParty extends Tsv1Signer {
  /** The encryption key pair (writers box the access key with it; readers open it). */
  encryptionKeys: KeyPair;
  /**
   * Key pairs that seal and sign the notes this party writes, when they are not its own
   * `encryptionKeys` and `signingKeys` (which still sign the requests). Identity registration
   * seals the credential note with the password-derived keys, so that login can check it
   * against keys it derives itself.
   */
  noteWriterKeys?: { encryption: KeyPair; signing: KeyPair } | undefined;
}

/** Options of a note read. */
export interface NoteReadOptions {
  /** Extra headers, e.g. `{ "X-TOZID-LOGIN-TOKEN": token }` for a TozID-protected note. */
  headers?: Record<string, string>;
  /**
   * The writer's signing public key (wire text) the note must be signed with. Without it a note
   * is verified against the key it carries, which proves it intact but not who wrote it: the
   * server could hand over a look-alike note signed by a key of its own. Pin it whenever the
   * writer is known; {@linkcode IntegrityError} when the note names or was signed by another key.
   */
  writerSigningKey?: string | undefined;
}

const NOTES_PATH = "/v2/storage/notes";

/**
 * Encrypts, signs and writes a note for the holder of the recipient's keys (wire text).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await writeNote(party, { secret: "hi" }, recipient.publicKey, recipientSigning, {
 *   maxViews: 1,
 * });
 * ```
 */
export async function writeNote(
  party: NoteParty,
  data: Record<string, string>,
  recipientEncryptionKey: string,
  recipientSigningKey: string,
  options: NoteOptions = {},
): Promise<Note> {
  const body = await sealNote(party, data, recipientEncryptionKey, recipientSigningKey, options);
  const reply = await tsv1Request(party, "POST", NOTES_PATH, { json: body });
  return { ...noteFromWire(reply.json), data: { ...data } };
}

/**
 * Replaces the note named `options.idString` (written by the same client) with a new one, in one
 * step on the server; creates it when there is none.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await replaceNote(party, { v: "2" }, recipientKey, recipientSigningKey, { idString: "doc" });
 * ```
 */
export async function replaceNote(
  party: NoteParty,
  data: Record<string, string>,
  recipientEncryptionKey: string,
  recipientSigningKey: string,
  options: NoteOptions & { idString: string },
): Promise<Note> {
  if (typeof options?.idString !== "string" || options.idString === "") {
    throw new ValidationError("replaceNote needs options.idString, the name of the note");
  }
  const body = await sealNote(party, data, recipientEncryptionKey, recipientSigningKey, options);
  const reply = await tsv1Request(party, "PUT", NOTES_PATH, { json: body });
  return { ...noteFromWire(reply.json), data: { ...data } };
}

/**
 * Reads a note by id (counting a view) and decrypts it, verifying every signature.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await readNote(party, "6f1c3b2a-9d8e-4f70-a1b2-c3d4e5f60718");
 * console.log(note.data);
 * ```
 */
export async function readNote(
  party: NoteParty,
  noteId: string,
  options: NoteReadOptions = {},
): Promise<Note> {
  if (!isUuid(noteId)) throw new ValidationError(`Note id must be a UUID, got "${noteId}"`);
  return await fetchNote(party, `note_id=${encodeURIComponent(noteId)}`, options);
}

/**
 * Reads a note by its name (`id_string`) and decrypts it, verifying every signature.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await readNoteByName(party, "welcome-note");
 * ```
 */
export async function readNoteByName(
  party: NoteParty,
  name: string,
  options: NoteReadOptions = {},
): Promise<Note> {
  if (typeof name !== "string" || name === "") {
    throw new ValidationError("Note name must be a non-empty string");
  }
  return await fetchNote(party, `id_string=${encodeURIComponent(name)}`, options);
}

/**
 * Deletes a note (its writer or its recipient may).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await deleteNote(party, note.noteId);
 * ```
 */
export async function deleteNote(party: Tsv1Signer, noteId: string): Promise<void> {
  if (!isUuid(noteId)) throw new ValidationError(`Note id must be a UUID, got "${noteId}"`);
  await tsv1Request(party, "DELETE", `${NOTES_PATH}/${noteId}`);
}

/** Key pairs as wire text, for anonymous note helpers. */
export interface NoteKeysText {
  /** The encryption key pair. */
  encryption: KeyPairText;
  /** The signing key pair. */
  signing: KeyPairText;
}

/** Where anonymous helpers connect. */
export interface AnonymousNoteOptions {
  /** Base URL of the API. */
  apiUrl: string;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: (() => number) | undefined;
}

/**
 * A note party from key pairs alone (no client registration): requests carry an empty `uid:`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const party = await anonymousNoteParty(keys, { apiUrl: "http://127.0.0.1:8000" });
 * ```
 */
export async function anonymousNoteParty(
  keys: NoteKeysText,
  options: AnonymousNoteOptions,
): Promise<NoteParty> {
  if (keys === null || typeof keys !== "object") {
    throw new ValidationError("Note keys must be { encryption, signing } key pairs");
  }
  if (options === null || typeof options !== "object") {
    throw new ValidationError("Anonymous note options must be an object with apiUrl");
  }
  const suites = [
    suiteOfKeyText(keys.encryption?.publicKey, "public", "encryption public key"),
    suiteOfKeyText(keys.encryption?.privateKey, "private", "encryption private key"),
    suiteOfKeyText(keys.signing?.publicKey, "public signing", "signing public key"),
    suiteOfKeyText(keys.signing?.privateKey, "private signing", "signing private key"),
  ];
  const suiteName = suites[0]!;
  if (suites.some((name) => name !== suiteName)) {
    throw new ValidationError("Encryption and signing keys must be of the same suite");
  }
  const suite = await getSuite(suiteName);
  return {
    apiUrl: options.apiUrl,
    suite,
    encryptionKeys: decodePair(suite, keys.encryption, "encryption"),
    signingKeys: decodePair(suite, keys.signing, "signing"),
    fetch: options.fetch,
    now: options.now,
  };
}

/**
 * Writes a note without a registered client: the writer is known by its keys only, and the
 * server drops premium options (name, extra views, long expiry).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await writeAnonymousNote({ secret: "hi" }, recipientKey, recipientSigningKey,
 *   writerKeys, { apiUrl });
 * ```
 */
export async function writeAnonymousNote(
  data: Record<string, string>,
  recipientEncryptionKey: string,
  recipientSigningKey: string,
  writerKeys: NoteKeysText,
  options: AnonymousNoteOptions & { note?: NoteOptions },
): Promise<Note> {
  const party = await anonymousNoteParty(writerKeys, options);
  return await writeNote(party, data, recipientEncryptionKey, recipientSigningKey, options.note);
}

/**
 * Reads a note by id with key pairs alone (no client registration).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await readAnonymousNote(noteId, recipientKeys, { apiUrl });
 * ```
 */
export async function readAnonymousNote(
  noteId: string,
  readerKeys: NoteKeysText,
  options: AnonymousNoteOptions & NoteReadOptions,
): Promise<Note> {
  return await readNote(await anonymousNoteParty(readerKeys, options), noteId, options);
}

/**
 * Reads a note by name with key pairs alone (no client registration).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const note = await readAnonymousNoteByName("credentials", derivedKeys, { apiUrl });
 * ```
 */
export async function readAnonymousNoteByName(
  name: string,
  readerKeys: NoteKeysText,
  options: AnonymousNoteOptions & NoteReadOptions,
): Promise<Note> {
  return await readNoteByName(await anonymousNoteParty(readerKeys, options), name, options);
}

// ---- internals ----

function decodePair(suite: CryptoSuite, pair: KeyPairText, what: string): KeyPair {
  try {
    return {
      publicKey: suite.decodePublicKey(pair.publicKey),
      privateKey: suite.decodePrivateKey(pair.privateKey),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`The ${what} key pair is not valid: ${reason}`, { cause: error });
  }
}

async function fetchNote(
  party: NoteParty,
  query: string,
  options: NoteReadOptions,
): Promise<Note> {
  const reply = await tsv1Request(party, "GET", `${NOTES_PATH}?${query}`, {
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const note = noteFromWire(reply.json);
  const writerSigningKey = options.writerSigningKey === undefined
    ? undefined
    : decodePublicKeyText(party.suite, options.writerSigningKey, "Expected writer signing key");
  const data = await decryptNote(
    party.suite,
    reply.json as NoteCryptoFields,
    party.encryptionKeys.privateKey,
    { writerSigningKey },
  );
  return { ...note, data };
}

function requireData(data: Record<string, string>): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError("Note data must be an object of strings");
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") {
      throw new ValidationError(`Note field "${key}" must be a string`);
    }
  }
}

function decodePublicKeyText(suite: CryptoSuite, text: string, what: string): Uint8Array {
  try {
    return suite.decodePublicKey(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`${what} is not a ${suite.name} public key: ${reason}`, {
      cause: error,
    });
  }
}

async function sealNote(
  party: NoteParty,
  data: Record<string, string>,
  recipientEncryptionKey: string,
  recipientSigningKey: string,
  options: NoteOptions,
): Promise<NoteWriteRequest> {
  requireData(data);
  const { suite } = party;
  const fields = await encryptNote(suite, {
    data,
    recipientEncryptionKey: decodePublicKeyText(
      suite,
      recipientEncryptionKey,
      "Recipient encryption key",
    ),
    recipientSigningKey: decodePublicKeyText(suite, recipientSigningKey, "Recipient signing key"),
    writerKeys: party.noteWriterKeys ??
      { encryption: party.encryptionKeys, signing: party.signingKeys },
  });
  return { ...fields, ...wireOptions(options ?? {}) } satisfies NoteWriteRequest;
}

/** The note options as wire fields. */
type NoteWireOptions = Omit<NoteWriteRequest, keyof NoteCryptoFields>;

function wireOptions(options: NoteOptions): NoteWireOptions {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("Note options must be an object");
  }
  const { maxViews, expiration } = options;
  if (
    maxViews !== undefined && (!Number.isSafeInteger(maxViews) || (maxViews < 1 && maxViews !== -1))
  ) {
    throw new ValidationError(`maxViews must be -1 or a positive integer, got ${maxViews}`);
  }
  return {
    id_string: options.idString ?? null,
    max_views: maxViews ?? -1,
    expires: expiration !== undefined,
    expiration: expiration === undefined ? NO_EXPIRATION : expirationText(expiration),
    type: options.type ?? "",
    plain: options.plain ?? {},
    file_meta: options.fileMeta ?? {},
    eacp: options.eacp ?? null,
  };
}

function expirationText(expiration: Date | string): string {
  const date = expiration instanceof Date ? expiration : new Date(expiration);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError(`Note expiration "${String(expiration)}" is not a valid time`);
  }
  return date.toISOString();
}

/**
 * Reads the server's note JSON (without decrypting `data`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noteFromWire } from "./notes.ts";
 * const meta = noteFromWire({ note_id: "6f1c3b2a-9d8e-4f70-a1b2-c3d4e5f60718", id_string: "doc" });
 * assert.equal(meta.idString, "doc");
 * assert.equal(meta.clientId, null); // no client_id: an anonymous writer
 * ```
 */
export function noteFromWire(value: unknown): Omit<Note, "data"> {
  const json = value as WireObject<NoteJson> | null;
  if (json === null || typeof json !== "object" || typeof json.note_id !== "string") {
    throw new ArcaError("Server sent a note without a note_id");
  }
  const optionalObject = (key: "file_meta" | "eacp") =>
    json[key] === undefined || json[key] === null ? null : wireObject(json[key], `note ${key}`);
  return {
    noteId: json.note_id,
    idString: typeof json.id_string === "string" ? json.id_string : "",
    clientId: typeof json.client_id === "string" ? json.client_id : null,
    mode: String(json.mode ?? ""),
    recipientSigningKey: String(json.recipient_signing_key ?? ""),
    writerSigningKey: String(json.writer_signing_key ?? ""),
    writerEncryptionKey: String(json.writer_encryption_key ?? ""),
    type: String(json.type ?? ""),
    plain: { ...wireStringMap(json, "plain", "note") },
    fileMeta: { ...optionalObject("file_meta") },
    createdAt: String(json.created_at ?? ""),
    maxViews: Number(json.max_views ?? -1),
    views: Number(json.views ?? 0),
    expiration: json.expires === true && typeof json.expiration === "string"
      ? json.expiration
      : null,
    eacp: optionalObject("eacp"),
  };
}
