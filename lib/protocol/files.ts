/**
 * Wire shapes of large files (`/v1/storage/files`, E3DB §2.10): the upload request, the pending
 * file answer, and `file_meta`.
 *
 * @module
 */
import { z } from "zod";
import type { FileChecksum } from "../crypto/file_checksum.ts";
import {
  plainSchema,
  recordDataSchema,
  recordSignatureSchema,
  recordTypeSchema,
  type RecordWriteRequest,
  uuidSchema,
} from "./schemas.ts";
import { FILE_COMPRESSION_RAW, isFileChecksum, MAX_FILE_BYTES } from "./file_constants.ts";

export * from "./file_constants.ts";

const checksumSchema = z.string({ error: "must be a string" }).refine(isFileChecksum, {
  error: "must be the standard base64 of a 16-byte MD5 digest",
});

const sizeSchema = z.number({ error: "must be a number" })
  .int({ error: "must be a whole number of bytes" })
  .min(0, { error: "must not be negative" })
  .max(MAX_FILE_BYTES, { error: `must be at most ${MAX_FILE_BYTES} bytes` });

/**
 * `meta.file_meta` of the `POST /v1/storage/files` body as it travels (validated by
 * {@linkcode fileMetaRequestSchema}).
 */
export interface FileMetaRequest {
  /** Standard padded base64 MD5 of the encrypted file (Arca's SDK sends it with the commit). */
  checksum?: string | null;
  /** `raw` (the default). */
  compression?: string | null;
  /** Encrypted size in bytes, when known. */
  size?: number | null;
}

/**
 * `meta.file_meta` of `POST /v1/storage/files`: checksum and size of the encrypted file. E3DB
 * clients always send both. Arca's SDK streams the encryption straight into the upload, so it
 * may leave out the checksum (and the size, for a stream of unknown length) and send them with
 * the commit instead (see {@linkcode fileCommitSchema}); absent values become `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileMetaRequestSchema } from "./files.ts";
 * const meta = fileMetaRequestSchema.parse({ checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", size: 0 });
 * assert.equal(meta.compression, "raw");
 * assert.equal(fileMetaRequestSchema.parse({}).checksum, null);
 * ```
 */
export const fileMetaRequestSchema = z.object({
  checksum: checksumSchema.nullish().transform((checksum) => checksum ?? null),
  compression: z.string({ error: "must be a string" })
    .regex(/^[a-z0-9_-]{1,32}$/, { error: "must be a short lower-case name such as raw" })
    .nullish()
    .transform((compression) => compression ?? FILE_COMPRESSION_RAW),
  size: sizeSchema.nullish().transform((size) => size ?? null),
}, { error: "must be an object with checksum and size" });

/**
 * The optional body of `PATCH /v1/storage/files/{id}` (an Arca extension; E3DB sends none):
 * the checksum and size the client computed while it uploaded. The server commits only if they
 * match what it received.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileCommitSchema } from "./files.ts";
 * const body = fileCommitSchema.parse({ file_meta: { checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", size: 0 } });
 * assert.equal(body.file_meta.size, 0);
 * ```
 */
export const fileCommitSchema = z.object({
  file_meta: z.object({ checksum: checksumSchema, size: sizeSchema }, {
    error: "must be an object with checksum and size",
  }),
});

/** The `PATCH /v1/storage/files/{id}` body: what {@linkcode fileCommitSchema} accepts. */
export interface FileCommitRequest {
  /** Checksum and size of the encrypted bytes as the client sent them. */
  file_meta: FileChecksum;
}

/**
 * `POST /v1/storage/files`: the record to create once the bytes are uploaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileWriteSchema } from "./files.ts";
 * const id = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const body = fileWriteSchema.parse({
 *   meta: {
 *     writer_id: id, user_id: id, type: "large_files",
 *     file_meta: { checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", compression: "raw", size: 0 },
 *   },
 *   data: {},
 * });
 * assert.deepEqual(body.meta.plain, {});
 * ```
 */
export const fileWriteSchema = z.object({
  meta: z.object({
    writer_id: uuidSchema,
    user_id: uuidSchema,
    type: recordTypeSchema,
    plain: plainSchema,
    file_meta: fileMetaRequestSchema,
  }, { error: "must be an object" }),
  data: recordDataSchema,
  rec_sig: recordSignatureSchema,
});

/**
 * The `POST /v1/storage/files` body as it travels (validated by {@linkcode fileWriteSchema}):
 * a record write whose `meta` carries `file_meta`; `data` stays empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FileWriteRequest, fileWriteSchema } from "./files.ts";
 * const id = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const body = {
 *   meta: { writer_id: id, user_id: id, type: "docs", plain: {}, file_meta: { compression: "raw" } },
 *   data: {},
 * } satisfies FileWriteRequest;
 * assert.equal(fileWriteSchema.parse(body).meta.file_meta.size, null);
 * ```
 */
export interface FileWriteRequest {
  /** Who writes, for whom, what type, clear metadata, and the file's metadata. */
  meta: RecordWriteRequest["meta"] & { file_meta: FileMetaRequest };
  /** Always empty for a file. */
  data?: Record<string, string> | null;
  /** The writer's record signature, when it signs. */
  rec_sig?: string | null;
}

/** `POST /v1/storage/files` → 202. */
export interface PendingFileResponse {
  /** The pending file's id, for `PATCH /v1/storage/files/{id}`. */
  id: string;
  /** Absolute URL to PUT the encrypted bytes to (no `Authorization` header; single use). */
  file_url: string;
}

/** `meta.file_meta` of a file record. */
export interface FileMetaJson {
  /** Standard padded base64 MD5 of the encrypted file. */
  checksum: string;
  /** `raw`. */
  compression: string;
  /** Encrypted size in bytes. */
  size: number;
  /** A fresh signed download URL (empty where none was issued, e.g. in query results). */
  file_url: string;
  /** The server's name for the bytes: the pending file id and its creation time. */
  file_name: string;
}
