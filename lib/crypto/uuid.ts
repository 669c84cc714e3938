/**
 * UUIDs as the signing formats use them: random version-4 UUIDs for TSV1 nonces and TFSP1 salts,
 * and name-based version-5 UUIDs (SHA-1) for TFSP1 version identifiers.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { randomBytes } from "./bytes.ts";
import { concatBytes, decodeHex, encodeHex, utf8 } from "./encoding.ts";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function formatUuid(bytes: Uint8Array): string {
  const hex = encodeHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

/**
 * Whether `value` is a string with the 8-4-4-4-12 hexadecimal UUID shape (any version, either
 * case). The one UUID check of the code base: wire ids (`lib/protocol/ids.ts`) use it too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUuid } from "./uuid.ts";
 * assert.equal(isUuid("794253a4-310b-449d-9d8d-4575e8923f40"), true);
 * assert.equal(isUuid("not-a-uuid"), false);
 * ```
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/**
 * A random (version 4) UUID in lower case, from `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomUuid } from "./uuid.ts";
 * assert.equal(randomUuid().length, 36);
 * ```
 */
export function randomUuid(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * The name-based (version 5, SHA-1) UUID of `name` (UTF-8) in `namespace` (RFC 9562 §5.5).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uuidV5 } from "./uuid.ts";
 * const id = await uuidV5("794253a4-310b-449d-9d8d-4575e8923f40", "TFSP1;ED25519;BLAKE2B");
 * assert.equal(id, "e7737e7c-1637-511e-8bab-93c4f3e26fd9");
 * ```
 */
export async function uuidV5(namespace: string, name: string): Promise<string> {
  if (!isUuid(namespace)) throw new ValidationError(`Namespace "${namespace}" is not a UUID`);
  if (typeof name !== "string") throw new ValidationError("UUID name must be a string");
  const input = new Uint8Array(
    concatBytes(decodeHex(namespace.replaceAll("-", ""), "Namespace"), utf8(name)),
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", input));
  const bytes = digest.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}
