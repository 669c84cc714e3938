/**
 * Up-front checks on what callers pass the SDK, with messages that name the value (ids are
 * checked with `parseUuid` of `lib/protocol/ids.ts`).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { MAX_NAME_LENGTH } from "../protocol/name_limits.ts";

/**
 * Returns a record type; throws unless it is a non-empty string of at most 1024 characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireType } from "./_validate.ts";
 * assert.equal(requireType("contact"), "contact");
 * ```
 */
export function requireType(value: unknown, what = "Record type"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(
      `${what} must be a string of 1-${MAX_NAME_LENGTH} characters, got ${
        JSON.stringify(value) ?? "nothing"
      }`,
    );
  }
  return value;
}

/**
 * Returns a map of strings; throws unless every value is a string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireStringMap } from "./_validate.ts";
 * assert.deepEqual(requireStringMap({ a: "1" }, "Record data"), { a: "1" });
 * ```
 */
export function requireStringMap(value: unknown, what: string): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(`${what} must be an object of strings`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new ValidationError(`${what} value "${key}" must be a string, got ${typeof item}`);
    }
  }
  return value as Record<string, string>;
}

/**
 * Returns a record version; throws unless it is a non-empty string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireVersion } from "./_validate.ts";
 * assert.equal(requireVersion("b7bc2b78"), "b7bc2b78");
 * ```
 */
export function requireVersion(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(
      `Record version must be a non-empty string, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}
