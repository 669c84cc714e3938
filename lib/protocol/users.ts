/**
 * Users on the wire (`/v1/arca/users`, docs/users.md "Wire protocol"): the request bodies as zod
 * schemas (the server validates with them) with their JSON types, and the response bodies.
 * Binary fields are unpadded base64url; `user_id` is the client id; times are E3DB timestamps.
 *
 * @module
 */
import { z } from "zod";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { base64UrlLength, isBase64Url } from "./_encoded.ts";
import { MAX_REMINDER_LENGTH, PASSPHRASE_PROOF_BYTES } from "./user_constants.ts";

export * from "./user_constants.ts";

/** `PUT /v1/arca/users/me/key-file` as it travels. */
export interface KeyFileUploadBody {
  /** The whole sealed key file (base64url). */
  key_file: string;
  /** SHA-256 of the passphrase proof, 32 bytes (base64url). */
  passphrase_verifier: string;
  /** The public reminder; required on the first upload (may be `""`), kept when omitted later. */
  reminder?: string;
}

/** `POST /v1/arca/users/{id}/key-file` as it travels. */
export interface KeyFileProofBody {
  /** The passphrase proof, 32 bytes (base64url). */
  proof: string;
}

const bytesField = z.string({ error: "must be a base64url string" })
  .refine(isBase64Url, { error: "must be base64url" })
  .transform((text) => decodeBase64Url(text));

const proofField = z.string({ error: "must be a base64url string" })
  .refine((text) => base64UrlLength(text) === PASSPHRASE_PROOF_BYTES, {
    error: `must be ${PASSPHRASE_PROOF_BYTES} bytes in base64url`,
  })
  .transform((text) => decodeBase64Url(text));

/**
 * `PUT /v1/arca/users/me/key-file`: decodes the binary fields; `reminder` stays `undefined`
 * when absent. Unknown keys are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileUploadSchema } from "./users.ts";
 * const body = keyFileUploadSchema.parse({
 *   key_file: "QVJDQUtG",
 *   passphrase_verifier: "A".repeat(43),
 *   reminder: "the blue house",
 * });
 * assert.equal(body.key_file.length, 6);
 * assert.equal(body.passphrase_verifier.length, 32);
 * assert.equal(keyFileUploadSchema.safeParse({ key_file: "QVJDQUtG" }).success, false);
 * ```
 */
export const keyFileUploadSchema = z.object({
  key_file: bytesField,
  passphrase_verifier: proofField,
  reminder: z.string({ error: "must be a string" })
    .max(MAX_REMINDER_LENGTH, { error: `must be at most ${MAX_REMINDER_LENGTH} characters` })
    .optional(),
}, { error: "must be an object with key_file and passphrase_verifier" });

/**
 * `POST /v1/arca/users/{id}/key-file`: decodes the proof.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileProofSchema } from "./users.ts";
 * assert.equal(keyFileProofSchema.parse({ proof: "A".repeat(43) }).proof.length, 32);
 * assert.equal(keyFileProofSchema.safeParse({ proof: "AAAA" }).success, false);
 * ```
 */
export const keyFileProofSchema = z.object({ proof: proofField }, {
  error: "must be an object with proof",
});

/** `PUT /v1/arca/users/me/key-file` → 201 (first upload) or 200 (replaced). */
export interface KeyFileUploadResponse {
  /** The user's id (its client id). */
  user_id: string;
  /** Lower-case hex SHA-256 of the key file bytes. */
  checksum: string;
  /** When the key file was stored. */
  updated_at: string;
}

/** `GET /v1/arca/users/me/key-file` and `POST /v1/arca/users/{id}/key-file` → 200. */
export interface KeyFileResponse {
  /** The user's id. */
  user_id: string;
  /** The sealed key file (base64url). */
  key_file: string;
  /** Lower-case hex SHA-256 of the key file bytes. */
  checksum: string;
  /** When the key file was last uploaded. */
  updated_at: string;
}

/** `GET /v1/arca/users/me` → 200. */
export interface UserInfoResponse {
  /** The user's id. */
  user_id: string;
  /** Lower-case hex SHA-256 of the key file bytes. */
  checksum: string;
  /** When the key file was last uploaded. */
  updated_at: string;
  /** The public reminder. */
  reminder: string;
  /** Successful downloads by passphrase proof. */
  key_file_downloads: number;
  /** Downloads refused for a wrong proof. */
  failed_key_file_downloads: number;
}

/** `GET /v1/arca/users/{id}/reminder` → 200. */
export interface ReminderResponse {
  /** The user's id. */
  user_id: string;
  /** The public reminder. */
  reminder: string;
}

/** `GET /v1/arca/users/{id}/key-file/kdf` → 200. */
export interface KeyFileKdfResponse {
  /** The user's id. */
  user_id: string;
  /** The key file's 48-byte header (base64url): suite, KDF costs and salts. */
  header: string;
}
