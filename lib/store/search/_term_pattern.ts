/**
 * One search value compiled for its strategy (`EXACT`, `WILDCARD`, `REGEXP`, `FUZZY`): a
 * whole-term, case-sensitive matcher plus the facts an index uses to narrow a scan before
 * matching (an exact term, a literal prefix, substrings every match contains, length bounds).
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import type { SearchStrategy } from "../../protocol/search.ts";
import { Automaton } from "./_automaton.ts";
import { autoFuzziness, codePoints, editDistanceMatcher, fuzzyPieces } from "./_fuzzy.ts";
import { patternFacts } from "./_pattern_ast.ts";
import { parseRegexp } from "./_regexp_parser.ts";
import { parseWildcard } from "./_wildcard_parser.ts";

/** A compiled search value. */
export interface TermPattern {
  /** The strategy it was compiled for. */
  readonly strategy: SearchStrategy;
  /** The pattern text as given. */
  readonly source: string;
  /** Whether a whole term matches. */
  matches(term: string): boolean;
  /** Only this term matches (look it up by equality), else `null`. */
  readonly exact: string | null;
  /** Every term matches. */
  readonly matchesEverything: boolean;
  /** The matches are exactly the terms starting with `prefix`. */
  readonly prefixOnly: boolean;
  /** Every match starts with this (may be empty). */
  readonly prefix: string;
  /**
   * Substring groups: every match contains every string of at least one group. Empty when
   * nothing is known.
   */
  readonly anyOfGroups: readonly (readonly string[])[];
  /** Shortest match in code points. */
  readonly minLength: number;
  /** Longest match in code points (`Infinity` when unbounded). */
  readonly maxLength: number;
}

/**
 * Compiles one search value. Bad REGEXP syntax and over-complex patterns throw
 * {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileTermPattern } from "./_term_pattern.ts";
 * const regexp = compileTermPattern("REGEXP", "tozny.*");
 * assert.equal(regexp.matches("toznywebsite"), true);
 * assert.equal(regexp.matches("toznians"), false);
 * const fuzzy = compileTermPattern("FUZZY", "veryveryfunny");
 * assert.equal(fuzzy.matches("veryveryfuzzy"), true);
 * ```
 */
export function compileTermPattern(strategy: SearchStrategy, pattern: string): TermPattern {
  if (typeof pattern !== "string") {
    throw new ValidationError(`Search value must be a string, got ${typeof pattern}`);
  }
  switch (strategy) {
    case "EXACT":
      return exactPattern(pattern);
    case "FUZZY":
      return fuzzyPattern(pattern);
    case "WILDCARD":
    case "REGEXP":
      return automatonPattern(strategy, pattern);
    default:
      throw new ValidationError(`Unknown search strategy "${String(strategy)}"`);
  }
}

function exactPattern(pattern: string): TermPattern {
  const length = codePoints(pattern).length;
  return {
    strategy: "EXACT",
    source: pattern,
    matches: (term) => term === pattern,
    exact: pattern,
    matchesEverything: false,
    prefixOnly: false,
    prefix: pattern,
    anyOfGroups: [[pattern]],
    minLength: length,
    maxLength: length,
  };
}

function fuzzyPattern(pattern: string): TermPattern {
  const chars = codePoints(pattern);
  const k = autoFuzziness(chars.length);
  if (k === 0) return { ...exactPattern(pattern), strategy: "FUZZY" };
  return {
    strategy: "FUZZY",
    source: pattern,
    matches: editDistanceMatcher(pattern, k),
    exact: null,
    matchesEverything: false,
    prefixOnly: false,
    prefix: "",
    anyOfGroups: fuzzyPieces(pattern, k).map((piece) => [piece]),
    minLength: Math.max(0, chars.length - k),
    maxLength: chars.length + k,
  };
}

function automatonPattern(strategy: "WILDCARD" | "REGEXP", pattern: string): TermPattern {
  const tree = strategy === "REGEXP" ? parseRegexp(pattern) : parseWildcard(pattern);
  const facts = patternFacts(tree);
  if (facts.literal !== null) return { ...exactPattern(facts.literal), strategy, source: pattern };
  const automaton = new Automaton(tree, pattern);
  return {
    strategy,
    source: pattern,
    matches: (term) => automaton.matches(term),
    exact: null,
    matchesEverything: facts.matchesEverything,
    prefixOnly: facts.prefixOnly,
    prefix: facts.prefix,
    anyOfGroups: facts.anyOf,
    minLength: facts.minLength,
    maxLength: facts.maxLength,
  };
}

/** Compiled patterns kept by {@linkcode cachedTermPattern}. */
const CACHE_SIZE = 32;
const cache = new Map<string, TermPattern>();

/**
 * {@linkcode compileTermPattern} with a small least-recently-used cache, for callers that
 * compile the same pattern for every row (the SQLite match function).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedTermPattern } from "./_term_pattern.ts";
 * assert.equal(cachedTermPattern("WILDCARD", "a*") === cachedTermPattern("WILDCARD", "a*"), true);
 * ```
 */
export function cachedTermPattern(strategy: SearchStrategy, pattern: string): TermPattern {
  const key = `${strategy}:${pattern}`;
  let compiled = cache.get(key);
  if (compiled !== undefined) {
    cache.delete(key);
  } else {
    compiled = compileTermPattern(strategy, pattern);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, compiled);
  return compiled;
}
