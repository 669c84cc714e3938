/**
 * The one place byte inputs are checked, compared and drawn at random, shared by every file of
 * `lib/crypto` (and by the layers above, which take their random bytes from here). A failed check
 * is a {@linkcode ValidationError} that names the input, the expected length and the given one.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/**
 * Throws {@linkcode ValidationError} unless `value` is a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { requireUint8Array } from "./bytes.ts";
 * requireUint8Array(new Uint8Array(3), "Message"); // passes
 * ```
 */
export function requireUint8Array(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ValidationError(`${what} must be a Uint8Array, got ${describe(value)}`);
  }
}

/**
 * Throws {@linkcode ValidationError} unless `value` is a `Uint8Array` of exactly `length` bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireBytes } from "./bytes.ts";
 * assert.throws(() => requireBytes(new Uint8Array(31), 32, "X25519 public key"), {
 *   message: "X25519 public key must be 32 bytes, got 31",
 * });
 * ```
 */
export function requireBytes(
  value: unknown,
  length: number,
  what: string,
): asserts value is Uint8Array {
  requireUint8Array(value, what);
  if (value.length !== length) {
    throw new ValidationError(`${what} must be ${length} bytes, got ${value.length}`);
  }
}

/**
 * Throws {@linkcode ValidationError} unless `value` is a `Uint8Array` whose length is one of
 * `lengths`.
 *
 * @example
 * ```ts
 * import { requireByteLengths } from "./bytes.ts";
 * requireByteLengths(new Uint8Array(24), [16, 24, 32], "AES key"); // passes
 * ```
 */
export function requireByteLengths(
  value: unknown,
  lengths: readonly number[],
  what: string,
): asserts value is Uint8Array {
  requireUint8Array(value, what);
  if (!lengths.includes(value.length)) {
    throw new ValidationError(`${what} must be ${listLengths(lengths)} bytes, got ${value.length}`);
  }
}

/**
 * Throws {@linkcode ValidationError} unless `value` is a `Uint8Array` of at least `min` bytes.
 *
 * @example
 * ```ts
 * import { requireMinBytes } from "./bytes.ts";
 * requireMinBytes(new Uint8Array(32), 32, "HMAC key"); // passes
 * ```
 */
export function requireMinBytes(
  value: unknown,
  min: number,
  what: string,
): asserts value is Uint8Array {
  requireUint8Array(value, what);
  if (value.length < min) {
    throw new ValidationError(`${what} must be at least ${min} bytes, got ${value.length}`);
  }
}

/**
 * Whether two byte arrays are equal. The time taken depends only on the lengths, never on where
 * the bytes differ, so it is safe for MACs, keys and other secrets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equalBytes } from "./bytes.ts";
 * assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  requireUint8Array(a, "Compared bytes");
  requireUint8Array(b, "Compared bytes");
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * `length` random bytes from `crypto.getRandomValues` (in 64 KiB draws, its limit).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomBytes } from "./bytes.ts";
 * assert.equal(randomBytes(16).length, 16);
 * ```
 */
export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new ValidationError(`Random byte count must be a non-negative integer, got ${length}`);
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  }
  return out;
}

function listLengths(lengths: readonly number[]): string {
  if (lengths.length < 2) return String(lengths[0]);
  return `${lengths.slice(0, -1).join(", ")} or ${lengths[lengths.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}
