/**
 * Identity login on the wire (E3DB's TozID password login, served by Arca itself): request
 * bodies as zod schemas, and the JSON answers. Unknown keys are dropped.
 *
 * @module
 */
import { z } from "zod";
import { publicKeySchema, signingKeySchema } from "./keys.ts";
import { MAX_NAME_LENGTH } from "./schemas.ts";

/** Realm names: letters, digits, `_` and `-`, 1–64 characters. */
export const REALM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest username accepted. */
export const MAX_USERNAME_LENGTH = 256;

const realmName = z
  .string({ error: "must be a string" })
  .regex(REALM_NAME_PATTERN, { error: "must be 1-64 letters, digits, '_' or '-'" });
const username = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_USERNAME_LENGTH, { error: `must be at most ${MAX_USERNAME_LENGTH} characters` });
const token = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(
  512,
  { error: "is too long" },
);

/**
 * `POST /v1/identity/login` (TSV1 with the password-derived key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginRequestSchema } from "./identity.ts";
 * const body = loginRequestSchema.parse({
 *   username: "fred",
 *   realm_name: "acme",
 *   code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
 *   login_style: "api",
 * });
 * assert.equal(body.app_name, "account");
 * ```
 */
export const loginRequestSchema = z.object({
  username,
  realm_name: realmName,
  app_name: z.string().max(MAX_NAME_LENGTH).nullish().transform((name) => name || "account"),
  code_challenge: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9_-]{43}$/, { error: "must be a base64url SHA-256 (S256) challenge" }),
  login_style: z.string().max(64).nullish(),
});

/**
 * The continue step's form body (`public_key`, `public_signing_key`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginContinueSchema } from "./identity.ts";
 * assert.equal(loginContinueSchema.safeParse({ public_key: "a" }).success, false);
 * ```
 */
export const loginContinueSchema = z.object({
  public_key: token,
  public_signing_key: z.string({ error: "must be a string" }).min(1).max(4096),
});

/**
 * `POST /v1/identity/tozid/redirect`: the login context back, with the PKCE verifier.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginRedirectSchema } from "./identity.ts";
 * assert.equal(loginRedirectSchema.safeParse({}).success, false);
 * ```
 */
export const loginRedirectSchema = z.object({
  realm_name: realmName,
  session_code: token,
  execution: token,
  tab_id: token,
  client_id: z.string({ error: "must be a string" }).max(MAX_NAME_LENGTH),
  auth_session_id: token,
  code_verifier: token,
});

/**
 * `POST /v1/identity/tozid/refresh`: a refresh token buys a new token pair (once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenRefreshSchema } from "./identity.ts";
 * assert.equal(tokenRefreshSchema.parse({ refresh_token: "r" }).refresh_token, "r");
 * ```
 */
export const tokenRefreshSchema = z.object({ refresh_token: token });

/**
 * `POST /v1/arca/admin/realms`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { realmCreateSchema } from "./identity.ts";
 * assert.equal(realmCreateSchema.safeParse({ name: "bad name" }).success, false);
 * ```
 */
export const realmCreateSchema = z.object({ name: realmName });

/**
 * `POST /v1/arca/admin/realms/{realm}/identities`: the password-derived public keys of the
 * identity, and the public keys of its new storage client. The password never reaches the
 * server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { identityRegisterSchema } from "./identity.ts";
 * assert.equal(identityRegisterSchema.safeParse({ username: "fred" }).success, false);
 * ```
 */
export const identityRegisterSchema = z.object({
  username,
  public_key: publicKeySchema,
  signing_key: signingKeySchema,
  client: z.object({
    name: z.string({ error: "must be a string" }).min(1).max(MAX_NAME_LENGTH),
    public_key: publicKeySchema,
    signing_key: signingKeySchema,
  }),
});

/** Realm info (`GET /v1/identity/info/realm/{realm}`). */
export interface RealmInfoJson {
  /** Canonical name; identity derivation uses it. */
  name: string;
  /** Lower-case name. */
  domain: string;
  /** A UUID. */
  broker_id: string;
}

/** A login step answer (`type` is `continue` after login, `fetch` after the continue step). */
export interface LoginActionJson {
  /** Always true. */
  login_action: boolean;
  /** `continue` or `fetch`. */
  type: "continue" | "fetch";
  /** Where the next step posts. */
  action_url: string;
  /** How the next step's body is encoded. */
  content_type: string;
  /** Extra form fields (none). */
  fields: Record<string, string>;
  /** The login context (filled by the continue step). */
  context: Record<string, string>;
}

/** Issued tokens (redirect and refresh). */
export interface IdentityTokensJson {
  /** Satisfies the TozID EACP of the identity's credential note. */
  access_token: string;
  /** `Bearer`. */
  token_type: string;
  /** Buys a new pair once. */
  refresh_token: string;
  /** When the access token expires (RFC 3339). */
  expiry: string;
  /** When the refresh token expires (RFC 3339). */
  refresh_expiry: string;
  /** Seconds the access token lives. */
  expires_in: number;
}
