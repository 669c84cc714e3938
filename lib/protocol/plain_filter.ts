/**
 * The v1 query's `plain` filter: its type, a check of its shape, and its size, apart from its
 * zod schema (`plainFilterSchema` in `query.ts`, which the server validates with) so that the
 * SDK checks a filter without loading zod. A test holds the two to the same answers.
 *
 * @module
 */

/** A `plain` filter: equality on one clear metadata key, combined with and/or/not. */
export type PlainFilter =
  | { eq: { name: string; value: string } }
  | { and: PlainFilter[] }
  | { or: PlainFilter[] }
  | { not: PlainFilter };

function isFilterList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainFilter);
}

function hasOnlyKey(value: object, key: string): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === key;
}

/**
 * Whether `value` is a {@linkcode PlainFilter}: one of `{"eq": {"name", "value"}}` (strings; other
 * keys beside them are ignored), `{"and": [...]}` or `{"or": [...]}` (non-empty) and
 * `{"not": ...}`, each object with that one key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPlainFilter } from "./plain_filter.ts";
 * assert.equal(isPlainFilter({ and: [{ eq: { name: "house", value: "Stark" } }] }), true);
 * assert.equal(isPlainFilter({ and: [] }), false);
 * ```
 */
export function isPlainFilter(value: unknown): value is PlainFilter {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const node = value as Record<string, unknown>;
  if (hasOnlyKey(node, "eq")) {
    const eq = node.eq;
    if (eq === null || typeof eq !== "object" || Array.isArray(eq)) return false;
    const { name, value: text } = eq as Record<string, unknown>;
    return typeof name === "string" && typeof text === "string";
  }
  if (hasOnlyKey(node, "and")) return isFilterList(node.and);
  if (hasOnlyKey(node, "or")) return isFilterList(node.or);
  if (hasOnlyKey(node, "not")) return isPlainFilter(node.not);
  return false;
}

/**
 * Counts the nodes of a parsed filter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countFilterNodes } from "./plain_filter.ts";
 * assert.equal(countFilterNodes({ not: { eq: { name: "a", value: "b" } } }), 2);
 * ```
 */
export function countFilterNodes(filter: PlainFilter): number {
  let count = 0;
  const pending: PlainFilter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop()!;
    count++;
    if ("and" in node) pending.push(...node.and);
    else if ("or" in node) pending.push(...node.or);
    else if ("not" in node) pending.push(node.not);
  }
  return count;
}
