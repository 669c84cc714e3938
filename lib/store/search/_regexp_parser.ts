/**
 * Parses a REGEXP search pattern: Lucene's regular-expression syntax (the one Elasticsearch's
 * `regexp` query uses), always matched against the whole term.
 *
 * Operators: `.` any character; `?` `+` `*` and `{n}` `{n,}` `{n,m}` repeat the preceding
 * atom; `|` alternation; `( )` grouping (`()` is the empty string); `[abc]`, `[a-z]` and
 * `[^...]` classes; `\` makes the next character literal (inside classes too); `"..."` quotes a
 * literal string. As the E3DB README documents, `^` and `$` anchor to the start and end of the
 * term (redundant, since matching is anchored anyway). Lucene's optional operators (`#`, `@`,
 * `&`, `~`, `<n-m>`) are not enabled, so those characters are literals.
 *
 * Errors are {@linkcode ValidationError}s naming the position (in code points).
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import { anyCharNode, charNode, MAX_CODE_POINT, type PatternNode } from "./_pattern_ast.ts";

/** Deepest group nesting accepted. */
export const REGEXP_MAX_NESTING = 100;
/** Largest repeat bound accepted in `{n,m}`. */
export const REGEXP_MAX_REPEAT = 1000;

/**
 * Parses a Lucene regular expression into a pattern tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegexp } from "./_regexp_parser.ts";
 * assert.equal(parseRegexp("ab?").kind, "concat");
 * ```
 */
export function parseRegexp(pattern: string): PatternNode {
  if (typeof pattern !== "string") throw new TypeError("REGEXP pattern must be a string");
  return new Parser(pattern).parseAll();
}

class Parser {
  readonly #source: string;
  readonly #chars: number[];
  #pos = 0;
  #depth = 0;

  constructor(source: string) {
    this.#source = source;
    this.#chars = Array.from(source, (c) => c.codePointAt(0)!);
  }

  parseAll(): PatternNode {
    const node = this.#parseAlternation();
    if (this.#pos < this.#chars.length) {
      throw this.#error(
        this.#peek() === 0x29 ? "unmatched ')'" : "unexpected character",
        this.#pos,
      );
    }
    return node;
  }

  #error(problem: string, at: number): ValidationError {
    return new ValidationError(
      `REGEXP pattern "${this.#source}" is invalid: ${problem} at position ${at}`,
    );
  }

  #peek(): number | undefined {
    return this.#chars[this.#pos];
  }

  #take(): number {
    const c = this.#chars[this.#pos];
    if (c === undefined) throw this.#error("unexpected end of pattern", this.#pos);
    this.#pos++;
    return c;
  }

  #parseAlternation(): PatternNode {
    const items = [this.#parseConcat()];
    while (this.#peek() === 0x7c /* | */) {
      this.#pos++;
      items.push(this.#parseConcat());
    }
    return items.length === 1 ? items[0]! : { kind: "alt", items };
  }

  #parseConcat(): PatternNode {
    const items: PatternNode[] = [];
    for (let c = this.#peek(); c !== undefined && c !== 0x7c && c !== 0x29; c = this.#peek()) {
      items.push(this.#parseRepeat());
    }
    if (items.length === 0) return { kind: "empty" };
    return items.length === 1 ? items[0]! : { kind: "concat", items };
  }

  #parseRepeat(): PatternNode {
    let node = this.#parseAtom();
    for (;;) {
      const c = this.#peek();
      if (c === 0x3f /* ? */) node = { kind: "repeat", item: node, min: 0, max: 1 };
      else if (c === 0x2a /* * */) node = { kind: "repeat", item: node, min: 0, max: Infinity };
      else if (c === 0x2b /* + */) node = { kind: "repeat", item: node, min: 1, max: Infinity };
      else if (c === 0x7b /* { */) {
        node = this.#parseBraces(node);
        continue;
      } else return node;
      this.#pos++;
    }
  }

  #parseBraces(item: PatternNode): PatternNode {
    const start = this.#pos;
    this.#pos++; // {
    const min = this.#parseNumber(start);
    let max = min;
    if (this.#peek() === 0x2c /* , */) {
      this.#pos++;
      max = this.#peek() === 0x7d ? Infinity : this.#parseNumber(start);
    }
    if (this.#peek() !== 0x7d /* } */) throw this.#error("repeat '{' is not closed", start);
    this.#pos++;
    if (max < min) throw this.#error(`repeat {${min},${max}} has max below min`, start);
    return { kind: "repeat", item, min, max };
  }

  #parseNumber(braceAt: number): number {
    const begin = this.#pos;
    while ((this.#peek() ?? -1) >= 0x30 && (this.#peek() ?? -1) <= 0x39) this.#pos++;
    if (this.#pos === begin) throw this.#error("repeat '{' needs a number", braceAt);
    const value = Number(String.fromCodePoint(...this.#chars.slice(begin, this.#pos)));
    if (value > REGEXP_MAX_REPEAT) {
      throw this.#error(`repeat count ${value} is above ${REGEXP_MAX_REPEAT}`, braceAt);
    }
    return value;
  }

  #parseAtom(): PatternNode {
    const at = this.#pos;
    const c = this.#take();
    switch (c) {
      case 0x2e: // .
        return anyCharNode();
      case 0x5e: // ^
        return { kind: "assert", at: "start" };
      case 0x24: // $
        return { kind: "assert", at: "end" };
      case 0x28: // (
        return this.#parseGroup(at);
      case 0x5b: // [
        return this.#parseClass(at);
      case 0x22: // "
        return this.#parseQuoted(at);
      case 0x5c: // \
        return charNode(this.#take());
      case 0x3f: // ?
      case 0x2a: // *
      case 0x2b: // +
      case 0x7b: // {
        throw this.#error(`nothing to repeat before '${String.fromCodePoint(c)}'`, at);
      default:
        return charNode(c);
    }
  }

  #parseGroup(at: number): PatternNode {
    if (++this.#depth > REGEXP_MAX_NESTING) {
      throw this.#error(`groups nest deeper than ${REGEXP_MAX_NESTING}`, at);
    }
    const inner = this.#parseAlternation();
    if (this.#peek() !== 0x29 /* ) */) throw this.#error("'(' is not closed", at);
    this.#pos++;
    this.#depth--;
    return inner;
  }

  #parseQuoted(at: number): PatternNode {
    const items: PatternNode[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw this.#error("'\"' is not closed", at);
      this.#pos++;
      if (c === 0x22) break;
      items.push(charNode(c));
    }
    return items.length === 0 ? { kind: "empty" } : { kind: "concat", items };
  }

  #parseClass(at: number): PatternNode {
    let negated = false;
    if (this.#peek() === 0x5e /* ^ */) {
      negated = true;
      this.#pos++;
    }
    const pairs: Array<[number, number]> = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw this.#error("'[' is not closed", at);
      if (c === 0x5d /* ] */) {
        if (pairs.length === 0) throw this.#error("character class is empty", at);
        this.#pos++;
        break;
      }
      const lo = this.#classChar();
      let hi = lo;
      if (this.#peek() === 0x2d /* - */ && this.#chars[this.#pos + 1] !== 0x5d) {
        this.#pos++;
        hi = this.#classChar();
        if (hi < lo) throw this.#error("character range is reversed", at);
      }
      pairs.push([lo, hi]);
    }
    const merged = mergeRanges(pairs);
    return { kind: "chars", ranges: negated ? complementRanges(merged) : merged };
  }

  #classChar(): number {
    const c = this.#take();
    return c === 0x5c /* \ */ ? this.#take() : c;
  }
}

/**
 * Sorts and merges `[lo, hi]` pairs into a flat list of disjoint ranges.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeRanges } from "./_regexp_parser.ts";
 * assert.deepEqual(mergeRanges([[5, 9], [1, 3], [4, 4]]), [1, 9]);
 * ```
 */
export function mergeRanges(pairs: ReadonlyArray<readonly [number, number]>): number[] {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complementRanges(ranges: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! > next) out.push(next, ranges[i]! - 1);
    next = ranges[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}
