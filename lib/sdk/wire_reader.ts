/**
 * Checks on what the server sends back. A reply of the wrong shape is an {@linkcode ArcaError}
 * naming what was malformed, never a `TypeError` deep inside the SDK.
 *
 * @module
 */
import { ArcaError } from "../errors.ts";

/** A JSON object read from a reply. */
export type WireObject = Record<string, unknown>;

/**
 * `value` as a JSON object, or an error naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireObject } from "./wire_reader.ts";
 * assert.equal(wireObject({ a: 1 }, "reply").a, 1);
 * ```
 */
export function wireObject(value: unknown, what: string): WireObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ArcaError(`Server sent a malformed ${what}: expected an object`);
  }
  return value as WireObject;
}

/**
 * `value` as a JSON array, or an error naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireArray } from "./wire_reader.ts";
 * assert.equal(wireArray([1], "list").length, 1);
 * ```
 */
export function wireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ArcaError(`Server sent a malformed ${what}: expected an array`);
  }
  return value;
}

/**
 * `object[key]` as a string, or an error naming `what` and `key`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireString } from "./wire_reader.ts";
 * assert.equal(wireString({ id: "x" }, "id", "record"), "x");
 * ```
 */
export function wireString(object: WireObject, key: string, what: string): string {
  const value = object[key];
  if (typeof value !== "string") {
    throw new ArcaError(`Server sent a malformed ${what}: "${key}" is not a string`);
  }
  return value;
}

/**
 * `object[key]` as a map of strings (`null` or absent read as `{}`), or an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireStringMap } from "./wire_reader.ts";
 * assert.deepEqual(wireStringMap({ plain: null }, "plain", "record"), {});
 * ```
 */
export function wireStringMap(
  object: WireObject,
  key: string,
  what: string,
): Record<string, string> {
  const value = object[key];
  if (value === undefined || value === null) return {};
  const map = wireObject(value, `${what} "${key}"`);
  for (const [name, item] of Object.entries(map)) {
    if (typeof item !== "string") {
      throw new ArcaError(`Server sent a malformed ${what}: "${key}.${name}" is not a string`);
    }
  }
  return map as Record<string, string>;
}

/**
 * A typed key object `{"curve25519": "..."}` / `{"p384": "..."}` read as type and text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireTypedKey } from "./wire_reader.ts";
 * assert.deepEqual(wireTypedKey({ p384: "LS0t" }, "public key"), { type: "p384", value: "LS0t" });
 * ```
 */
export function wireTypedKey(value: unknown, what: string): { type: string; value: string } {
  const object = wireObject(value, what);
  const entries = Object.entries(object);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined || typeof entry[1] !== "string") {
    throw new ArcaError(`Server sent a malformed ${what}: expected one key type and its text`);
  }
  return { type: entry[0], value: entry[1] };
}
