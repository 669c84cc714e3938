/**
 * Resolves search values into predicates (`search_formula.ts`) by consulting the term
 * dictionary of the SQLite search index.
 *
 * - EXACT: one lookup by `(field, term)`.
 * - WILDCARD / REGEXP / FUZZY: read a narrowed slice of one field's dictionary, then keep the
 *   terms the exact matcher accepts. The slice is, in order of preference: the range of terms
 *   starting with the pattern's literal prefix (when it has 3+ characters); the intersection of
 *   the trigram lists of substrings every match must contain; the prefix range (shorter
 *   prefixes); else the terms whose length fits. Each slice is also filtered in SQL by the
 *   substrings every match contains (`instr`), and by length.
 *   FUZZY's substrings come from the pigeonhole principle: split into `k + 1` pieces, a string
 *   within `k` edits contains one piece unchanged.
 * - Writer ids resolve against the writers in scope; EXACT user and record ids compare the
 *   column; other patterns on them become a per-row `arca_search_match` check.
 *
 * @module
 */
import {
  andOf,
  type DictRange,
  FALSE,
  type Formula,
  orOf,
  type PatternRef,
  type TermSet,
  TRUE,
} from "./_search_formula.ts";
import type { SearchClause } from "./search_query.ts";
import type { SearchSql, SearchSqlParam } from "./search_sql.ts";
import { SEARCH_FIELD, type SearchField } from "./sqlite_index.ts";
import { compileTermPattern, type TermPattern } from "./_term_pattern.ts";

/** Gram lists are counted up to this to find the rarest. */
const GRAM_COUNT_CAP = 20_000;
/** Most trigram lists intersected per substring group. */
const MAX_GRAMS = 4;
/** Stands in for "no upper bound" on term lengths. */
const NO_MAX_LENGTH = 2 ** 31;

/** A writer whose records may be in the results. */
export interface ScopeWriter {
  /** Client id. */
  id: string;
  /** Its number in the index. */
  num: number;
  /** How many of its records are indexed. */
  records: number;
}

type Resolved = "all" | TermSet;

/**
 * Turns clauses into formulas for one search.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { Resolver } from "./_search_resolver.ts";
 * import { emptyClause } from "./search_query.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const resolver = new Resolver(searchSql(db), [{ id: "w", num: 1, records: 0 }], 100);
 * // "summer" is in no indexed record: the clause matches nothing.
 * const formula = resolver.clause({ ...emptyClause(), values: ["summer"] });
 * assert.deepEqual(formula, { kind: "const", value: false });
 * db.close();
 * ```
 */
export class Resolver {
  readonly #sql: SearchSql;
  readonly #writers: readonly ScopeWriter[];
  readonly #cache = new Map<string, Resolved>();
  readonly #maxListedTerms: number;

  /**
   * A resolver reading `sql`, for a search whose scope is `writers`; prefix patterns matching
   * more than `maxListedTerms` terms keep a dictionary range.
   */
  constructor(sql: SearchSql, writers: readonly ScopeWriter[], maxListedTerms: number) {
    this.#sql = sql;
    this.#writers = writers;
    this.#maxListedTerms = maxListedTerms;
  }

  /** The formula of one clause: its values' predicates joined by its condition. */
  clause(clause: SearchClause): Formula {
    const preds: Formula[] = [];
    const compile = (value: string) => compileTermPattern(clause.strategy, value);
    for (const value of clause.writerIds) preds.push(this.#writer(compile(value)));
    for (const value of clause.userIds) preds.push(this.#column("user_id", compile(value)));
    for (const value of clause.recordIds) preds.push(this.#column("record_id", compile(value)));
    for (const value of clause.types) preds.push(this.#field("type", compile(value)));
    for (const value of clause.keys) preds.push(this.#field("key", compile(value)));
    for (const value of clause.values) preds.push(this.#field("value", compile(value)));
    for (const [key, value] of clause.tags) preds.push(this.#tag(compile(key), compile(value)));
    if (preds.length === 0) return TRUE;
    return clause.condition === "AND" ? andOf(preds) : orOf(preds);
  }

  #writer(pattern: TermPattern): Formula {
    const texts = this.#writers.map((w) => w.id).filter((id) => pattern.matches(id));
    return texts.length === 0 ? FALSE : { kind: "column", column: "writer_id", texts };
  }

  #column(column: "user_id" | "record_id", pattern: TermPattern): Formula {
    if (pattern.matchesEverything) return TRUE;
    if (pattern.exact !== null) return { kind: "column", column, texts: [pattern.exact] };
    return { kind: "udf", column, ref: { strategy: pattern.strategy, pattern: pattern.source } };
  }

  #field(kind: "type" | "key" | "value", pattern: TermPattern): Formula {
    const resolved = this.#dictionary(SEARCH_FIELD[kind], pattern);
    if (resolved === "all") return kind === "type" ? TRUE : { kind: "has_plain" };
    return isEmpty(resolved) ? FALSE : { kind, ...resolved };
  }

  #tag(keyPattern: TermPattern, valuePattern: TermPattern): Formula {
    const keys = this.#dictionary(SEARCH_FIELD.key, keyPattern);
    const values = this.#dictionary(SEARCH_FIELD.value, valuePattern);
    if ((keys !== "all" && isEmpty(keys)) || (values !== "all" && isEmpty(values))) return FALSE;
    if (keys === "all") {
      return values === "all" ? { kind: "has_plain" } : { kind: "value", ...values };
    }
    if (values === "all") return { kind: "key", ...keys };
    return { kind: "tag", keys, values };
  }

  /** The terms of `field` the pattern matches (`"all"` for a match-everything pattern). */
  #dictionary(field: SearchField, pattern: TermPattern): Resolved {
    if (pattern.matchesEverything) return "all";
    const cacheKey = `${field}:${pattern.strategy}:${pattern.source}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const resolved = this.#resolve(field, pattern);
    this.#cache.set(cacheKey, resolved);
    return resolved;
  }

  #resolve(field: SearchField, pattern: TermPattern): TermSet {
    const patterns: PatternRef[] = [{ strategy: pattern.strategy, pattern: pattern.source }];
    let found: Array<[number, string]>;
    if (pattern.exact !== null) found = this.#lookup(field, pattern.exact);
    else if (pattern.prefixOnly) {
      const range = { field, lo: pattern.prefix, hi: prefixSuccessor(pattern.prefix) };
      if (this.#rangeSize(range, this.#maxListedTerms + 1) > this.#maxListedTerms) {
        return { ids: [], texts: [], ranges: [range], patterns };
      }
      found = this.#scan(...rangeWhere(range, "", [])); // every term of the range matches
    } else {
      found = this.#candidates(field, pattern).filter(([, term]) => pattern.matches(term));
    }
    return {
      ids: found.map(([id]) => id),
      texts: found.map(([, term]) => term),
      ranges: [],
      patterns,
    };
  }

  /** Terms in a dictionary range, counted up to `cap`. */
  #rangeSize(range: DictRange, cap: number): number {
    const [where, params] = rangeWhere(range, "", []);
    const row = this.#sql.get(
      `SELECT count(*) AS n FROM (SELECT 1 FROM search_terms t WHERE ${where} LIMIT ?)`,
      ...params,
      BigInt(cap),
    );
    return Number(row?.n ?? 0);
  }

  #lookup(field: SearchField, term: string): Array<[number, string]> {
    const row = this.#sql.get(
      "SELECT term_id FROM search_terms WHERE field = ? AND term = ?",
      BigInt(field),
      term,
    );
    return row === undefined ? [] : [[Number(row.term_id), term]];
  }

  /** Terms that may match: a superset of the matches, read from a narrowed slice. */
  #candidates(field: SearchField, pattern: TermPattern): Array<[number, string]> {
    const lengths = [
      BigInt(pattern.minLength),
      BigInt(Math.min(pattern.maxLength, NO_MAX_LENGTH)),
    ];
    const prefixLength = Array.from(pattern.prefix).length;
    const gramGroups = pattern.anyOfGroups.map((group) =>
      group.filter((text) => Array.from(text).length >= 3)
    );
    const gramsUsable = gramGroups.length > 0 && gramGroups.every((group) => group.length > 0);
    const filter = substringFilter(pattern.anyOfGroups);
    if (prefixLength >= 3 || (!gramsUsable && prefixLength > 0)) {
      // The (field, term) index covers this scan; the matcher checks lengths afterwards.
      const range = { field, lo: pattern.prefix, hi: prefixSuccessor(pattern.prefix) };
      return this.#scan(...rangeWhere(range, filter.sql, filter.params));
    }
    if (gramsUsable) {
      const found = new Map<number, string>();
      for (const group of gramGroups) {
        for (const [id, term] of this.#gramScan(field, group, lengths)) found.set(id, term);
      }
      return [...found];
    }
    return this.#scan(
      `t.field = ? AND t.length BETWEEN ? AND ?${filter.sql}`,
      [BigInt(field), ...lengths, ...filter.params],
    );
  }

  /** Terms containing every trigram of the group's strings (the rarest lists intersected). */
  #gramScan(field: SearchField, group: string[], lengths: bigint[]): Array<[number, string]> {
    const grams = [...new Set(group.flatMap(trigramsOf))];
    const counted = grams.map((gram) => ({ gram, n: this.#gramCount(field, gram) }));
    counted.sort((a, b) => a.n - b.n);
    if (counted[0]!.n === 0) return [];
    const [driver, ...others] = counted.slice(0, MAX_GRAMS);
    const probes = others.map(() =>
      " AND EXISTS (SELECT 1 FROM search_grams g2 WHERE g2.field = g.field AND g2.gram = ?" +
      " AND g2.term_id = g.term_id)"
    ).join("");
    const filter = substringFilter([group]);
    return this.#scan(
      "t.term_id IN (SELECT g.term_id FROM search_grams g WHERE g.field = ? AND g.gram = ?" +
        `${probes}) AND t.length BETWEEN ? AND ?${filter.sql}`,
      [BigInt(field), driver!.gram, ...others.map((o) => o.gram), ...lengths, ...filter.params],
    );
  }

  #gramCount(field: SearchField, gram: string): number {
    const row = this.#sql.get(
      "SELECT count(*) AS n FROM (SELECT 1 FROM search_grams WHERE field = ? AND gram = ? LIMIT ?)",
      BigInt(field),
      gram,
      BigInt(GRAM_COUNT_CAP),
    );
    return Number(row?.n ?? 0);
  }

  /** `[term_id, term]` of the dictionary rows `t` matching `where`, read as one JSON array. */
  #scan(where: string, params: SearchSqlParam[]): Array<[number, string]> {
    const row = this.#sql.get(
      "SELECT json_group_array(json_array(t.term_id, t.term)) AS terms FROM search_terms t" +
        ` WHERE ${where}`,
      ...params,
    );
    return JSON.parse(String(row?.terms ?? "[]")) as Array<[number, string]>;
  }
}

function isEmpty(set: TermSet): boolean {
  return set.ids.length === 0 && set.ranges.length === 0;
}

/** The `WHERE` text and parameters selecting a dictionary range (alias `t`), plus `extra`. */
function rangeWhere(
  range: DictRange,
  extra: string,
  extraParams: SearchSqlParam[],
): [string, SearchSqlParam[]] {
  const params: SearchSqlParam[] = [BigInt(range.field), range.lo];
  if (range.hi !== null) params.push(range.hi);
  return [
    `t.field = ? AND t.term >= ?${range.hi === null ? "" : " AND t.term < ?"}${extra}`,
    [...params, ...extraParams],
  ];
}

/**
 * `AND (group OR group ...)`, each group `instr(t.term, ?) > 0 AND ...`: terms containing every
 * string of some group. Empty when a group is empty (nothing known).
 */
function substringFilter(groups: readonly (readonly string[])[]) {
  const usable = groups.length > 0 && groups.every((g) => g.some((text) => text.length > 0));
  if (!usable) return { sql: "", params: [] as string[] };
  const params: string[] = [];
  const alternatives = groups.map((group) => {
    const texts = group.filter((text) => text.length > 0);
    params.push(...texts);
    return `(${texts.map(() => "instr(t.term, ?) > 0").join(" AND ")})`;
  });
  return { sql: ` AND (${alternatives.join(" OR ")})`, params };
}

function trigramsOf(text: string): string[] {
  const chars = Array.from(text);
  const grams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) grams.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return grams;
}

/**
 * The smallest string greater than every string starting with `prefix`, in code point order
 * (SQLite's UTF-8 byte order), or `null` when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prefixSuccessor } from "./_search_resolver.ts";
 * assert.equal(prefixSuccessor("abc"), "abd");
 * ```
 */
export function prefixSuccessor(prefix: string): string | null {
  const chars = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (chars.length > 0) {
    let last = chars.pop()! + 1;
    if (last === 0xd800) last = 0xe000; // skip the surrogate range
    if (last <= 0x10ffff) return String.fromCodePoint(...chars, last);
  }
  return null;
}
