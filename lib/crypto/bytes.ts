/**
 * Up-front checks of byte inputs and random bytes, shared by every file of `lib/crypto`.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Throws {@linkcode ValidationError} unless `value` is a `Uint8Array`. */
export function requireUint8Array(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array)) throw new ValidationError(`${what} must be a Uint8Array`);
}

/** Throws {@linkcode ValidationError} unless `value` is a `Uint8Array` of exactly `length` bytes. */
export function requireBytes(value: Uint8Array, length: number, what: string): void {
  requireUint8Array(value, what);
  if (value.length !== length) {
    throw new ValidationError(`${what} must be ${length} bytes, got ${value.length}`);
  }
}

/** `length` random bytes from `crypto.getRandomValues` (in 64 KiB draws, its limit). */
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
