/**
 * Identity login's realm names, username limit and login context keys, apart from the zod schemas
 * (`identity.ts`) so that the SDK never loads zod.
 *
 * @module
 */

/** Realm names: letters, digits, `_` and `-`, 1–64 characters. */
export const REALM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest username accepted. */
export const MAX_USERNAME_LENGTH = 256;

/** The keys of the login context the continue step answers and the redirect step sends back. */
export const LOGIN_CONTEXT_KEYS = [
  "session_code",
  "execution",
  "tab_id",
  "client_id",
  "auth_session_id",
] as const;

/** The login context: each of {@linkcode LOGIN_CONTEXT_KEYS} with its value. */
export type LoginContextJson = Record<typeof LOGIN_CONTEXT_KEYS[number], string>;
