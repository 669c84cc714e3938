/**
 * Request bodies of the E3DB storage API (and Arca's admin API) as zod schemas. The server
 * validates every body with these; the SDK may use them to check what it sends.
 *
 * Unknown keys are dropped, never rejected: E3DB clients send extras (`created`, `type`, ...).
 *
 * @module
 */
import { z } from "zod";
import { isBase64Url, isDottedBase64Url } from "./encoded.ts";
import { isUuid } from "./ids.ts";
import { publicKeySchema, signingKeySchema } from "./keys.ts";

/** Longest record type, client name or token name accepted. */
export const MAX_NAME_LENGTH = 1024;

/**
 * A UUID string, lower-cased.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uuidSchema } from "./schemas.ts";
 * assert.equal(uuidSchema.safeParse("nope").success, false);
 * ```
 */
export const uuidSchema: z.ZodType<string, unknown> = z
  .string({ error: "must be a UUID string" })
  .refine(isUuid, { error: "must be a UUID" })
  .transform((id) => id.toLowerCase());

/**
 * A record type: a non-empty string of at most {@linkcode MAX_NAME_LENGTH} characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordTypeSchema } from "./schemas.ts";
 * assert.equal(recordTypeSchema.parse("contact"), "contact");
 * ```
 */
export const recordTypeSchema: z.ZodType<string, unknown> = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` });

/**
 * Clear `plain` metadata: string keys to string values. `null` or absent means `{}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainSchema } from "./schemas.ts";
 * assert.deepEqual(plainSchema.parse(null), {});
 * ```
 */
export const plainSchema: z.ZodType<Record<string, string>, unknown> = z
  .record(z.string(), z.string({ error: "values must be strings" }))
  .nullish()
  .transform((plain) => plain ?? {});

const ENCRYPTED_FIELD_MESSAGE = "values must be encrypted fields (edk.edkN.ef.efN, base64url)";

/**
 * Encrypted record data: field name to dotted quad `edk.edkN.ef.efN`. `null` or absent means `{}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordDataSchema } from "./schemas.ts";
 * assert.equal(recordDataSchema.safeParse({ name: "plain text" }).success, false);
 * ```
 */
export const recordDataSchema: z.ZodType<Record<string, string>, unknown> = z
  .unknown()
  // One pass over the fields instead of a zod schema per value: a record carries up to
  // megabytes of fields, and this check runs on every write.
  .transform((data, ctx) => {
    if (data === null || data === undefined) return {};
    if (typeof data !== "object" || Array.isArray(data)) {
      ctx.addIssue({ code: "custom", message: "must be an object of encrypted fields" });
      return z.NEVER;
    }
    for (const [name, field] of Object.entries(data)) {
      if (!isDottedBase64Url(field, 4)) {
        ctx.addIssue({ code: "custom", path: [name], message: ENCRYPTED_FIELD_MESSAGE });
        return z.NEVER;
      }
    }
    return data as Record<string, string>;
  });

/**
 * A record signature (`rec_sig`): base64url, or `null`/absent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordSignatureSchema } from "./schemas.ts";
 * assert.equal(recordSignatureSchema.parse(undefined), null);
 * ```
 */
export const recordSignatureSchema: z.ZodType<string | null, unknown> = z
  .string({ error: "must be a base64url string" })
  .max(4096, { error: "is too long" })
  .refine(isBase64Url, { error: "must be base64url" })
  .nullish()
  .transform((sig) => sig ?? null);

/**
 * `POST /v1/account/e3db/clients/register`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registrationRequestSchema } from "./schemas.ts";
 * const body = registrationRequestSchema.parse({
 *   token: "t",
 *   client: { name: "a", public_key: { curve25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" } },
 * });
 * assert.equal(body.client.signing_key, null);
 * ```
 */
export const registrationRequestSchema = z.object({
  token: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(
    MAX_NAME_LENGTH,
  ),
  client: z.object({
    name: z.string({ error: "must be a string" }).max(MAX_NAME_LENGTH),
    public_key: publicKeySchema,
    signing_key: signingKeySchema.nullish().transform((key) => key ?? null),
  }, { error: "must be an object" }),
});

/** A parsed registration request. */
export type RegistrationRequest = z.output<typeof registrationRequestSchema>;

/**
 * `POST /v1/storage/records`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordWriteSchema } from "./schemas.ts";
 * const id = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const body = recordWriteSchema.parse({ meta: { writer_id: id, user_id: id, type: "t" }, data: {} });
 * assert.deepEqual(body.meta.plain, {});
 * ```
 */
export const recordWriteSchema = z.object({
  meta: z.object({
    writer_id: uuidSchema,
    user_id: uuidSchema,
    type: recordTypeSchema,
    plain: plainSchema,
  }, { error: "must be an object" }),
  data: recordDataSchema,
  rec_sig: recordSignatureSchema,
});

/** A parsed record write. */
export type RecordWriteRequest = z.output<typeof recordWriteSchema>;

/**
 * `PUT /v1/storage/records/safe/{id}/{version}`. Meta ids, when sent, must match the stored
 * record; `created`/`last_modified` are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordUpdateSchema } from "./schemas.ts";
 * assert.deepEqual(recordUpdateSchema.parse({ meta: {}, data: {} }).meta.plain, {});
 * ```
 */
export const recordUpdateSchema = z.object({
  meta: z.object({
    record_id: uuidSchema.optional(),
    version: z.string().optional(),
    writer_id: uuidSchema.optional(),
    user_id: uuidSchema.optional(),
    type: recordTypeSchema.optional(),
    plain: plainSchema,
  }, { error: "must be an object" }),
  data: recordDataSchema,
  rec_sig: recordSignatureSchema,
});

/** A parsed record update. */
export type RecordUpdateRequest = z.output<typeof recordUpdateSchema>;

/**
 * `PUT /v1/storage/access_keys/{writer}/{user}/{reader}/{type}`: `{"eak": "ct.nonce"}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accessKeyPutSchema } from "./schemas.ts";
 * assert.equal(accessKeyPutSchema.safeParse({ eak: "AQID.BAUG" }).success, true);
 * ```
 */
export const accessKeyPutSchema = z.object({
  eak: z.string({ error: "must be a string" }).max(8192, { error: "is too long" }).refine(
    (v) => isDottedBase64Url(v, 2),
    { error: "must be ciphertext.nonce in base64url" },
  ),
});

/** A parsed access key PUT. */
export type AccessKeyPutRequest = z.output<typeof accessKeyPutSchema>;

const policyActionSchema = z
  .strictObject({
    read: z.object({}).optional(),
    authorizer: z.object({}).optional(),
    edit: z.object({}).optional(),
  }, { error: "must be objects with read, authorizer or edit" })
  .refine((action) => Object.keys(action).length > 0, {
    error: "must name read, authorizer or edit",
  });

/**
 * `PUT /v1/storage/policy/{user}/{writer}/{reader}/{type}`: `{"allow": [{"read": {}}]}`,
 * `{"deny": [{"authorizer": {}}]}`, ... (`edit` is accepted and stored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { policyPutSchema } from "./schemas.ts";
 * assert.deepEqual(policyPutSchema.parse({ allow: [{ read: {} }] }).deny, []);
 * ```
 */
export const policyPutSchema = z
  .object({
    allow: z.array(policyActionSchema).nullish().transform((list) => list ?? []),
    deny: z.array(policyActionSchema).nullish().transform((list) => list ?? []),
  })
  .refine((policy) => policy.allow.length + policy.deny.length > 0, {
    error: "policy must allow or deny something",
  });

/** A parsed policy PUT. */
export type PolicyPutRequest = z.output<typeof policyPutSchema>;

/**
 * `POST /v1/arca/admin/tokens`: `{"name": "...", "one_time": true}` (both optional; tokens are
 * one-time unless `one_time` is `false`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminTokenCreateSchema } from "./schemas.ts";
 * assert.equal(adminTokenCreateSchema.parse({}).one_time, true);
 * ```
 */
export const adminTokenCreateSchema = z.object({
  name: z.string({ error: "must be a string" }).max(MAX_NAME_LENGTH).optional().transform((n) =>
    n ?? ""
  ),
  one_time: z.boolean({ error: "must be a boolean" }).optional().transform((o) => o ?? true),
});

/** A parsed admin token creation. */
export type AdminTokenCreateRequest = z.output<typeof adminTokenCreateSchema>;
