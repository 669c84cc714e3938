/**
 * Notes on the wire (`/v2/storage/notes`): the write body as a zod schema, tolerant of what
 * E3DB SDKs send (Python's always-null `client_id`, lower-case `"sodium"`, Go's zero
 * `max_views` and `0001-01-01T00:00:00Z` expiration), and the stored-note JSON the server
 * answers with.
 *
 * @module
 */
import { z } from "zod";
import type { NoteCryptoFields } from "../crypto/note_crypto.ts";
import { MAX_NAME_LENGTH } from "./schemas.ts";

export * from "./note_constants.ts";

/** Longest key text accepted (a P-384 PEM in base64url is about 300 characters). */
const MAX_KEY_TEXT = 4096;

const keyText = z.string({ error: "must be a key string" }).min(1, {
  error: "must not be empty",
}).max(MAX_KEY_TEXT, { error: "is too long" });

const stringMap = z
  .record(z.string(), z.string({ error: "values must be strings" }))
  .nullish()
  .transform((map) => map ?? {});

/**
 * The `POST` and `PUT /v2/storage/notes` body as it travels (validated by
 * {@linkcode noteWriteSchema}): the sealed, signed fields `encryptNote` makes (the server
 * refuses a note without `recipient_signing_key`), and the note's options.
 */
export interface NoteWriteRequest extends NoteCryptoFields {
  /** A global name to read the note by; `null` or `""` for none. */
  id_string?: string | null;
  /** Reads allowed, `-1` unlimited; `0`, `null` or absent: the server's default. */
  max_views?: number | null;
  /** Whether the note expires. */
  expires?: boolean | null;
  /** When it expires (RFC 3339), or {@linkcode NO_EXPIRATION}. */
  expiration?: string | null;
  /** Free-form type. */
  type?: string | null;
  /** Clear metadata. */
  plain?: Record<string, string> | null;
  /** File metadata. */
  file_meta?: Record<string, unknown> | null;
  /** Extra access control, e.g. `{"tozid_eacp": {"realm_name": "Acme"}}`; `null` for none. */
  eacp?: Record<string, unknown> | null;
}

/**
 * `POST` and `PUT /v2/storage/notes`. Unknown keys (`note_id`, `created_at`, `record_id`,
 * `is_secret`, ...) are dropped. `mode` becomes `Sodium` or `NIST`; `max_views` of `0`,
 * `null` or absent becomes `null` (the server's default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noteWriteSchema } from "./notes.ts";
 * const body = noteWriteSchema.parse({
 *   mode: "sodium",
 *   recipient_signing_key: "r",
 *   writer_signing_key: "w",
 *   writer_encryption_key: "e",
 *   encrypted_access_key: "ct.nonce",
 *   signature: "signed",
 *   data: { secret: "a.b.c.d" },
 *   client_id: null,
 *   max_views: 0,
 * });
 * assert.equal(body.mode, "Sodium");
 * assert.equal(body.max_views, null);
 * assert.equal(body.id_string, null);
 * ```
 */
export const noteWriteSchema = z.object({
  mode: z
    .string({ error: 'must be "Sodium" or "NIST"' })
    .transform((mode, ctx) => {
      const upper = mode.toUpperCase();
      if (upper === "SODIUM") return "Sodium" as const;
      if (upper === "NIST") return "NIST" as const;
      ctx.addIssue({ code: "custom", message: 'must be "Sodium" or "NIST"' });
      return z.NEVER;
    }),
  recipient_signing_key: keyText,
  writer_signing_key: keyText,
  writer_encryption_key: keyText,
  encrypted_access_key: z.string({ error: "must be a string" }).min(1, {
    error: "must not be empty",
  }).max(MAX_KEY_TEXT, { error: "is too long" }),
  signature: z.string({ error: "must be a string" }).max(MAX_KEY_TEXT, { error: "is too long" }),
  data: z.record(z.string(), z.string({ error: "values must be strings" }), {
    error: "must be an object of strings",
  }),
  type: z.string({ error: "must be a string" }).max(MAX_NAME_LENGTH).nullish().transform((t) =>
    t ?? ""
  ),
  plain: stringMap,
  file_meta: z.record(z.string(), z.unknown()).nullish().transform((meta) => meta ?? {}),
  id_string: z
    .string({ error: "must be a string" })
    .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` })
    .nullish()
    .transform((name) => (name === undefined || name === null || name === "" ? null : name)),
  max_views: z
    .number({ error: "must be an integer" })
    .int({ error: "must be an integer" })
    .refine((n) => n === -1 || n >= 0, { error: "must be -1 (unlimited) or a positive integer" })
    .nullish()
    .transform((n) => (n === undefined || n === null || n === 0 ? null : n)),
  expires: z.boolean({ error: "must be a boolean" }).nullish().transform((b) => b ?? false),
  expiration: z.string({ error: "must be an RFC 3339 time" }).max(64).nullish().transform((t) =>
    t ?? null
  ),
  eacp: z.record(z.string(), z.unknown(), { error: "must be an object" }).nullish().transform((
    eacp,
  ) => (eacp === undefined || eacp === null || Object.keys(eacp).length === 0 ? null : eacp)),
});

/** A note write as {@linkcode noteWriteSchema} returns it (mode and defaults normalised). */
export type ParsedNoteWrite = z.output<typeof noteWriteSchema>;

/**
 * A stored note as the server answers it: the sealed fields as written (`mode` normalised to
 * `Sodium` or `NIST`), and what the server keeps about the note.
 */
export interface NoteJson extends NoteCryptoFields {
  /** Server-assigned UUID. */
  note_id: string;
  /** The note's name, `""` when unnamed. */
  id_string: string;
  /** The writer's client id, or `null` for an anonymous writer. */
  client_id: string | null;
  /** Only the holder of this signing key may read the note. */
  recipient_signing_key: string;
  /** Free-form type. */
  type: string;
  /** Clear metadata. */
  plain: Record<string, string>;
  /** File metadata. */
  file_meta: Record<string, unknown>;
  /** Creation time, RFC 3339 with microseconds. */
  created_at: string;
  /** Reads allowed; `-1` unlimited. */
  max_views: number;
  /** Reads so far (including the one answered). */
  views: number;
  /** Expiry time, or {@linkcode NO_EXPIRATION}. */
  expiration: string;
  /** Whether the note expires. */
  expires: boolean;
  /** The extra access control, or `null`. */
  eacp: Record<string, unknown> | null;
}
