/**
 * PKCE with the S256 method (RFC 7636), as E3DB identity login uses it:
 *
 * ```
 * verifier  = b64url(32 random bytes)                 // 43 characters
 * challenge = b64url(SHA-256(ascii(verifier)))        // 43 characters
 * ```
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { randomBytes } from "./bytes.ts";
import { encodeBase64Url, utf8 } from "./encoding.ts";

const VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * A fresh code verifier: 32 random bytes, base64url (43 characters).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newPkceVerifier } from "./pkce.ts";
 * assert.equal(newPkceVerifier().length, 43);
 * ```
 */
export function newPkceVerifier(): string {
  return encodeBase64Url(randomBytes(32));
}

/**
 * Whether `text` is a valid code verifier (43–128 unreserved characters).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPkceVerifier } from "./pkce.ts";
 * assert.equal(isPkceVerifier("short"), false);
 * ```
 */
export function isPkceVerifier(text: unknown): text is string {
  return typeof text === "string" && VERIFIER_PATTERN.test(text);
}

/**
 * The S256 challenge of a verifier.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pkceChallenge } from "./pkce.ts";
 * // RFC 7636 appendix B
 * assert.equal(
 *   await pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
 *   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
 * );
 * ```
 */
export async function pkceChallenge(verifier: string): Promise<string> {
  if (!isPkceVerifier(verifier)) {
    throw new ValidationError("PKCE verifier must be 43-128 characters of [A-Za-z0-9._~-]");
  }
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(utf8(verifier)));
  return encodeBase64Url(new Uint8Array(digest));
}
