/**
 * Containers on the wire (`/v1/arca/containers`, docs/containers.md "Wire protocol"): the
 * request bodies as zod schemas (the server validates with them) with their JSON types, and the
 * response bodies. Binary fields are unpadded base64url; ids are lower-case UUIDs; `user_id` is
 * a client id; times are integer microseconds since the Unix epoch.
 *
 * @module
 */
import { z } from "zod";
import { base64UrlLength, isBase64Url } from "./_encoded.ts";
import { MAX_NAME_LENGTH, uuidSchema } from "./schemas.ts";
import {
  MAX_ACCESS_ENTRIES,
  MAX_KEY_BLOB_FIELD_LENGTH,
  MAX_PERMISSIONS,
} from "./container_constants.ts";

export * from "./container_constants.ts";

/** A key blob: the container key encrypted to one user, signed by its writer. */
export interface KeyBlobJson {
  /** The client that wrote (and signed) it. */
  writer_id: string;
  /** The container key encrypted to the recipient (opaque to the server). */
  encrypted_key: string;
  /** The writer's signature (base64url; opaque to the server). */
  signature: string;
}

/** One access entry as the server answers it. */
export interface ContainerAccessJson {
  /** Who has access. */
  user_id: string;
  /** The 7-bit permission set (0..127). */
  permissions: number;
  /** When the access ends (µs), or `null` for never. */
  expiration: number | null;
  /** Who granted it. */
  granted_by: string;
}

/** One access entry in a request. */
export interface ContainerAccessInput {
  /** Who gets access (a registered client). */
  user_id: string;
  /** The 7-bit permission set (0..127). */
  permissions: number;
  /** When the access ends (µs), or `null`/absent for never. */
  expiration?: number | null;
  /** The user's key blob of the (new) version; required with `container.decrypt`. */
  key_blob?: KeyBlobJson | null;
}

/** A container as every container endpoint answers it (the caller's view). */
export interface ContainerJson {
  /** The container's id. */
  container_id: string;
  /** Clear type; `null` when unset or without `container.type.view`. */
  type: string | null;
  /** The current version (≥ 1). */
  version: number;
  /** When it was created (µs). */
  created_at: number;
  /** Who created it. */
  created_by: string;
  /** When it last changed (µs). */
  modified_at: number;
  /** Who changed it last. */
  modified_by: string;
  /** Plaintext content bytes as declared by the writer. */
  length: number;
  /** Sealed content bytes. */
  content_size: number;
  /** The access list (only the caller's own entry without `access.view`). */
  access: ContainerAccessJson[];
  /** The caller's key blob of the current version; `null` without `container.decrypt`. */
  key_blob: KeyBlobJson | null;
  /** The sealed header (base64url); `null` without `container.download` or when none. */
  header: string | null;
  /** The sealed content (base64url), only when asked inline and small enough. */
  content: string | null;
}

/** `GET /v1/arca/containers`. */
export interface ContainerListResponse {
  /** The containers (without header, content and key blob: those are `null`). */
  containers: ContainerJson[];
  /** Pass as `after` for the next page; `null` on the last page. */
  next: string | null;
}

/** `POST /v1/arca/containers` as it travels. */
export interface ContainerCreateBody {
  /** The new container's id (a UUID the client chooses). */
  container_id: string;
  /** Clear type (1..1024 characters), or absent/`null`. */
  type?: string | null;
  /** Plaintext content bytes. */
  length: number;
  /** The sealed header (base64url), or absent/`null` for none. */
  header?: string | null;
  /** The sealed content inline (base64url); or `content_size` and a PUT. */
  content?: string;
  /** The sealed content's size when it is uploaded with a PUT. */
  content_size?: number;
  /** The access list (at least one entry). */
  access: ContainerAccessInput[];
}

/** `PATCH /v1/arca/containers/{id}` as it travels (at least one field). */
export interface ContainerUpdateBody {
  /** A new type (`null` clears it). */
  type?: string | null;
  /** The new version (current + 1), required with new header or content. */
  version?: number;
  /** Plaintext bytes of the new content. */
  length?: number;
  /** A new sealed header (`null`: none). */
  header?: string | null;
  /** New sealed content inline. */
  content?: string;
  /** Size of new sealed content uploaded with a PUT. */
  content_size?: number;
  /** The complete new access list. */
  access?: ContainerAccessInput[];
}

const microsSchema = z.number({ error: "must be an integer (microseconds)" })
  .int({ error: "must be an integer (microseconds)" })
  .min(0, { error: "must be >= 0" })
  .max(Number.MAX_SAFE_INTEGER, { error: "is too large" });

const sizeSchema = z.number({ error: "must be an integer" })
  .int({ error: "must be an integer" })
  .min(0, { error: "must be >= 0" })
  .max(Number.MAX_SAFE_INTEGER, { error: "is too large" });

const base64UrlSchema = z.string({ error: "must be a base64url string" })
  .refine(isBase64Url, { error: "must be unpadded base64url" });

const typeSchema = z.string({ error: "must be a string or null" })
  .min(1, { error: "must not be empty" })
  .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` })
  .nullable();

const keyBlobField = (name: string) =>
  z.string({ error: "must be a string" })
    .min(1, { error: `${name} must not be empty` })
    .max(MAX_KEY_BLOB_FIELD_LENGTH, {
      error: `must be at most ${MAX_KEY_BLOB_FIELD_LENGTH} characters`,
    });

/**
 * A key blob in a request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyBlobSchema } from "./containers.ts";
 * const blob = {
 *   writer_id: "8a1b7c1e-3f4d-4c1a-9e2b-0123456789ab",
 *   encrypted_key: "k",
 *   signature: "c2ln",
 * };
 * assert.deepEqual(keyBlobSchema.parse(blob), blob);
 * assert.equal(keyBlobSchema.safeParse({ ...blob, signature: "==" }).success, false);
 * ```
 */
export const keyBlobSchema = z.object({
  writer_id: uuidSchema,
  encrypted_key: keyBlobField("encrypted_key"),
  signature: keyBlobField("signature").refine(isBase64Url, {
    error: "must be unpadded base64url",
  }),
}, { error: "must be an object with writer_id, encrypted_key and signature" });

const accessEntrySchema = z.object({
  user_id: uuidSchema,
  permissions: z.number({ error: "must be an integer 0..127" })
    .int({ error: "must be an integer 0..127" })
    .min(0, { error: "must be an integer 0..127" })
    .max(MAX_PERMISSIONS, { error: "must be an integer 0..127" }),
  expiration: microsSchema.nullable().optional(),
  key_blob: keyBlobSchema.nullable().optional(),
}, { error: "must be an object with user_id and permissions" });

/**
 * An access list in a request: 1..{@linkcode MAX_ACCESS_ENTRIES} entries, each user once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accessListSchema } from "./containers.ts";
 * const user_id = "8a1b7c1e-3f4d-4c1a-9e2b-0123456789ab";
 * assert.equal(accessListSchema.parse([{ user_id, permissions: 11 }]).length, 1);
 * assert.equal(accessListSchema.safeParse([]).success, false);
 * ```
 */
export const accessListSchema = z.array(accessEntrySchema, { error: "must be an array" })
  .min(1, { error: "must list at least one user" })
  .max(MAX_ACCESS_ENTRIES, { error: `must have at most ${MAX_ACCESS_ENTRIES} entries` })
  .superRefine((entries, context) => {
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry.user_id)) {
        context.addIssue({ code: "custom", message: `lists user ${entry.user_id} twice` });
        return;
      }
      seen.add(entry.user_id);
    }
  });

/** A parsed access entry. */
export type ParsedAccessEntry = z.output<typeof accessEntrySchema>;

/**
 * `POST /v1/arca/containers`: exactly one of `content` and `content_size`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerCreateSchema } from "./containers.ts";
 * const user_id = "8a1b7c1e-3f4d-4c1a-9e2b-0123456789ab";
 * const body = {
 *   container_id: "0d2f3c4b-5a69-4788-97a6-b5c4d3e2f100",
 *   length: 3,
 *   content: "AAEC",
 *   access: [{ user_id, permissions: 127 }],
 * };
 * assert.equal(containerCreateSchema.parse(body).length, 3);
 * assert.equal(containerCreateSchema.safeParse({ ...body, content_size: 3 }).success, false);
 * ```
 */
export const containerCreateSchema = z.object({
  container_id: uuidSchema,
  type: typeSchema.optional(),
  length: sizeSchema,
  header: base64UrlSchema.nullable().optional(),
  content: base64UrlSchema.optional(),
  content_size: sizeSchema.optional(),
  access: accessListSchema,
}, { error: "must be an object with container_id, length, content or content_size, access" })
  .refine((body) => (body.content === undefined) !== (body.content_size === undefined), {
    error: "give exactly one of content (inline) and content_size (uploaded with PUT)",
  });

/** A parsed `POST /v1/arca/containers` body. */
export type ParsedContainerCreate = z.output<typeof containerCreateSchema>;

/**
 * `PATCH /v1/arca/containers/{id}`: at least one of `type`, `header`, `content`,
 * `content_size`, `access`. A new version (re-key) is a whole new sealed container: `version`,
 * `length`, `content` or `content_size` (not both), the complete `access` list, and `header`
 * (absent or `null`: none), since both parts are sealed under the version's key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerUpdateSchema } from "./containers.ts";
 * assert.equal(containerUpdateSchema.parse({ type: "memo" }).type, "memo");
 * assert.equal(containerUpdateSchema.safeParse({}).success, false);
 * assert.equal(containerUpdateSchema.safeParse({ header: "AA" }).success, false); // no version
 * ```
 */
export const containerUpdateSchema = z.object({
  type: typeSchema.optional(),
  version: z.number({ error: "must be an integer >= 2" })
    .int({ error: "must be an integer >= 2" })
    .min(2, { error: "must be an integer >= 2" })
    .max(2 ** 31 - 1, { error: "is too large" })
    .optional(),
  length: sizeSchema.optional(),
  header: base64UrlSchema.nullable().optional(),
  content: base64UrlSchema.optional(),
  content_size: sizeSchema.optional(),
  access: accessListSchema.optional(),
}, { error: "must be an object" })
  .refine(
    (body) =>
      body.type !== undefined || body.header !== undefined || body.content !== undefined ||
      body.content_size !== undefined || body.access !== undefined,
    { error: "give at least one of type, header, content, content_size, access" },
  )
  .refine((body) => body.content === undefined || body.content_size === undefined, {
    error: "give content (inline) or content_size (uploaded with PUT), not both",
  })
  .refine(
    (body) =>
      (body.version === undefined && body.header === undefined && body.content === undefined &&
        body.content_size === undefined) ||
      (body.version !== undefined && body.length !== undefined &&
        (body.content !== undefined || body.content_size !== undefined) &&
        body.access !== undefined),
    {
      error: "a new version needs version (the current version + 1), length, content or " +
        "content_size, and the complete access list (header and content are sealed per version)",
    },
  );

/** A parsed `PATCH /v1/arca/containers/{id}` body. */
export type ParsedContainerUpdate = z.output<typeof containerUpdateSchema>;

/**
 * The number of bytes an inline `content` (unpadded base64url, as the schemas accept it)
 * decodes to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inlineContentBytes } from "./containers.ts";
 * assert.equal(inlineContentBytes("AAEC"), 3);
 * ```
 */
export function inlineContentBytes(content: string): number {
  return base64UrlLength(content) ?? 0;
}
