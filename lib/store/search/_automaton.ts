/**
 * A linear-time matcher for pattern trees: Thompson's construction builds a nondeterministic
 * automaton (NFA), and matching simulates it through a lazily built DFA whose states are sets
 * of NFA states, cached as they are discovered.
 *
 * Cost: each input character is one cached table lookup, or, the first time a (state,
 * character) pair is seen, one step over at most every NFA state. So a match costs
 * O(term length × NFA size) in the worst case and never backtracks: `(a+)+b` or `*a*a*a*b`
 * cannot blow up. The NFA is capped at {@linkcode AUTOMATON_MAX_STATES} states (patterns like
 * `(a{1000}){1000}` are refused) and the DFA cache at {@linkcode DFA_CACHE_LIMIT} states (it is
 * flushed and rebuilt when full, as RE2 does).
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import type { PatternNode } from "./_pattern_ast.ts";

/** Most NFA states one pattern may compile to. */
export const AUTOMATON_MAX_STATES = 10_000;
/** Most DFA states cached per pattern before the cache is flushed. */
export const DFA_CACHE_LIMIT = 2_000;

const SPLIT = 0;
const CHAR = 1;
const MATCH = 2;
const ASSERT_START = 3;
const ASSERT_END = 4;

interface DfaState {
  /** Sorted NFA state ids: CHAR and MATCH states, and pending end assertions. */
  readonly set: Int32Array;
  /** Accepts when the input ends here. */
  readonly accept: boolean;
  /** No NFA state left: nothing more can match. */
  readonly dead: boolean;
  /** Transitions on code points below 128. */
  ascii: Array<DfaState | null>;
  /** Transitions on other code points. */
  other: Map<number, DfaState> | null;
}

/**
 * A compiled pattern: answers whether a whole string matches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Automaton } from "./_automaton.ts";
 * import { parseRegexp } from "./_regexp_parser.ts";
 * const automaton = new Automaton(parseRegexp("tozny.*"), "tozny.*");
 * assert.equal(automaton.matches("toznywebsite"), true);
 * assert.equal(automaton.matches("toznians"), false);
 * ```
 */
export class Automaton {
  readonly #kinds: number[] = [];
  readonly #next: number[] = [];
  readonly #outs: Array<number[] | null> = [];
  readonly #ranges: Array<readonly number[] | null> = [];
  readonly #source: string;
  #marks: Int32Array = new Int32Array(0);
  #generation = 0;
  #cache = new Map<string, DfaState>();
  #start: DfaState;

  /**
   * Compiles a pattern tree; `source` only names the pattern in errors.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Automaton } from "./_automaton.ts";
   * import { parseWildcard } from "./_wildcard_parser.ts";
   * assert.equal(new Automaton(parseWildcard("*a*"), "*a*").matches("banana"), true);
   * ```
   */
  constructor(tree: PatternNode, source: string) {
    this.#source = source;
    const match = this.#add(MATCH, -1, null, null);
    const start = this.#build(tree, match);
    this.#marks = new Int32Array(this.#kinds.length);
    this.#start = this.#intern(this.#closure([start], true), true);
  }

  /** Number of NFA states (for tests and diagnostics). */
  get size(): number {
    return this.#kinds.length;
  }

  /**
   * Whether the whole of `text` matches.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Automaton } from "./_automaton.ts";
   * import { parseRegexp } from "./_regexp_parser.ts";
   * assert.equal(new Automaton(parseRegexp("(a+)+b"), "").matches("a".repeat(10000)), false);
   * ```
   */
  matches(text: string): boolean {
    let state = this.#start;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      state = this.#step(state, c);
      if (state.dead) return false;
    }
    return state.accept;
  }

  // ---- construction ----

  #add(kind: number, next: number, outs: number[] | null, ranges: readonly number[] | null) {
    if (this.#kinds.length >= AUTOMATON_MAX_STATES) {
      throw new ValidationError(
        `Pattern "${this.#source}" is too complex (over ${AUTOMATON_MAX_STATES} automaton states)`,
      );
    }
    this.#kinds.push(kind);
    this.#next.push(next);
    this.#outs.push(outs);
    this.#ranges.push(ranges);
    return this.#kinds.length - 1;
  }

  /** Builds the states for `node`, continuing to state `next`; returns the entry state. */
  #build(node: PatternNode, next: number): number {
    switch (node.kind) {
      case "empty":
        return next;
      case "chars":
        return this.#add(CHAR, next, null, node.ranges);
      case "assert":
        return this.#add(node.at === "start" ? ASSERT_START : ASSERT_END, next, null, null);
      case "concat": {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = this.#build(node.items[i]!, entry);
        return entry;
      }
      case "alt":
        return this.#add(SPLIT, -1, node.items.map((item) => this.#build(item, next)), null);
      case "repeat":
        return this.#buildRepeat(node.item, node.min, node.max, next);
    }
  }

  #buildRepeat(item: PatternNode, min: number, max: number, next: number): number {
    let entry: number;
    if (max === Infinity) {
      const loop = this.#add(SPLIT, -1, [], null);
      const body = this.#build(item, loop);
      this.#outs[loop] = [body, next];
      entry = min === 0 ? loop : body;
      for (let i = 1; i < min; i++) entry = this.#build(item, entry);
      return entry;
    }
    entry = next;
    for (let i = 0; i < max - min; i++) {
      entry = this.#add(SPLIT, -1, [this.#build(item, entry), next], null);
    }
    for (let i = 0; i < min; i++) entry = this.#build(item, entry);
    return entry;
  }

  // ---- simulation ----

  /** The states reachable from `seeds` without consuming input. */
  #closure(seeds: number[], atStart: boolean, atEnd = false): number[] {
    const generation = ++this.#generation;
    const marks = this.#marks;
    const found: number[] = [];
    const stack = seeds.slice();
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (marks[s] === generation) continue;
      marks[s] = generation;
      switch (this.#kinds[s]) {
        case SPLIT:
          for (const out of this.#outs[s]!) stack.push(out);
          break;
        case ASSERT_START:
          if (atStart) stack.push(this.#next[s]!);
          break;
        case ASSERT_END:
          if (atEnd) stack.push(this.#next[s]!);
          else found.push(s);
          break;
        default:
          found.push(s);
      }
    }
    return found.sort((a, b) => a - b);
  }

  #intern(set: number[], isStart: boolean): DfaState {
    const key = (isStart ? "start:" : "") + set.join(",");
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    if (this.#cache.size >= DFA_CACHE_LIMIT) this.#flush();
    const pending = set.filter((s) => this.#kinds[s] === ASSERT_END || this.#kinds[s] === MATCH);
    const accept = pending.length > 0 &&
      this.#closure(pending, isStart, true).some((s) => this.#kinds[s] === MATCH);
    const state: DfaState = {
      set: Int32Array.from(set),
      accept,
      dead: set.length === 0,
      ascii: new Array<DfaState | null>(128).fill(null),
      other: null,
    };
    this.#cache.set(key, state);
    return state;
  }

  #flush(): void {
    for (const state of this.#cache.values()) {
      state.ascii.fill(null);
      state.other = null;
    }
    this.#cache.clear();
  }

  #step(state: DfaState, c: number): DfaState {
    const known = c < 128 ? state.ascii[c] : state.other?.get(c);
    if (known) return known;
    const seeds: number[] = [];
    for (const s of state.set) {
      if (this.#kinds[s] === CHAR && inRanges(this.#ranges[s]!, c)) seeds.push(this.#next[s]!);
    }
    const target = this.#intern(this.#closure(seeds, false), false);
    if (c < 128) state.ascii[c] = target;
    else (state.other ??= new Map()).set(c, target);
    return target;
  }
}

function inRanges(ranges: readonly number[], c: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < ranges[2 * mid]!) hi = mid - 1;
    else if (c > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
