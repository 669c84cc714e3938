/**
 * Checks on what the server sends back. A reply of the wrong shape is an {@linkcode ArcaError}
 * naming what was malformed, never a `TypeError` deep inside the SDK.
 *
 * Readers are typed by the reply's definition in `lib/protocol` (the one the server builds its
 * answer with): `wireObject<RecordJson>(json, "record")` yields an object whose keys are those of
 * `RecordJson`, so reading a field the protocol does not define does not compile.
 *
 * @module
 */
import { ArcaError } from "../errors.ts";
import { parseTimestamp } from "../protocol/timestamps.ts";

/**
 * A JSON object read from a reply whose shape is the protocol type `T`: its keys are `T`'s, its
 * values are not checked yet (each reader below checks the one it reads).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WireObject } from "./_wire_reader.ts";
 * const reply: WireObject<{ eak: string }> = { eak: 42 };
 * assert.equal(typeof reply.eak, "number");
 * ```
 */
export type WireObject<T = Record<string, unknown>> = { readonly [K in keyof T]?: unknown };

/** The keys of `T` a reader may ask for. */
type WireKey<T> = keyof T & string;

/**
 * `value` as a JSON object, or an error naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireObject } from "./_wire_reader.ts";
 * assert.equal(wireObject({ a: 1 }, "reply").a, 1);
 * ```
 */
export function wireObject<T = Record<string, unknown>>(
  value: unknown,
  what: string,
): WireObject<T> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ArcaError(`Server sent a malformed ${what}: expected an object`);
  }
  return value as WireObject<T>;
}

/**
 * `value` as a JSON array, or an error naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireArray } from "./_wire_reader.ts";
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
 * import { wireString } from "./_wire_reader.ts";
 * assert.equal(wireString({ id: "x" }, "id", "record"), "x");
 * ```
 */
export function wireString<T>(object: WireObject<T>, key: WireKey<T>, what: string): string {
  const value = object[key];
  if (typeof value !== "string") {
    throw new ArcaError(`Server sent a malformed ${what}: "${key}" is not a string`);
  }
  return value;
}

/**
 * `object[key]`, an E3DB timestamp, as a `Date` (to the millisecond), or an error naming `what`
 * and `key`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireDate } from "./_wire_reader.ts";
 * const date = wireDate({ created: "2026-11-23T08:21:13.388814Z" }, "created", "record meta");
 * assert.equal(date.toISOString(), "2026-11-23T08:21:13.388Z");
 * ```
 */
export function wireDate<T>(object: WireObject<T>, key: WireKey<T>, what: string): Date {
  const text = wireString(object, key, what);
  try {
    return new Date(Math.floor(parseTimestamp(text) / 1000));
  } catch (error) {
    throw new ArcaError(`Server sent a malformed ${what}: "${key}" is not a timestamp`, {
      cause: error,
    });
  }
}

/**
 * `object[key]` as a map of strings (`null` or absent read as `{}`), or an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wireStringMap } from "./_wire_reader.ts";
 * assert.deepEqual(wireStringMap({ plain: null }, "plain", "record"), {});
 * ```
 */
export function wireStringMap<T>(
  object: WireObject<T>,
  key: WireKey<T>,
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
 * import { wireTypedKey } from "./_wire_reader.ts";
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
