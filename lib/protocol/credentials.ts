/**
 * The API key pair a client trades for a bearer token at `POST /v1/auth/token`: HTTP Basic
 * (`api_key_id:api_secret`) with the form body `grant_type=client_credentials` (E3DB §2.2).
 * The answer is a `TokenResponse` (`responses.ts`).
 *
 * @module
 */
/** The form body of `POST /v1/auth/token`. */
export const TOKEN_REQUEST_BODY = "grant_type=client_credentials";

/**
 * The API key pair: the SDK sends it, the server checks it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ApiCredentials } from "./credentials.ts";
 * const credentials: ApiCredentials = { apiKeyId: "id", apiSecret: "secret" };
 * assert.equal(credentials.apiKeyId, "id");
 * ```
 */
export interface ApiCredentials {
  /** Basic-auth user name (hex). */
  apiKeyId: string;
  /** Basic-auth password (hex; the server keeps only its hash). */
  apiSecret: string;
}

/**
 * The `Authorization` header value for an API key pair.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuthorization } from "./credentials.ts";
 * assert.equal(basicAuthorization({ apiKeyId: "id", apiSecret: "secret" }), "Basic aWQ6c2VjcmV0");
 * ```
 */
export function basicAuthorization(credentials: ApiCredentials): string {
  return `Basic ${btoa(`${credentials.apiKeyId}:${credentials.apiSecret}`)}`;
}
