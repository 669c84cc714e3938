/**
 * FUZZY matching: Levenshtein edit distance (insertions, deletions, substitutions; a
 * transposition counts as two edits) within Elasticsearch's `AUTO` distance of the pattern:
 * 0 edits for patterns of 1–2 characters, 1 for 3–5, 2 beyond. Lengths are in code points.
 *
 * The distance check is a banded dynamic program: only the `2k + 1` diagonals around the main
 * one are computed, and it stops as soon as a whole row exceeds `k`, so a check costs
 * O(length × k) time and O(length) memory.
 *
 * @module
 */

/**
 * The `AUTO` edit distance for a pattern of `length` code points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoFuzziness } from "./_fuzzy.ts";
 * assert.equal(autoFuzziness(2), 0);
 * assert.equal(autoFuzziness(5), 1);
 * assert.equal(autoFuzziness(13), 2);
 * ```
 */
export function autoFuzziness(length: number): number {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`Pattern length must be a non-negative integer, got ${length}`);
  }
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/**
 * A string's code points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codePoints } from "./_fuzzy.ts";
 * assert.deepEqual(codePoints("a😀"), Int32Array.from([97, 128512]));
 * ```
 */
export function codePoints(text: string): Int32Array {
  return Int32Array.from(text, (c) => c.codePointAt(0)!);
}

/**
 * Whether the Levenshtein distance between `a` and `b` is at most `k`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codePoints, withinEditDistance } from "./_fuzzy.ts";
 * assert.equal(withinEditDistance(codePoints("bummer"), codePoints("summer"), 1), true);
 * assert.equal(withinEditDistance(codePoints("kitten"), codePoints("sitting"), 2), false);
 * ```
 */
export function withinEditDistance(a: Int32Array, b: Int32Array, k: number): boolean {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer`);
  const m = b.length;
  return banded(a, a.length, b, m, k, new Int32Array(m + 2), new Int32Array(m + 2));
}

/**
 * A reusable check "is `term` within `k` edits of `pattern`" that allocates nothing per call
 * (the dictionary scan calls it for every candidate term).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistanceMatcher } from "./_fuzzy.ts";
 * const near = editDistanceMatcher("veryveryfunny", 2);
 * assert.equal(near("veryveryfuzzy"), true);
 * assert.equal(near("veryfunny"), false);
 * ```
 */
export function editDistanceMatcher(pattern: string, k: number): (term: string) => boolean {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer`);
  const a = codePoints(pattern);
  let b = new Int32Array(a.length + k + 2);
  let previous = new Int32Array(b.length + 2);
  let current = new Int32Array(b.length + 2);
  return (term) => {
    if (term.length > 2 * (a.length + k) || term.length < a.length - k) return false;
    if (b.length < term.length) {
      b = new Int32Array(term.length);
      previous = new Int32Array(term.length + 2);
      current = new Int32Array(term.length + 2);
    }
    const m = decodeInto(term, b);
    return banded(a, a.length, b, m, k, previous, current);
  };
}

/** Writes the code points of `text` into `out` (large enough); returns how many. */
function decodeInto(text: string, out: Int32Array): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    out[count++] = c;
  }
  return count;
}

/** The banded dynamic program over `a[0..n)` and `b[0..m)`; `previous`/`current` hold m + 2. */
function banded(
  a: Int32Array,
  n: number,
  b: Int32Array,
  m: number,
  k: number,
  previous: Int32Array,
  current: Int32Array,
): boolean {
  if (Math.abs(n - m) > k) return false;
  if (k === 0) {
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const big = k + 1; // any value above k behaves the same
  for (let j = 0; j <= m + 1; j++) previous[j] = j <= k ? j : big;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    current[lo - 1] = lo === 1 && i <= k ? i : big;
    current[hi + 1] = big;
    let rowMin = current[lo - 1]!;
    const ai = a[i - 1];
    for (let j = lo; j <= hi; j++) {
      let value = previous[j - 1]! + (ai === b[j - 1] ? 0 : 1);
      const remove = previous[j]! + 1;
      if (remove < value) value = remove;
      const insert = current[j - 1]! + 1;
      if (insert < value) value = insert;
      if (value > big) value = big;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > k) return false;
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[m]! <= k;
}

/**
 * Splits a pattern into `k + 1` consecutive pieces of near-equal length. A string within `k`
 * edits of the pattern contains at least one piece unchanged (each edit touches one piece),
 * which lets an index of substrings narrow a fuzzy scan.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuzzyPieces } from "./_fuzzy.ts";
 * assert.deepEqual(fuzzyPieces("veryveryfunny", 2), ["veryv", "eryf", "unny"]);
 * ```
 */
export function fuzzyPieces(pattern: string, k: number): string[] {
  const chars = Array.from(pattern);
  const count = k + 1;
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(chars.length / count) + (i < chars.length % count ? 1 : 0);
    pieces.push(chars.slice(start, start + size).join(""));
    start += size;
  }
  return pieces;
}
