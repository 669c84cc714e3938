/**
 * Server-side secrets: random API credentials and bearer tokens, their SHA-256 digests (what the
 * store keeps) and constant-time comparison of digests.
 *
 * Every secret Arca issues carries at least 256 bits of randomness, so a plain SHA-256 digest is
 * enough to store it: nobody can search that space, and no password-style stretching is needed.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../errors.ts";
import { randomBytes } from "./bytes.ts";
import { encodeBase64Url, encodeHex, utf8 } from "./encoding.ts";

const MIN_SECRET_BYTES = 16;

/**
 * A random secret of `bytes` bytes (default 32), as unpadded base64url.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomSecret } from "./secrets.ts";
 * assert.equal(randomSecret().length, 43);
 * ```
 */
export function randomSecret(bytes = 32): string {
  return encodeBase64Url(randomBytesChecked(bytes));
}

/**
 * A random secret of `bytes` bytes (default 32), as lowercase hex (E3DB's API key id and
 * secret are hex).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomHexSecret } from "./secrets.ts";
 * assert.equal(randomHexSecret(16).length, 32);
 * ```
 */
export function randomHexSecret(bytes = 32): string {
  return encodeHex(randomBytesChecked(bytes));
}

function randomBytesChecked(bytes: number): Uint8Array {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > 1024) {
    throw new ValidationError(
      `Secret length must be an integer from ${MIN_SECRET_BYTES} to 1024 bytes, got ${bytes}`,
    );
  }
  return randomBytes(bytes);
}

/**
 * The SHA-256 digest of a secret's UTF-8 text, as lowercase hex: the form the store keeps.
 *
 * Every authenticated request hashes its bearer token, so this hashes synchronously with
 * `node:crypto` (about 2 µs); `crypto.subtle.digest` is an async operation that costs 20–50 µs
 * per call on the server's hot path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashSecret } from "./secrets.ts";
 * assert.equal((await hashSecret("abc")).length, 64);
 * ```
 */
export function hashSecret(secret: string): Promise<string> {
  if (typeof secret !== "string") {
    return Promise.reject(new ValidationError("Secret must be a string"));
  }
  return Promise.resolve(createHash("sha256").update(utf8(secret)).digest("hex"));
}

/**
 * Compares two strings in time that depends only on their lengths. Use it on digests (equal
 * lengths), never on raw secrets of different lengths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constantTimeEqual } from "./secrets.ts";
 * assert.equal(constantTimeEqual("abcd", "abcd"), true);
 * assert.equal(constantTimeEqual("abcd", "abce"), false);
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (typeof a !== "string" || typeof b !== "string") {
    throw new ValidationError("constantTimeEqual compares strings");
  }
  const left = utf8(a);
  const right = utf8(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    difference |= (left[i % (left.length || 1)] ?? 0) ^ (right[i % (right.length || 1)] ?? 0);
  }
  return difference === 0;
}

/**
 * Whether `secret` hashes to `expectedHash` (a digest from {@linkcode hashSecret}), compared in
 * constant time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashSecret, verifySecret } from "./secrets.ts";
 * const stored = await hashSecret("s3cret-value");
 * assert.equal(await verifySecret("s3cret-value", stored), true);
 * assert.equal(await verifySecret("guess", stored), false);
 * ```
 */
export async function verifySecret(secret: string, expectedHash: string): Promise<boolean> {
  if (typeof expectedHash !== "string") throw new ValidationError("Expected hash must be a string");
  return constantTimeEqual(await hashSecret(secret), expectedHash);
}
