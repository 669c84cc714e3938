/**
 * The syntax tree that WILDCARD and REGEXP patterns compile to, and the facts the search index
 * reads from it to narrow a scan before matching: the literal prefix every match starts with,
 * literal substrings every match contains, and bounds on a match's length.
 *
 * Lengths and characters are Unicode code points, never UTF-16 units.
 *
 * @module
 */

/** Largest code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** A pattern tree node. `ranges` is a flat sorted list of inclusive `[lo, hi]` pairs. */
export type PatternNode =
  | { kind: "empty" }
  | { kind: "chars"; ranges: readonly number[] }
  | { kind: "concat"; items: readonly PatternNode[] }
  | { kind: "alt"; items: readonly PatternNode[] }
  | { kind: "repeat"; item: PatternNode; min: number; max: number }
  | { kind: "assert"; at: "start" | "end" };

/** What a scan may use to skip terms that cannot match. */
export interface PatternFacts {
  /** The whole pattern is this literal string (match it by equality), else `null`. */
  literal: string | null;
  /** Every match starts with this string (may be empty). */
  prefix: string;
  /**
   * Substring groups: every match contains every string of at least one group (one group per
   * top-level alternative). Empty when nothing is known.
   */
  anyOf: string[][];
  /** Shortest possible match, in code points. */
  minLength: number;
  /** Longest possible match, in code points (`Infinity` when unbounded). */
  maxLength: number;
  /** Every string matches. */
  matchesEverything: boolean;
  /** The matches are exactly the strings starting with `prefix` (`abc*`, `abc.*`). */
  prefixOnly: boolean;
}

/**
 * A node matching exactly the code point `codePoint`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { charNode } from "./_pattern_ast.ts";
 * assert.deepEqual(charNode(0x61), { kind: "chars", ranges: [97, 97] });
 * ```
 */
export function charNode(codePoint: number): PatternNode {
  return { kind: "chars", ranges: [codePoint, codePoint] };
}

/**
 * A node matching any one code point.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { anyCharNode } from "./_pattern_ast.ts";
 * assert.equal(anyCharNode().kind, "chars");
 * ```
 */
export function anyCharNode(): PatternNode {
  return { kind: "chars", ranges: [0, MAX_CODE_POINT] };
}

/**
 * Reads the narrowing facts of a pattern tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { anyCharNode, charNode, patternFacts } from "./_pattern_ast.ts";
 * const tree = { kind: "concat", items: [charNode(0x61), { kind: "repeat", item: anyCharNode(), min: 0, max: Infinity }] } as const;
 * const facts = patternFacts(tree);
 * assert.equal(facts.prefix, "a");
 * assert.equal(facts.minLength, 1);
 * assert.equal(facts.maxLength, Infinity);
 * ```
 */
export function patternFacts(node: PatternNode): PatternFacts {
  const literal = literalOf(node);
  return {
    literal,
    prefix: literal ?? prefixOf(node),
    anyOf: literal !== null ? [[literal]] : anyOfGroups(node),
    minLength: minLengthOf(node),
    maxLength: maxLengthOf(node),
    matchesEverything: matchesEverything(node),
    prefixOnly: prefixOnly(node),
  };
}

/** The single code point a node matches, or `undefined`. */
function singleCodePoint(node: PatternNode): number | undefined {
  if (node.kind !== "chars" || node.ranges.length !== 2) return undefined;
  return node.ranges[0] === node.ranges[1] ? node.ranges[0] : undefined;
}

/** The node's items as a flat sequence, looking through nested concatenations. */
function flatten(node: PatternNode): PatternNode[] {
  if (node.kind !== "concat") return [node];
  return node.items.flatMap(flatten);
}

function literalOf(node: PatternNode): string | null {
  const codePoints: number[] = [];
  for (const item of flatten(node)) {
    if (item.kind === "empty") continue;
    const codePoint = singleCodePoint(item);
    if (codePoint === undefined) return null;
    codePoints.push(codePoint);
  }
  return String.fromCodePoint(...codePoints);
}

function prefixOf(node: PatternNode): string {
  const codePoints: number[] = [];
  for (const item of flatten(node)) {
    if (item.kind === "empty" || (item.kind === "assert" && item.at === "start")) continue;
    const codePoint = singleCodePoint(item);
    if (codePoint === undefined) break;
    codePoints.push(codePoint);
  }
  return String.fromCodePoint(...codePoints);
}

/** `a|b|c` (possibly between anchors): the groups of each alternative; else one group. */
function anyOfGroups(node: PatternNode): string[][] {
  const items = flatten(node).filter((item) => item.kind !== "empty" && item.kind !== "assert");
  const only = items.length === 1 ? items[0]! : null;
  const alternatives = only?.kind === "alt" ? only.items : [node];
  const groups = alternatives.map((alternative) => {
    const literal = literalOf(alternative);
    return literal !== null ? [literal] : requiredOf(alternative);
  });
  return groups.every((group) => group.some((text) => text.length > 0)) ? groups : [];
}

function requiredOf(node: PatternNode): string[] {
  const found: string[] = [];
  let run: number[] = [];
  const endRun = () => {
    if (run.length > 0) found.push(String.fromCodePoint(...run));
    run = [];
  };
  for (const item of flatten(node)) {
    if (item.kind === "empty" || item.kind === "assert") continue; // zero width
    const codePoint = singleCodePoint(item);
    if (codePoint !== undefined) {
      run.push(codePoint);
      continue;
    }
    endRun();
    if (item.kind === "repeat" && item.min >= 1) found.push(...requiredOf(item.item));
  }
  endRun();
  return found;
}

function minLengthOf(node: PatternNode): number {
  switch (node.kind) {
    case "empty":
    case "assert":
      return 0;
    case "chars":
      return 1;
    case "concat":
      return node.items.reduce((sum, item) => sum + minLengthOf(item), 0);
    case "alt":
      return Math.min(...node.items.map(minLengthOf));
    case "repeat":
      return node.min * minLengthOf(node.item);
  }
}

function maxLengthOf(node: PatternNode): number {
  switch (node.kind) {
    case "empty":
    case "assert":
      return 0;
    case "chars":
      return 1;
    case "concat":
      return node.items.reduce((sum, item) => sum + maxLengthOf(item), 0);
    case "alt":
      return Math.max(...node.items.map(maxLengthOf));
    case "repeat": {
      const each = maxLengthOf(node.item);
      if (each === 0) return 0;
      return node.max === Infinity ? Infinity : node.max * each;
    }
  }
}

/** True for literal characters followed by one `.*` (optionally between anchors). */
function prefixOnly(node: PatternNode): boolean {
  const items = flatten(node).filter((item) => item.kind !== "empty");
  if (items[0]?.kind === "assert" && items[0].at === "start") items.shift();
  const end = items.at(-1);
  if (end?.kind === "assert" && end.at === "end") items.pop();
  const last = items.pop();
  return last !== undefined && isAnyStar(last) &&
    items.every((item) => singleCodePoint(item) !== undefined);
}

function isAnyStar(item: PatternNode): boolean {
  return item.kind === "repeat" && item.min === 0 && item.max === Infinity &&
    item.item.kind === "chars" && item.item.ranges.length === 2 && item.item.ranges[0] === 0 &&
    item.item.ranges[1] === MAX_CODE_POINT;
}

/** True for `.*` / `*` shapes (optionally between anchors): a cheap, conservative check. */
function matchesEverything(node: PatternNode): boolean {
  const items = flatten(node).filter((item) => item.kind !== "empty" && item.kind !== "assert");
  return items.length > 0 && items.every(isAnyStar);
}
