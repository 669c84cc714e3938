/**
 * One-way encrypted notes, `/v2/storage/notes` (mount behind the TSV1 middleware):
 *
 * - `POST` writes a note → 201 (a live note with the same `id_string` → 409).
 * - `GET ?note_id=…` or `?id_string=…` reads one → 200 and counts a view (both given: `note_id`
 *   wins; neither, or a malformed `note_id` → 400; unknown, burned or expired → 404).
 * - `PUT` replaces the named note atomically → 200 (201 when there was none).
 * - `DELETE /{note_id}` → 204.
 *
 * Only the holder of the note's `recipient_signing_key` may read it. A caller holding neither
 * that key nor the key that wrote the note is told 404, exactly as if the note did not exist,
 * and its request never counts a view. The view is counted in the same store transaction that
 * checks it, so at most `max_views` reads ever succeed.
 *
 * A note with an EACP (an identity's credential note) answers every failed read the same 404 —
 * wrong key, missing, invalid or foreign login token — so a read cannot tell a guessed password
 * right from wrong, and each failed read counts in the login throttle (per note and client
 * address): after the throttle's limit, reads of the note from that address get 429.
 *
 * Anonymous writers are limited per client address: notes of at most `anonymousNoteMaxBytes`
 * (413) and at most `anonymousNotesPerMinute` notes a minute (429 with `Retry-After`).
 *
 * @module
 */
import { Hono } from "hono";
import { randomUuid } from "../../crypto/uuid.ts";
import { hashSecret } from "../../crypto/secrets.ts";
import { isUuid } from "../../protocol/ids.ts";
import {
  NO_EXPIRATION,
  type NoteJson,
  noteWriteSchema,
  type ParsedNoteWrite,
  TOZID_LOGIN_TOKEN_HEADER,
} from "../../protocol/notes.ts";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import type { NoteRef, NoteRow } from "../../store/notes.ts";
import type { Store } from "../../store/store.ts";
import type { Deps, Tsv1Env } from "../env.ts";
import { addressReader } from "../_client_address.ts";
import { HttpError } from "../_http_error.ts";
import { DEFAULT_LOGIN_FAILURE_RULE } from "../../store/login_failures.ts";
import { MinuteRateLimit } from "../_rate_limit.ts";
import {
  DEFAULT_ANONYMOUS_NOTE_MAX_BYTES,
  DEFAULT_ANONYMOUS_NOTES_PER_MINUTE,
} from "../settings.ts";
import { resolveNoteOptions, tozidRealm } from "../_note_rules.ts";
import { readJson } from "../_read_json.ts";
import { callerHoldsKey, decodeOrUndefined, type Tsv1Caller } from "../_tsv1_auth.ts";

const NOT_FOUND = "Note not found";
const SECOND = 1_000_000;

/**
 * The note routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", noteRoutes(deps));
 * ```
 */
export function noteRoutes(deps: Deps): Hono<Tsv1Env> {
  const routes = new Hono<Tsv1Env>();
  // Failed credential-note reads count in the store's login failures, like failed logins.
  const throttle = deps.store.loginFailures;
  const rule = DEFAULT_LOGIN_FAILURE_RULE;
  const addressOf = addressReader(deps.settings.trustedProxies);
  const maxAnonymousBytes = deps.settings.anonymousNoteMaxBytes ??
    DEFAULT_ANONYMOUS_NOTE_MAX_BYTES;
  const anonymousRate = new MinuteRateLimit(
    deps.settings.anonymousNotesPerMinute ?? DEFAULT_ANONYMOUS_NOTES_PER_MINUTE,
  );
  let lastPurge = 0;
  const purgeExpired = async (now: number) => {
    if (now - lastPurge < 60_000_000) return;
    lastPurge = now;
    await deps.store.notes.deleteExpired(now);
  };

  routes.post("/v2/storage/notes", async (c) => {
    const caller = c.get("tsv1");
    const now = deps.clock();
    const body = await readJson(c, noteWriteSchema);
    if (caller.clientId === null) {
      const size = new TextEncoder().encode(JSON.stringify(body)).length;
      if (size > maxAnonymousBytes) {
        throw new HttpError(
          413,
          `An anonymous note may hold at most ${maxAnonymousBytes} bytes, this one has ${size}`,
        );
      }
      const wait = anonymousRate.take(addressOf(c), Math.floor(now / SECOND));
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        throw new HttpError(429, "Too many anonymous notes from this address; try again later");
      }
    }
    const note = newNote(caller, body, now);
    await purgeExpired(now);
    if (!(await deps.store.notes.insert(note))) {
      throw new HttpError(409, `A note named "${note.idString}" already exists`);
    }
    return c.json(noteJson(note), 201);
  });

  routes.put("/v2/storage/notes", async (c) => {
    const caller = c.get("tsv1");
    if (caller.clientId === null) {
      throw new HttpError(403, "Anonymous writers cannot replace named notes");
    }
    const now = deps.clock();
    const note = newNote(caller, await readJson(c, noteWriteSchema), now);
    const name = note.idString;
    if (name === null) throw new HttpError(400, "id_string is required to replace a note");
    const replaced = await deps.store.transaction(async (tx) => {
      const old = await tx.notes.get({ idString: name }, now);
      if (old !== undefined && !isWriter(caller, old)) {
        throw new HttpError(403, `Note "${name}" belongs to another writer`);
      }
      if (old !== undefined) await tx.notes.delete(old.noteId);
      if (!(await tx.notes.insert(note))) throw new HttpError(409, `Note "${name}" already exists`);
      return old !== undefined;
    });
    return c.json(noteJson(note), replaced ? 200 : 201);
  });

  routes.get("/v2/storage/notes", async (c) => {
    const caller = c.get("tsv1");
    const ref = noteRef(c.req.query("note_id"), c.req.query("id_string"));
    const token = c.req.header(TOZID_LOGIN_TOKEN_HEADER);
    const tokenHash = token === undefined ? undefined : await hashSecret(token);
    const now = deps.clock();
    const nowSeconds = Math.floor(now / SECOND);
    // A failure is counted after the transaction (whose rollback must not undo it).
    const read = await deps.store.transaction(async (tx) => {
      const note = await tx.notes.get(ref, now);
      if (note === undefined) throw new HttpError(404, NOT_FOUND);
      const throttleKey = `note\n${note.noteId}\n${addressOf(c)}`;
      if (note.eacp !== null) {
        const wait = await throttle.retryAfter(throttleKey, nowSeconds, rule);
        if (wait > 0) {
          c.header("Retry-After", String(wait));
          throw new HttpError(429, "Too many failed reads of this note; try again later");
        }
      }
      const allowed = callerHoldsKey(caller, note.mode, note.recipientSigningKey) &&
        await eacpSatisfied(tx, caller, note, tokenHash, now);
      if (!allowed) {
        return { taken: undefined, failed: note.eacp === null ? undefined : throttleKey };
      }
      if (note.eacp !== null) await throttle.succeed(throttleKey);
      const taken = await tx.notes.takeView(note.noteId, now);
      if (taken === undefined) throw new HttpError(404, NOT_FOUND);
      return { taken, failed: undefined };
    });
    if (read.taken === undefined) {
      if (read.failed !== undefined) await throttle.fail(read.failed, nowSeconds, rule);
      throw new HttpError(404, NOT_FOUND);
    }
    c.header("Cache-Control", "no-store");
    return c.json(noteJson(read.taken), 200);
  });

  routes.delete("/v2/storage/notes/:noteId", async (c) => {
    const caller = c.get("tsv1");
    const noteId = c.req.param("noteId");
    if (!isUuid(noteId)) throw new HttpError(400, `note_id must be a UUID, got "${noteId}"`);
    const now = deps.clock();
    await deps.store.transaction(async (tx) => {
      const note = await tx.notes.get({ noteId: noteId.toLowerCase() }, now);
      const allowed = note !== undefined &&
        (isWriter(caller, note) || callerHoldsKey(caller, note.mode, note.recipientSigningKey));
      if (!allowed) throw new HttpError(404, NOT_FOUND);
      await tx.notes.delete(note.noteId);
    });
    return c.body(null, 204);
  });

  return routes;
}

/** Builds the row to store from a validated body, refusing keys the note's suite cannot read. */
function newNote(caller: Tsv1Caller, body: ParsedNoteWrite, now: number): NoteRow {
  requireKeys(caller, body);
  const options = resolveNoteOptions(body, caller.clientId === null, now);
  return {
    noteId: randomUuid(),
    idString: options.idString,
    clientId: caller.clientId,
    ownerSigningKey: caller.publicKeyText,
    mode: body.mode,
    recipientSigningKey: body.recipient_signing_key,
    writerSigningKey: body.writer_signing_key,
    writerEncryptionKey: body.writer_encryption_key,
    encryptedAccessKey: body.encrypted_access_key,
    type: body.type,
    data: body.data,
    plain: body.plain,
    fileMeta: body.file_meta,
    signature: body.signature,
    eacp: options.eacp,
    maxViews: options.maxViews,
    views: 0,
    expiration: options.expiration,
    created: now,
  };
}

function requireKeys(caller: Tsv1Caller, body: ParsedNoteWrite): void {
  if (caller.suite.name !== body.mode) {
    throw new HttpError(400, `A ${body.mode} note must be written with a ${body.mode} TSV1 key`);
  }
  const keys = ["recipient_signing_key", "writer_signing_key", "writer_encryption_key"] as const;
  for (const name of keys) {
    if (decodeOrUndefined(caller.suite, body[name]) === undefined) {
      throw new HttpError(400, `${name} is not a valid ${body.mode} public key`);
    }
  }
}

function isWriter(caller: Tsv1Caller, note: NoteRow): boolean {
  if (caller.clientId !== null && caller.clientId === note.clientId) return true;
  return callerHoldsKey(caller, note.mode, note.ownerSigningKey);
}

function noteRef(noteId: string | undefined, idString: string | undefined): NoteRef {
  if (noteId !== undefined && noteId !== "") {
    if (!isUuid(noteId)) throw new HttpError(400, `note_id must be a UUID, got "${noteId}"`);
    return { noteId: noteId.toLowerCase() };
  }
  if (idString !== undefined && idString !== "") return { idString };
  throw new HttpError(400, "Give note_id or id_string");
}

/**
 * Whether a TozID EACP is met: a live access token of the identity whose derived key reads the
 * note. A note without an EACP needs nothing more.
 */
async function eacpSatisfied(
  tx: Store,
  caller: Tsv1Caller,
  note: NoteRow,
  tokenHash: string | undefined,
  now: number,
): Promise<boolean> {
  if (note.eacp === null) return true;
  const realm = tozidRealm(note.eacp);
  if (realm === undefined || tokenHash === undefined) return false;
  const token = await tx.identity.findToken(tokenHash);
  if (token === undefined || token.kind !== "access" || token.expires <= now) return false;
  const identity = await tx.identity.getById(token.identityId);
  return identity !== undefined && identity.realmDomain === realm.toLowerCase() &&
    callerHoldsKey(caller, note.mode, identity.signingKey);
}

/**
 * The JSON answer for a stored note.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * return c.json(noteJson(row), 201);
 * ```
 */
export function noteJson(note: NoteRow): NoteJson {
  return {
    note_id: note.noteId,
    id_string: note.idString ?? "",
    client_id: note.clientId,
    mode: note.mode,
    recipient_signing_key: note.recipientSigningKey,
    writer_signing_key: note.writerSigningKey,
    writer_encryption_key: note.writerEncryptionKey,
    encrypted_access_key: note.encryptedAccessKey,
    type: note.type,
    data: note.data,
    plain: note.plain,
    file_meta: note.fileMeta,
    signature: note.signature,
    created_at: formatTimestamp(note.created),
    max_views: note.maxViews,
    views: note.views,
    expiration: note.expiration === null ? NO_EXPIRATION : formatTimestamp(note.expiration),
    expires: note.expiration !== null,
    eacp: note.eacp,
  };
}
