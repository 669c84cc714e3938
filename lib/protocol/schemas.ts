/**
 * Request bodies of the E3DB storage API (and Arca's admin API) as zod schemas. The server
 * validates every body with these; the SDK may use them to check what it sends.
 *
 * Unknown keys are dropped, never rejected: E3DB clients send extras (`created`, `type`, ...).
 *
 * @module
 */
import { z } from "zod";
import { isBase64Url, isDottedBase64Url } from "./_encoded.ts";
import { isUuid } from "./ids.ts";
import {
  type PublicKeyJson,
  publicKeySchema,
  type SigningKeyJson,
  signingKeySchema,
} from "./keys.ts";
import { MAX_NAME_LENGTH } from "./name_limits.ts";

export { MAX_NAME_LENGTH };

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
 * The `POST /v1/account/e3db/clients/register` body as it travels (validated by
 * {@linkcode registrationRequestSchema}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RegistrationRequest } from "./schemas.ts";
 * const body = {
 *   token: "t",
 *   client: { name: "a", public_key: { curve25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" } },
 * } satisfies RegistrationRequest;
 * assert.equal(body.client.name, "a");
 * ```
 */
export interface RegistrationRequest {
  /** The registration token. */
  token: string;
  /** The new client. */
  client: {
    /** Its name. */
    name: string;
    /** Its encryption public key. */
    public_key: PublicKeyJson;
    /** Its signing key (E3DB's version-2 clients); absent or `null` for none. */
    signing_key?: SigningKeyJson | null;
  };
}

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

/**
 * The `POST /v1/storage/records` body as it travels (validated by
 * {@linkcode recordWriteSchema}): clear metadata, fields encrypted as `edk.edkN.ef.efN`, and
 * the writer's signature when it signs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RecordWriteRequest, recordWriteSchema } from "./schemas.ts";
 * const id = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const body = { meta: { writer_id: id, user_id: id, type: "t" }, data: {} } satisfies RecordWriteRequest;
 * assert.equal(recordWriteSchema.parse(body).rec_sig, null);
 * ```
 */
export interface RecordWriteRequest {
  /** Who writes, for whom, what type, and the clear metadata (`null`/absent: `{}`). */
  meta: {
    /** The writer: the caller. */
    writer_id: string;
    /** The user (subject): the caller. */
    user_id: string;
    /** The record type. */
    type: string;
    /** Clear metadata. */
    plain?: Record<string, string> | null;
    /**
     * Arca: the id the record gets (a UUID the writer chose, so that it can sign it); the server
     * picks one when absent, and answers 409 when the id is taken.
     */
    record_id?: string;
    /** Arca: the version the record gets (a UUID the writer chose); random when absent. */
    next_version?: string;
  };
  /** Field name → encrypted field (`null`/absent: `{}`). */
  data?: Record<string, string> | null;
  /** The writer's record signature (base64url), when it signs. */
  rec_sig?: string | null;
}

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
    record_id: uuidSchema.optional(),
    next_version: uuidSchema.optional(),
  }, { error: "must be an object" }),
  data: recordDataSchema,
  rec_sig: recordSignatureSchema,
});

/**
 * The `PUT /v1/storage/records/safe/{id}/{version}` body as it travels (validated by
 * {@linkcode recordUpdateSchema}). Meta ids, when sent, must match the stored record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RecordUpdateRequest } from "./schemas.ts";
 * const body = { meta: { type: "t", plain: { house: "Stark" } }, data: {} } satisfies RecordUpdateRequest;
 * assert.equal(body.meta.plain.house, "Stark");
 * ```
 */
export interface RecordUpdateRequest {
  /** The record's ids and type (each optional) and its new clear metadata. */
  meta: {
    /** The record's id. */
    record_id?: string;
    /** The version being replaced (the path names it too). */
    version?: string;
    /** The writer. */
    writer_id?: string;
    /** The user. */
    user_id?: string;
    /** The record type. */
    type?: string;
    /** The new clear metadata. */
    plain?: Record<string, string> | null;
    /**
     * Arca: the version the record gets (a UUID the writer chose, so that it can sign it; it must
     * differ from the version replaced); random when absent.
     */
    next_version?: string;
  };
  /** The new encrypted fields. */
  data?: Record<string, string> | null;
  /** The writer's signature of the new record. */
  rec_sig?: string | null;
}

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
    next_version: uuidSchema.optional(),
  }, { error: "must be an object" }),
  data: recordDataSchema,
  rec_sig: recordSignatureSchema,
});

/** A record update as {@linkcode recordUpdateSchema} returns it. */
export type ParsedRecordUpdate = z.output<typeof recordUpdateSchema>;

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

/** The `PUT /v1/storage/access_keys/...` body: the EAK as `ciphertext.nonce` in base64url. */
export interface AccessKeyPutRequest {
  /** The access key boxed for the reader. */
  eak: string;
}

/** One policy action: `{"read": {}}`, `{"authorizer": {}}` or `{"edit": {}}`. */
export type PolicyAction =
  | { read: Record<string, never> }
  | { authorizer: Record<string, never> }
  | { edit: Record<string, never> };

/**
 * The `PUT /v1/storage/policy/{user}/{writer}/{reader}/{type}` body as it travels (validated by
 * {@linkcode policyPutSchema}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PolicyPutRequest } from "./schemas.ts";
 * const allowRead = { allow: [{ read: {} }] } satisfies PolicyPutRequest;
 * assert.equal(JSON.stringify(allowRead), '{"allow":[{"read":{}}]}');
 * ```
 */
export interface PolicyPutRequest {
  /** Actions to allow. */
  allow?: PolicyAction[] | null;
  /** Actions to deny. */
  deny?: PolicyAction[] | null;
}

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

/** A policy PUT as {@linkcode policyPutSchema} returns it (absent lists become `[]`). */
export type ParsedPolicyPut = z.output<typeof policyPutSchema>;
