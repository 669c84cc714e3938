/**
 * Identity login on the wire (E3DB's TozID password login, served by Arca itself): request
 * bodies as zod schemas, and the JSON answers. Unknown keys are dropped.
 *
 * @module
 */
import { z } from "zod";
import {
  type PublicKeyJson,
  publicKeySchema,
  type SigningKeyJson,
  signingKeySchema,
} from "./keys.ts";
import { MAX_NAME_LENGTH } from "./schemas.ts";
import {
  type LoginContextJson,
  MAX_USERNAME_LENGTH,
  REALM_NAME_PATTERN,
} from "./identity_constants.ts";

export * from "./identity_constants.ts";

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

/** The `POST /v1/identity/login` body as it travels (validated by {@linkcode loginRequestSchema}). */
export interface LoginRequest {
  /** The identity's username. */
  username: string;
  /** The realm's domain (lower-case name). */
  realm_name: string;
  /** The application logging in (default `account`). */
  app_name?: string | null;
  /** The PKCE S256 challenge of the verifier the redirect step sends. */
  code_challenge: string;
  /** `api` for SDK logins. */
  login_style?: string | null;
}

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

/** The continue step's form fields as they travel (validated by {@linkcode loginContinueSchema}). */
export interface LoginContinueForm {
  /** The password-derived encryption public key (wire text). */
  public_key: string;
  /** The password-derived signing public key (wire text). */
  public_signing_key: string;
}

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
 * The `POST /v1/identity/tozid/redirect` body as it travels (validated by
 * {@linkcode loginRedirectSchema}): the login context, the realm and the PKCE verifier.
 */
export interface LoginRedirectRequest extends LoginContextJson {
  /** The realm's domain. */
  realm_name: string;
  /** The PKCE verifier of the login's challenge. */
  code_verifier: string;
}

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

/** The `POST /v1/identity/tozid/refresh` body. */
export interface TokenRefreshRequest {
  /** The refresh token (good for one use). */
  refresh_token: string;
}

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

/** The `POST /v1/arca/admin/realms` body. */
export interface RealmCreateRequest {
  /** The realm's name: 1-64 letters, digits, `_` or `-`. */
  name: string;
}

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
 * The `POST /v1/arca/admin/realms/{realm}/identities` body as it travels (validated by
 * {@linkcode identityRegisterSchema}).
 */
export interface IdentityRegisterRequest {
  /** The username. */
  username: string;
  /** The password-derived encryption public key. */
  public_key: PublicKeyJson;
  /** The password-derived signing public key. */
  signing_key: SigningKeyJson;
  /** The identity's new storage client. */
  client: {
    /** Its name. */
    name: string;
    /** Its encryption public key. */
    public_key: PublicKeyJson;
    /** Its signing public key. */
    signing_key: SigningKeyJson;
  };
}

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

/** An identity as the admin API lists it (`GET /v1/arca/admin/realms/{realm}/identities`). */
export interface IdentityJson {
  /** The identity's id (UUID). */
  identity_id: string;
  /** Its realm's domain. */
  realm_domain: string;
  /** Its username, lower case. */
  username: string;
  /** Its storage client. */
  client_id: string;
  /** The password-derived signing public key (wire text). */
  signing_key: string;
  /** The password-derived encryption public key (wire text). */
  public_key: string;
  /** When it was registered (E3DB timestamp). */
  created: string;
}

/** `POST /v1/arca/admin/realms/{realm}/identities` → 201: the identity and its client's keys. */
export interface IdentityRegistrationJson extends IdentityJson {
  /** The realm's canonical name. */
  realm_name: string;
  /** The storage client's API key id. */
  api_key_id: string;
  /** The storage client's API secret (shown only here). */
  api_secret: string;
  /** The storage client's encryption public key. */
  client_public_key: PublicKeyJson;
  /** The storage client's signing public key. */
  client_signing_key: SigningKeyJson;
}

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
