/**
 * Large files' limits, compression and checksum shape on the wire, apart from the zod schemas
 * (`files.ts`) so that the SDK never loads zod.
 *
 * @module
 */

/** Largest file accepted: 1 TiB of encrypted bytes. */
export const MAX_FILE_BYTES = 2 ** 40;

/** The only compression E3DB SDKs use: none. */
export const FILE_COMPRESSION_RAW = "raw";

/** Standard padded base64 of a 16-byte MD5 digest. */
const MD5_BASE64_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/**
 * Whether `value` is an MD5 checksum as E3DB sends it (standard padded base64 of 16 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFileChecksum } from "./file_constants.ts";
 * assert.equal(isFileChecksum("1B2M2Y8AsgTpgAmY7PhCfg=="), true);
 * assert.equal(isFileChecksum("d41d8cd98f00b204e9800998ecf8427e"), false); // hex
 * ```
 */
export function isFileChecksum(value: unknown): value is string {
  return typeof value === "string" && MD5_BASE64_PATTERN.test(value);
}
