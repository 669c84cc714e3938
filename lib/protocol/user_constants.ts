/**
 * Users' limits and messages on the wire, apart from the zod schemas (`users.ts`) so that the SDK
 * never loads zod.
 *
 * @module
 */

/** Longest reminder, in characters (UTF-16 code units). */
export const MAX_REMINDER_LENGTH = 1024;

/** Length of a passphrase verifier and of a passphrase proof. */
export const PASSPHRASE_PROOF_BYTES = 32;

/** The 403 of `POST /v1/arca/users/{id}/key-file`, the same for a wrong proof and an unknown user. */
export const KEY_FILE_DENIED_MESSAGE = "wrong passphrase or unknown user";

/** The 429 of `POST /v1/arca/users/{id}/key-file`. */
export const KEY_FILE_THROTTLED_MESSAGE = "too many key file download attempts; retry later";

/** The 404 of the `me` routes for a client that has no key file. */
export const NOT_A_USER_MESSAGE = "not a user";

/** The 404 of the public routes for an id without a key file. */
export const UNKNOWN_USER_MESSAGE = "unknown user";
