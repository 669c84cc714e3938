/**
 * The longest name the wire accepts (record types, client and token names), apart from the zod
 * schemas (`schemas.ts`) so that the SDK never loads zod.
 *
 * @module
 */

/** Longest record type, client name or token name accepted. */
export const MAX_NAME_LENGTH = 1024;
