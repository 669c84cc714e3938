/**
 * The HTTP `Range` request header (RFC 9110 §14), single byte ranges only: `bytes=10-19`,
 * `bytes=10-` and `bytes=-10`. A header that is malformed or asks for several ranges is
 * ignored (the whole body is sent), as the RFC allows.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** How to answer a request for a body of known size. */
export type RangeAnswer =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

/**
 * Interprets a `Range` header against a body of `size` bytes. `partial` has `start`
 * inclusive and `end` exclusive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRange } from "./_byte_range.ts";
 * assert.deepEqual(resolveRange("bytes=0-9", 100), { kind: "partial", start: 0, end: 10 });
 * assert.deepEqual(resolveRange("bytes=-10", 100), { kind: "partial", start: 90, end: 100 });
 * assert.deepEqual(resolveRange("bytes=100-", 100), { kind: "unsatisfiable" });
 * assert.deepEqual(resolveRange(undefined, 100), { kind: "full" });
 * ```
 */
export function resolveRange(header: string | undefined, size: number): RangeAnswer {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ValidationError(`Body size must be a non-negative integer, got ${size}`);
  }
  if (header === undefined) return { kind: "full" };
  const match = SINGLE_RANGE.exec(header);
  if (!match) return { kind: "full" };
  const [, firstText = "", lastText = ""] = match;
  if (firstText === "" && lastText === "") return { kind: "full" };
  if (firstText === "") return suffixRange(Number(lastText), size);
  const first = Number(firstText);
  const last = lastText === "" ? Infinity : Number(lastText);
  if (!Number.isSafeInteger(first) || last < first) return { kind: "full" };
  if (first >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start: first, end: Math.min(last, size - 1) + 1 };
}

function suffixRange(length: number, size: number): RangeAnswer {
  if (!Number.isSafeInteger(length)) return { kind: "full" };
  if (length === 0 || size === 0) return { kind: "unsatisfiable" };
  return { kind: "partial", start: Math.max(0, size - length), end: size };
}
