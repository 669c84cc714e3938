/** Shared pieces of the search tests: a seeded PRNG and random records and queries. */
import {
  emptyClause,
  type SearchClause,
  type SearchQuery,
} from "../lib/store/search/search_query.ts";
import type { SearchStrategy } from "../lib/protocol/search.ts";
import type { NewRecord, RecordRow } from "../lib/store/records.ts";

/** mulberry32: a small seeded PRNG for repeatable property tests (never for secrets). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
export class Dice {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A string of `min`..`max` characters drawn from `alphabet` (code points). */
  text(alphabet: readonly string[], min: number, max: number): string {
    let out = "";
    const length = min + this.int(max - min + 1);
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }
}

/** Full Levenshtein distance over code points (the textbook DP; the reference). */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
        previous[j]! + 1,
        current[j - 1]! + 1,
      );
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** `*`/`?` wildcard matching by dynamic programming over code points (the reference). */
export function wildcardReference(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let row = new Array<boolean>(t.length + 1).fill(false);
  row[0] = true;
  for (const c of p) {
    const next = new Array<boolean>(t.length + 1).fill(false);
    if (c === "*") {
      let seen = false;
      for (let j = 0; j <= t.length; j++) next[j] = seen ||= row[j]!;
    } else {
      for (let j = 1; j <= t.length; j++) next[j] = row[j - 1]! && (c === "?" || c === t[j - 1]);
    }
    row = next;
  }
  return row[t.length]!;
}

/** A query with defaults: own records, no clauses, first page of 50, oldest first. */
export function searchQuery(callerId: string, overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    callerId,
    includeAllWriters: false,
    match: [],
    exclude: [],
    range: null,
    descending: false,
    offset: 0,
    limit: 50,
    ...overrides,
  };
}

/** A clause with defaults (OR, EXACT, no values). */
export function clause(overrides: Partial<SearchClause> = {}): SearchClause {
  return { ...emptyClause(), ...overrides };
}

/** Short words over a small alphabet, so random patterns hit often. */
export const WORDS = [
  "summer",
  "sunny",
  "winter",
  "snowy",
  "spring",
  "bummer",
  "toznywebsite",
  "toznians",
  "veryveryfuzzy",
  "server_1",
  "server_12",
  "server_2",
  "a",
  "ab",
  "abc",
  "",
  "é",
  "naïve",
  "日本",
  "😀x",
  "x😀",
  "aXb",
];
export const KEYS = ["name", "weather", "host", "tag", "k", "日", "server_1_name"];
export const TYPES = ["season", "web", "contact", "t"];

/** A random record of `writerId` (the caller sets seq/created). */
export function randomRecord(dice: Dice, writerId: string, created: number): NewRecord {
  const plain: Record<string, string> = {};
  const entries = dice.int(4);
  for (let i = 0; i < entries; i++) plain[dice.pick(KEYS)] = dice.pick(WORDS);
  return {
    recordId: crypto.randomUUID(),
    writerId,
    userId: writerId,
    type: dice.pick(TYPES),
    plain,
    data: { f: "a.b.c.d" },
    recSig: null,
    fileMeta: null,
    created,
    lastModified: created,
    version: crypto.randomUUID(),
  };
}

const STRATEGIES: SearchStrategy[] = ["EXACT", "WILDCARD", "REGEXP", "FUZZY"];

/** A random search value for `strategy`, often derived from a real word so it matches. */
export function randomValue(dice: Dice, strategy: SearchStrategy, words: readonly string[]) {
  const word = dice.pick(words);
  const chars = Array.from(word);
  switch (strategy) {
    case "EXACT":
    case "FUZZY":
      if (strategy === "FUZZY" && chars.length > 0 && dice.chance(0.5)) {
        chars[dice.int(chars.length)] = dice.pick(["a", "z", "é"]);
      }
      return chars.join("");
    case "WILDCARD": {
      const cut = dice.int(chars.length + 1);
      return dice.pick([
        `${chars.slice(0, cut).join("")}*`,
        `*${chars.slice(cut).join("")}`,
        `*${chars.slice(1, 3).join("")}*`,
        chars.map((c) => dice.chance(0.3) ? "?" : c).join(""),
        "*",
      ]);
    }
    case "REGEXP": {
      const escaped = chars.map((c) => /[.?+*|{}[\]()"\\^$]/.test(c) ? `\\${c}` : c);
      const cut = dice.int(escaped.length + 1);
      return dice.pick([
        `${escaped.slice(0, cut).join("")}.*`,
        `.*${escaped.slice(cut).join("")}`,
        `(${escaped.join("")}|${dice.pick(["x", "ab", "sun.*"])})`,
        `[a-s]${escaped.slice(1).join("")}`,
        `${escaped.slice(0, 2).join("")}[^q]*`,
        ".*",
      ]);
    }
  }
}

/** A random clause: a strategy and a few values over every term list. */
export function randomClause(
  dice: Dice,
  writerIds: readonly string[],
  recordIds: readonly string[],
): SearchClause {
  const strategy = dice.pick(STRATEGIES);
  const value = (words: readonly string[]) => randomValue(dice, strategy, words);
  const some = <T>(make: () => T) => Array.from({ length: dice.int(3) }, make);
  const result = clause({ condition: dice.chance(0.5) ? "AND" : "OR", strategy });
  if (dice.chance(0.3)) result.types = some(() => value(TYPES));
  if (dice.chance(0.5)) result.values = some(() => value(WORDS));
  if (dice.chance(0.3)) result.keys = some(() => value(KEYS));
  if (dice.chance(0.3)) result.tags = some(() => [value(KEYS), value(WORDS)] as [string, string]);
  if (dice.chance(0.1)) result.writerIds = some(() => value(writerIds));
  if (dice.chance(0.1)) result.recordIds = some(() => value(recordIds));
  if (dice.chance(0.1)) result.userIds = some(() => value(writerIds));
  return result;
}

/** The ids of rows, for readable assertions. */
export function ids(rows: readonly RecordRow[]): string[] {
  return rows.map((row) => row.recordId);
}
