/**
 * HMAC-SHA-256: the MAC behind the server's signed file URLs and the container part keys. Tags
 * come from `node:crypto` (synchronous: about a third of Web Crypto's import-and-sign time for a
 * short message); verification is `crypto.subtle.verify`, which compares in constant time.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { requireMinBytes, requireUint8Array } from "./bytes.ts";

/** Shortest HMAC key accepted, in bytes (the SHA-256 output size). */
export const MIN_HMAC_KEY_BYTES = 32;

/** Length of an HMAC-SHA-256 tag in bytes. */
export const HMAC_BYTES = 32;

function importKey(key: Uint8Array, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new Uint8Array(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

/**
 * The HMAC-SHA-256 tag (32 bytes) of `message` under `key` (at least 32 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hmacSha256 } from "./hmac.ts";
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const tag = await hmacSha256(key, new TextEncoder().encode("hello"));
 * assert.equal(tag.length, 32);
 * ```
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  try {
    requireMinBytes(key, MIN_HMAC_KEY_BYTES, "HMAC key");
    requireUint8Array(message, "HMAC message");
    const tag = createHmac("sha256", key).update(message).digest();
    return Promise.resolve(new Uint8Array(tag.buffer, tag.byteOffset, tag.byteLength));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Whether `tag` is the HMAC-SHA-256 of `message` under `key`, compared in constant time. A tag
 * of the wrong length is simply wrong (false), never an exception.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hmacSha256, verifyHmacSha256 } from "./hmac.ts";
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const message = new TextEncoder().encode("hello");
 * const tag = await hmacSha256(key, message);
 * assert.equal(await verifyHmacSha256(key, message, tag), true);
 * ```
 */
export async function verifyHmacSha256(
  key: Uint8Array,
  message: Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  requireMinBytes(key, MIN_HMAC_KEY_BYTES, "HMAC key");
  requireUint8Array(message, "HMAC message");
  requireUint8Array(tag, "HMAC tag");
  if (tag.length !== HMAC_BYTES) return false;
  return await crypto.subtle.verify(
    "HMAC",
    await importKey(key, "verify"),
    new Uint8Array(tag),
    new Uint8Array(message),
  );
}
