/**
 * Parses a WILDCARD search pattern, matched against the whole term: `*` matches any run of
 * characters (also none), `?` exactly one character, `\` makes the next character literal (a
 * trailing `\` is itself literal, as in Lucene). Everything else is literal.
 *
 * @module
 */
import { anyCharNode, charNode, type PatternNode } from "./_pattern_ast.ts";

/**
 * Parses a wildcard pattern into a pattern tree. Runs of `*` collapse into one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWildcard } from "./_wildcard_parser.ts";
 * assert.equal(parseWildcard("su??er").kind, "concat");
 * ```
 */
export function parseWildcard(pattern: string): PatternNode {
  if (typeof pattern !== "string") throw new TypeError("WILDCARD pattern must be a string");
  const chars = Array.from(pattern, (c) => c.codePointAt(0)!);
  const items: PatternNode[] = [];
  let lastWasStar = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === 0x2a /* * */) {
      if (!lastWasStar) items.push({ kind: "repeat", item: anyCharNode(), min: 0, max: Infinity });
      lastWasStar = true;
      continue;
    }
    lastWasStar = false;
    if (c === 0x3f /* ? */) items.push(anyCharNode());
    else if (c === 0x5c /* \ */ && i + 1 < chars.length) items.push(charNode(chars[++i]!));
    else items.push(charNode(c));
  }
  if (items.length === 0) return { kind: "empty" };
  return items.length === 1 ? items[0]! : { kind: "concat", items };
}
