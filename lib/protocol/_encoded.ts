/**
 * Shape checks for the encoded strings E3DB puts on the wire: base64url values, EAKs
 * (`ct.nonce`) and encrypted record fields (`edk.edkN.ef.efN`). They check encoding only; the
 * bytes stay opaque to the server.
 *
 * @module
 */
import { decodeBase64Url } from "../crypto/encoding.ts";

/** Base64url or standard base64 characters, then at most two `=`. */
const BASE64_SHAPE = /^[A-Za-z0-9_\-+/]+={0,2}$/;

/**
 * Whether `value` is a non-empty base64url string (padding and the standard alphabet tolerated,
 * as E3DB decoders are liberal).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBase64Url } from "./_encoded.ts";
 * assert.equal(isBase64Url("AQID"), true);
 * assert.equal(isBase64Url("not base64!"), false);
 * ```
 */
export function isBase64Url(value: unknown): value is string {
  // A shape check rather than a trial decode: record bodies carry kilobytes of base64url and
  // every field is checked. It accepts exactly what `decodeBase64Url` decodes (tested).
  if (typeof value !== "string" || !BASE64_SHAPE.test(value)) return false;
  const firstPad = value.indexOf("=");
  if (firstPad !== -1) return value.length % 4 === 0;
  return value.length % 4 !== 1;
}

/**
 * The decoded length of a base64url string, or `undefined` when it is not base64url.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { base64UrlLength } from "./_encoded.ts";
 * assert.equal(base64UrlLength("AQID"), 3);
 * ```
 */
export function base64UrlLength(value: unknown): number | undefined {
  if (!isBase64Url(value)) return undefined;
  return decodeBase64Url(value).length;
}

/**
 * Whether `value` is `parts` non-empty base64url strings joined by dots: 2 for an EAK
 * (`ct.nonce`), 4 for an encrypted field (`edk.edkN.ef.efN`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDottedBase64Url } from "./_encoded.ts";
 * assert.equal(isDottedBase64Url("AQID.BAUG", 2), true);
 * assert.equal(isDottedBase64Url("AQID", 2), false);
 * ```
 */
export function isDottedBase64Url(value: unknown, parts: number): value is string {
  if (typeof value !== "string") return false;
  const pieces = value.split(".");
  return pieces.length === parts && pieces.every(isBase64Url);
}
