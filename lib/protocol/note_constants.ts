/**
 * Notes' identity header and never-expires time on the wire, apart from the zod schemas
 * (`notes.ts`) so that the SDK never loads zod.
 *
 * @module
 */

/** The header that carries an identity access token, for notes a TozID EACP protects. */
export const TOZID_LOGIN_TOKEN_HEADER = "X-TOZID-LOGIN-TOKEN";

/** The expiration E3DB sends and answers for a note that never expires (Go's zero time). */
export const NO_EXPIRATION = "0001-01-01T00:00:00Z";
