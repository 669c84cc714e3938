/**
 * Arca's admin API on the wire (`/v1/arca/admin/...`, bearer = the server's admin token):
 * registration tokens and the client list. The server builds these bodies, the SDK's
 * `AdminClient` sends and reads them.
 *
 * @module
 */
import { z } from "zod";
import type { PublicKeyJson, SigningKeyJson } from "./keys.ts";
import { MAX_NAME_LENGTH } from "./schemas.ts";

/**
 * The `POST /v1/arca/admin/tokens` body as it travels (validated by
 * {@linkcode adminTokenCreateSchema}); an empty body means `{}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AdminTokenCreateRequest, adminTokenCreateSchema } from "./admin.ts";
 * const body = { name: "laptop" } satisfies AdminTokenCreateRequest;
 * assert.equal(adminTokenCreateSchema.parse(body).one_time, true);
 * ```
 */
export interface AdminTokenCreateRequest {
  /** A label (default `""`). */
  name?: string;
  /** Whether the token works once (default true). */
  one_time?: boolean;
}

/**
 * `POST /v1/arca/admin/tokens`: `{"name": "...", "one_time": true}` (both optional; tokens are
 * one-time unless `one_time` is `false`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminTokenCreateSchema } from "./admin.ts";
 * assert.equal(adminTokenCreateSchema.parse({}).one_time, true);
 * ```
 */
export const adminTokenCreateSchema = z.object({
  name: z.string({ error: "must be a string" }).max(MAX_NAME_LENGTH).optional().transform((n) =>
    n ?? ""
  ),
  one_time: z.boolean({ error: "must be a boolean" }).optional().transform((o) => o ?? true),
});

/** A registration token as `GET /v1/arca/admin/tokens` lists it (never the token itself). */
export interface RegistrationTokenJson {
  /** The token's id (UUID). */
  token_id: string;
  /** Its label. */
  name: string;
  /** Whether it works only once. */
  one_time: boolean;
  /** How many clients registered with it. */
  uses: number;
  /** Whether it was revoked. */
  revoked: boolean;
  /** When it was made (E3DB timestamp). */
  created: string;
}

/** `POST /v1/arca/admin/tokens` → 201: the new token, with its value (shown only here). */
export interface IssuedRegistrationTokenJson extends RegistrationTokenJson {
  /** The token to register clients with. */
  token: string;
}

/** A client as `GET /v1/arca/admin/clients` lists it. */
export interface AdminClientJson {
  /** The client's id. */
  client_id: string;
  /** Its name. */
  name: string;
  /** Its encryption public key. */
  public_key: PublicKeyJson;
  /** Its signing key, or `null`. */
  signing_key: SigningKeyJson | null;
  /** When it registered (E3DB timestamp). */
  created: string;
  /** When it backed up its credentials, or `null`. */
  backed_up: string | null;
  /** Whether an admin disabled it (it then cannot authenticate). */
  disabled: boolean;
}
