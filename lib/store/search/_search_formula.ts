/**
 * A search as one boolean formula over resolved predicates: what each search value requires of
 * a record once the term dictionary has been consulted. Constants fold away (`AND` with false is
 * false, ...), and OR-ed predicates on one field merge into one predicate over the union of
 * what they match, so `values: ["a", "b", "c"]` becomes a single posting-list union.
 *
 * @module
 */
import type { SearchStrategy } from "../../protocol/search.ts";

/** A pattern as given (kept so a check can re-run it instead of listing every matched term). */
export interface PatternRef {
  /** Its strategy. */
  strategy: SearchStrategy;
  /** Its text. */
  pattern: string;
}

/** Every dictionary term of `field` from `lo` (inclusive) to `hi` (exclusive; `null`: no end). */
export interface DictRange {
  /** Dictionary field number. */
  field: number;
  /** First term. */
  lo: string;
  /** End of the range, or `null`. */
  hi: string | null;
}

/**
 * A set of dictionary terms: the listed ones (ids for posting lists, texts for row checks) and
 * every term in `ranges` (too many to list; from prefix patterns like `serv*`).
 */
export interface TermSet {
  /** Listed term ids. */
  ids: number[];
  /** The listed terms' texts. */
  texts: string[];
  /** Whole ranges of the dictionary. */
  ranges: DictRange[];
  /** Patterns matching exactly this set (among the dictionary's terms). */
  patterns: PatternRef[];
}

/** A record column compared to plain values (not in the dictionary). */
export type Column = "writer_id" | "user_id" | "record_id";

/** What one search value (or several OR-ed values of one field) requires of a record. */
export type Pred =
  | { kind: "const"; value: boolean }
  | { kind: "has_plain" }
  | ({ kind: "type" | "value" | "key" } & TermSet)
  | { kind: "tag"; keys: TermSet; values: TermSet }
  | { kind: "column"; column: Column; texts: string[] }
  | { kind: "udf"; column: "user_id" | "record_id"; ref: PatternRef };

/** A boolean formula over predicates. */
export type Formula = Pred | { kind: "and" | "or"; items: Formula[] };

/** Matches every record. */
export const TRUE: Formula = { kind: "const", value: true };
/** Matches no record. */
export const FALSE: Formula = { kind: "const", value: false };

/**
 * Whether `formula` is the constant `value`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isConst, TRUE } from "./_search_formula.ts";
 * assert.equal(isConst(TRUE, true), true);
 * ```
 */
export function isConst(formula: Formula, value: boolean): boolean {
  return formula.kind === "const" && formula.value === value;
}

/**
 * The conjunction of `items`, with constants folded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { andOf, FALSE, TRUE } from "./_search_formula.ts";
 * assert.deepEqual(andOf([TRUE, FALSE]), { kind: "const", value: false });
 * ```
 */
export function andOf(items: Formula[]): Formula {
  const kept: Formula[] = [];
  for (const item of items.flatMap((f) => f.kind === "and" ? f.items : [f])) {
    if (isConst(item, false)) return FALSE;
    if (!isConst(item, true)) kept.push(item);
  }
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : { kind: "and", items: kept };
}

/**
 * The disjunction of `items`, with constants folded and predicates on one field merged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { orOf } from "./_search_formula.ts";
 * const a = { kind: "value" as const, ids: [1], texts: ["a"], ranges: [], patterns: [] };
 * const b = { kind: "value" as const, ids: [2], texts: ["b"], ranges: [], patterns: [] };
 * assert.deepEqual(orOf([a, b]), { kind: "value", ids: [1, 2], texts: ["a", "b"], ranges: [], patterns: [] });
 * ```
 */
export function orOf(items: Formula[]): Formula {
  const kept: Formula[] = [];
  for (const item of items.flatMap((f) => f.kind === "or" ? f.items : [f])) {
    if (isConst(item, true)) return TRUE;
    if (!isConst(item, false)) kept.push(item);
  }
  const merged = mergeAlternatives(kept);
  if (merged.length === 0) return FALSE;
  return merged.length === 1 ? merged[0]! : { kind: "or", items: merged };
}

function mergeAlternatives(items: Formula[]): Formula[] {
  const out: Formula[] = [];
  const seen = new Map<string, Formula>();
  for (const item of items) {
    const key = item.kind === "type" || item.kind === "value" || item.kind === "key"
      ? item.kind
      : item.kind === "column"
      ? `column:${item.column}`
      : null;
    const earlier = key === null ? undefined : seen.get(key);
    if (key === null || earlier === undefined) {
      if (key !== null) seen.set(key, item);
      out.push(item);
      continue;
    }
    const merged = mergePair(earlier, item);
    seen.set(key, merged);
    out[out.indexOf(earlier)] = merged;
  }
  return out;
}

function mergePair(a: Formula, b: Formula): Formula {
  if (a.kind === "column" && b.kind === "column") {
    return { ...a, texts: union(a.texts, b.texts) };
  }
  const x = a as TermSet & { kind: "type" | "value" | "key" };
  const y = b as TermSet;
  return {
    kind: x.kind,
    ids: union(x.ids, y.ids),
    texts: union(x.texts, y.texts),
    ranges: [...x.ranges, ...y.ranges],
    patterns: [...x.patterns, ...y.patterns],
  };
}

function union<T>(a: T[], b: T[]): T[] {
  return [...new Set([...a, ...b])];
}
