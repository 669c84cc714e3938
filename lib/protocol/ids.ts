/**
 * Identifiers on the wire: client, record and token ids are UUIDs (8-4-4-4-12 hex). Arca
 * issues them in lower case and compares them in lower case.
 *
 * @module
 */
import { isUuid } from "../crypto/uuid.ts";
import { ValidationError } from "../errors.ts";

// The UUID shape is checked in one place, `lib/crypto/uuid.ts`; wire code reads it from here.
export { isUuid };

/**
 * Returns `value` in lower case if it is a UUID; otherwise throws {@linkcode ValidationError}
 * naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUuid } from "./ids.ts";
 * assert.equal(
 *   parseUuid("B2A735C5-9F3A-4C1E-8E0F-0123456789AB", "client_id"),
 *   "b2a735c5-9f3a-4c1e-8e0f-0123456789ab",
 * );
 * ```
 */
export function parseUuid(value: unknown, what = "id"): string {
  if (!isUuid(value)) {
    throw new ValidationError(`${what} must be a UUID, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value.toLowerCase();
}
