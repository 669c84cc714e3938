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
import type { SearchDialect } from "./search_dialect.ts";
import type { SearchClause, SearchQuery } from "./search_query.ts";
import type { SearchTuning } from "./_search_tuning.ts";
import { prefetch, rowsOf, type SearchSqlParam, type SqlSteps } from "./search_sql.ts";
import { SEARCH_FIELD, type SearchField } from "./sqlite_index.ts";
import { SqlBuilder } from "./_sql_builder.ts";
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

/** The writers a search may return records of. */
export interface Scope {
  /** The client searching. */
  callerId: string;
  /** Writers in scope that have indexed records. */
  writers: ScopeWriter[];
}

/** A search ready to plan and run: what the resolver made of a query. */
export interface ResolvedSearch {
  /** The query (page, order, range). */
  query: SearchQuery;
  /** Its scope. */
  scope: Scope;
  /** What results must match. */
  positive: Formula;
  /** What results must not match (`FALSE` for nothing). */
  negative: Formula;
  /** Plan thresholds. */
  tuning: SearchTuning;
}

type Resolved = "all" | TermSet;

/** One exact term's dictionary lookup. */
const LOOKUP_SQL = "SELECT term_id FROM search_terms WHERE field = ? AND term = ?";

/**
 * Announces ({@linkcode prefetch}) the dictionary lookup of every exact type, key and value the
 * query's clauses hold, which {@linkcode Resolver} will make: they depend on nothing else, so a
 * backend with round trips (PostgreSQL) sends them together with the scope's statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prefetchLookups } from "./_search_resolver.ts";
 * import { emptyClause, type SearchQuery } from "./search_query.ts";
 * const query: SearchQuery = {
 *   callerId: "c", includeAllWriters: false, range: null, descending: false, offset: 0,
 *   limit: 10, exclude: [{ ...emptyClause(), strategy: "WILDCARD", values: ["co*"] }],
 *   match: [{ ...emptyClause(), values: ["tea"], tags: [["k", "v"]] }],
 * };
 * const announced = [];
 * const steps = prefetchLookups(query);
 * for (let step = steps.next(); !step.done; step = steps.next([])) {
 *   announced.push(step.value.params);
 * }
 * // Exact terms only: a pattern is resolved from what the lookups find.
 * assert.deepEqual(announced, [[3n, "tea"], [2n, "k"], [3n, "v"]]);
 * ```
 */
export function* prefetchLookups(query: SearchQuery): SqlSteps<void> {
  for (const clause of [...query.match, ...query.exclude]) {
    const terms: Array<[SearchField, string]> = [
      ...clause.types.map((type): [SearchField, string] => [SEARCH_FIELD.type, type]),
      ...clause.keys.map((key): [SearchField, string] => [SEARCH_FIELD.key, key]),
      ...clause.values.map((value): [SearchField, string] => [SEARCH_FIELD.value, value]),
      ...clause.tags.flatMap(([key, value]): Array<[SearchField, string]> => [
        [SEARCH_FIELD.key, key],
        [SEARCH_FIELD.value, value],
      ]),
    ];
    for (const [field, text] of terms) {
      const pattern = compileTermPattern(clause.strategy, text);
      if (pattern.exact !== null && !pattern.matchesEverything) {
        yield* prefetch(LOOKUP_SQL, [BigInt(field), pattern.exact]);
      }
    }
  }
}

/**
 * Turns clauses into formulas for one search. Its methods are {@linkcode SqlSteps}: they yield
 * the dictionary reads they need.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { runSteps, searchSql } from "./search_sql.ts";
 * import { SQLITE_DIALECT } from "./search_dialect.ts";
 * import { Resolver } from "./_search_resolver.ts";
 * import { emptyClause } from "./search_query.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const resolver = new Resolver(SQLITE_DIALECT, [{ id: "w", num: 1, records: 0 }], 100);
 * // "summer" is in no indexed record: the clause matches nothing.
 * const formula = runSteps(searchSql(db), resolver.clause({ ...emptyClause(), values: ["summer"] }));
 * assert.deepEqual(formula, { kind: "const", value: false });
 * db.close();
 * ```
 */
export class Resolver {
  readonly #dialect: SearchDialect;
  readonly #writers: readonly ScopeWriter[];
  readonly #cache = new Map<string, Resolved>();
  readonly #maxListedTerms: number;

  /**
   * A resolver writing SQL for `dialect`, for a search whose scope is `writers`; prefix
   * patterns matching more than `maxListedTerms` terms keep a dictionary range.
   */
  constructor(dialect: SearchDialect, writers: readonly ScopeWriter[], maxListedTerms: number) {
    this.#dialect = dialect;
    this.#writers = writers;
    this.#maxListedTerms = maxListedTerms;
  }

  /** The formula of one clause: its values' predicates joined by its condition. */
  *clause(clause: SearchClause): SqlSteps<Formula> {
    const preds: Formula[] = [];
    const compile = (value: string) => compileTermPattern(clause.strategy, value);
    for (const value of clause.writerIds) preds.push(this.#writer(compile(value)));
    for (const value of clause.userIds) preds.push(yield* this.#column("user_id", compile(value)));
    for (const value of clause.recordIds) {
      preds.push(yield* this.#column("record_id", compile(value)));
    }
    for (const value of clause.types) preds.push(yield* this.#field("type", compile(value)));
    for (const value of clause.keys) preds.push(yield* this.#field("key", compile(value)));
    for (const value of clause.values) preds.push(yield* this.#field("value", compile(value)));
    for (const [key, value] of clause.tags) {
      preds.push(yield* this.#tag(compile(key), compile(value)));
    }
    if (preds.length === 0) return TRUE;
    return clause.condition === "AND" ? andOf(preds) : orOf(preds);
  }

  #writer(pattern: TermPattern): Formula {
    const texts = this.#writers.map((w) => w.id).filter((id) => pattern.matches(id));
    return texts.length === 0 ? FALSE : { kind: "column", column: "writer_id", texts };
  }

  *#column(column: "user_id" | "record_id", pattern: TermPattern): SqlSteps<Formula> {
    if (pattern.matchesEverything) return TRUE;
    if (pattern.exact !== null) return { kind: "column", column, texts: [pattern.exact] };
    if (this.#dialect.matchFunction) {
      return { kind: "udf", column, ref: { strategy: pattern.strategy, pattern: pattern.source } };
    }
    // No per-row match function: list the scope's values of the column that match.
    const b = new SqlBuilder(this.#dialect);
    let sql = `SELECT DISTINCT x.${column} AS v FROM records x WHERE ${
      b.member("x.writer_id", this.#writers.map((writer) => writer.id))
    }`;
    const filter = substringFilter(this.#dialect, pattern.anyOfGroups, `x.${column}`);
    sql += filter.sql;
    b.params.push(...filter.params);
    const rows = yield* rowsOf(sql, b.params);
    const texts = rows.map((row) => String(row.v)).filter((text) => pattern.matches(text));
    return texts.length === 0 ? FALSE : { kind: "column", column, texts };
  }

  *#field(kind: "type" | "key" | "value", pattern: TermPattern): SqlSteps<Formula> {
    const resolved = yield* this.#dictionary(SEARCH_FIELD[kind], pattern);
    if (resolved === "all") return kind === "type" ? TRUE : { kind: "has_plain" };
    return isEmpty(resolved) ? FALSE : { kind, ...resolved };
  }

  *#tag(keyPattern: TermPattern, valuePattern: TermPattern): SqlSteps<Formula> {
    const keys = yield* this.#dictionary(SEARCH_FIELD.key, keyPattern);
    const values = yield* this.#dictionary(SEARCH_FIELD.value, valuePattern);
    if ((keys !== "all" && isEmpty(keys)) || (values !== "all" && isEmpty(values))) return FALSE;
    if (keys === "all") {
      return values === "all" ? { kind: "has_plain" } : { kind: "value", ...values };
    }
    if (values === "all") return { kind: "key", ...keys };
    return { kind: "tag", keys, values };
  }

  /** The terms of `field` the pattern matches (`"all"` for a match-everything pattern). */
  *#dictionary(field: SearchField, pattern: TermPattern): SqlSteps<Resolved> {
    if (pattern.matchesEverything) return "all";
    const cacheKey = `${field}:${pattern.strategy}:${pattern.source}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const resolved = yield* this.#resolve(field, pattern);
    this.#cache.set(cacheKey, resolved);
    return resolved;
  }

  *#resolve(field: SearchField, pattern: TermPattern): SqlSteps<TermSet> {
    const patterns: PatternRef[] = [{ strategy: pattern.strategy, pattern: pattern.source }];
    let found: Array<[number, string]>;
    if (pattern.exact !== null) found = yield* this.#lookup(field, pattern.exact);
    else if (pattern.prefixOnly) {
      const range = { field, lo: pattern.prefix, hi: prefixSuccessor(pattern.prefix) };
      if ((yield* this.#rangeSize(range, this.#maxListedTerms + 1)) > this.#maxListedTerms) {
        return { ids: [], texts: [], ranges: [range], patterns };
      }
      found = yield* this.#scan(...this.#rangeWhere(range, "", [])); // every term matches
    } else {
      found = (yield* this.#candidates(field, pattern)).filter(([, term]) => pattern.matches(term));
    }
    return {
      ids: found.map(([id]) => id),
      texts: found.map(([, term]) => term),
      ranges: [],
      patterns,
    };
  }

  /** Terms in a dictionary range, counted up to `cap`. */
  *#rangeSize(range: DictRange, cap: number): SqlSteps<number> {
    const [where, params] = this.#rangeWhere(range, "", []);
    const [row] = yield* rowsOf(
      `SELECT count(*) AS n FROM (SELECT 1 FROM search_terms t WHERE ${where} LIMIT ?) AS s`,
      [...params, BigInt(cap)],
    );
    return Number(row?.n ?? 0);
  }

  *#lookup(field: SearchField, term: string): SqlSteps<Array<[number, string]>> {
    const [row] = yield* rowsOf(LOOKUP_SQL, [BigInt(field), term]);
    return row === undefined ? [] : [[Number(row.term_id), term]];
  }

  /** Terms that may match: a superset of the matches, read from a narrowed slice. */
  *#candidates(field: SearchField, pattern: TermPattern): SqlSteps<Array<[number, string]>> {
    const lengths = [
      BigInt(pattern.minLength),
      BigInt(Math.min(pattern.maxLength, NO_MAX_LENGTH)),
    ];
    const prefixLength = Array.from(pattern.prefix).length;
    const gramGroups = pattern.anyOfGroups.map((group) =>
      group.filter((text) => Array.from(text).length >= 3)
    );
    const gramsUsable = gramGroups.length > 0 && gramGroups.every((group) => group.length > 0);
    const filter = substringFilter(this.#dialect, pattern.anyOfGroups, "t.term");
    if (prefixLength >= 3 || (!gramsUsable && prefixLength > 0)) {
      // The (field, term) index covers this scan; the matcher checks lengths afterwards.
      const range = { field, lo: pattern.prefix, hi: prefixSuccessor(pattern.prefix) };
      return yield* this.#scan(...this.#rangeWhere(range, filter.sql, filter.params));
    }
    if (gramsUsable && this.#dialect.gramTable) {
      const found = new Map<number, string>();
      for (const group of gramGroups) {
        for (const [id, term] of yield* this.#gramScan(field, group, lengths)) found.set(id, term);
      }
      return [...found];
    }
    // Without a trigram table, the substring filter is served by the trigram index of terms.
    return yield* this.#scan(
      `t.field = ? AND t.length BETWEEN ? AND ?${filter.sql}`,
      [BigInt(field), ...lengths, ...filter.params],
    );
  }

  /** Terms containing every trigram of the group's strings (the rarest lists intersected). */
  *#gramScan(
    field: SearchField,
    group: string[],
    lengths: bigint[],
  ): SqlSteps<Array<[number, string]>> {
    const grams = [...new Set(group.flatMap(trigramsOf))];
    const counted: Array<{ gram: string; n: number }> = [];
    for (const gram of grams) counted.push({ gram, n: yield* this.#gramCount(field, gram) });
    counted.sort((a, b) => a.n - b.n);
    if (counted[0]!.n === 0) return [];
    const [driver, ...others] = counted.slice(0, MAX_GRAMS);
    const probes = others.map(() =>
      " AND EXISTS (SELECT 1 FROM search_grams g2 WHERE g2.field = g.field AND g2.gram = ?" +
      " AND g2.term_id = g.term_id)"
    ).join("");
    const filter = substringFilter(this.#dialect, [group], "t.term");
    return yield* this.#scan(
      "t.term_id IN (SELECT g.term_id FROM search_grams g WHERE g.field = ? AND g.gram = ?" +
        `${probes}) AND t.length BETWEEN ? AND ?${filter.sql}`,
      [BigInt(field), driver!.gram, ...others.map((o) => o.gram), ...lengths, ...filter.params],
    );
  }

  *#gramCount(field: SearchField, gram: string): SqlSteps<number> {
    const [row] = yield* rowsOf(
      "SELECT count(*) AS n FROM (SELECT 1 FROM search_grams WHERE field = ? AND gram = ? LIMIT ?)" +
        " AS s",
      [BigInt(field), gram, BigInt(GRAM_COUNT_CAP)],
    );
    return Number(row?.n ?? 0);
  }

  /** `[term_id, term]` of the dictionary rows `t` matching `where`, read as one JSON array. */
  *#scan(where: string, params: SearchSqlParam[]): SqlSteps<Array<[number, string]>> {
    const [row] = yield* rowsOf(
      `SELECT ${this.#dialect.termPairs} AS terms FROM search_terms t WHERE ${where}`,
      params,
    );
    const terms = row?.terms ?? null;
    if (terms === null) return [];
    const pairs = (typeof terms === "string" ? JSON.parse(terms) : terms) as Array<
      [number | string, string]
    >;
    return pairs.map(([id, term]) => [Number(id), term]);
  }

  /** The `WHERE` text and parameters selecting a dictionary range (alias `t`), plus `extra`. */
  #rangeWhere(
    range: DictRange,
    extra: string,
    extraParams: SearchSqlParam[],
  ): [string, SearchSqlParam[]] {
    const params: SearchSqlParam[] = [BigInt(range.field), range.lo];
    if (range.hi !== null) params.push(range.hi);
    const term = this.#dialect.ordered("t.term");
    return [
      `t.field = ? AND ${term} >= ?${range.hi === null ? "" : ` AND ${term} < ?`}${extra}`,
      [...params, ...extraParams],
    ];
  }
}

function isEmpty(set: TermSet): boolean {
  return set.ids.length === 0 && set.ranges.length === 0;
}

/**
 * `AND (group OR group ...)`, each group `instr(expr, ?) > 0 AND ...` (or the dialect's
 * substring test): values containing every string of some group. Empty when a group is empty
 * (nothing known).
 */
function substringFilter(
  dialect: SearchDialect,
  groups: readonly (readonly string[])[],
  expr: string,
) {
  const usable = groups.length > 0 && groups.every((g) => g.some((text) => text.length > 0));
  if (!usable) return { sql: "", params: [] as string[] };
  const params: string[] = [];
  const alternatives = groups.map((group) => {
    const texts = group.filter((text) => text.length > 0);
    params.push(...texts.map((text) => dialect.containsParam(text)));
    return `(${texts.map(() => dialect.contains(expr)).join(" AND ")})`;
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
