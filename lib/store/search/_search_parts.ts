/**
 * The parts of a search driver: sets of `(created, seq, writer_num)` index rows (posting lists,
 * tag postings, records by id, a whole scope), and the SQL that selects their terms.
 *
 * @module
 */
import type { DictRange } from "./_search_formula.ts";
import type { ScopeWriter } from "./_search_resolver.ts";
import type { SearchDialect } from "./search_dialect.ts";
import { SEARCH_RESULT_WINDOW } from "./search_query.ts";
import { rowsOf, type SearchSqlParam, type SqlSteps } from "./search_sql.ts";
import type { SqlBuilder } from "./_sql_builder.ts";

/** Some dictionary terms: listed ids and whole ranges. */
export interface IdSet {
  /** Listed term ids. */
  ids: number[];
  /** Whole dictionary ranges. */
  ranges: DictRange[];
}

/** A set of `(created, seq, writer_num)` rows every result is in. */
export type Part =
  | { table: "postings"; terms: IdSet; valueTerms: boolean; writers: ScopeWriter[] }
  | { table: "tags"; keys: IdSet; values: IdSet | null; writers: ScopeWriter[] }
  | { table: "records"; recordIds: string[]; writers: ScopeWriter[] }
  | { table: "scope"; writers: ScopeWriter[] };

/**
 * `column` is one of the set's term ids (listed, or in one of its dictionary ranges).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idMember } from "./_search_parts.ts";
 * import { SqlBuilder } from "./_sql_builder.ts";
 * const b = new SqlBuilder();
 * assert.equal(idMember(b, "p.term_id", { ids: [7], ranges: [] }), "p.term_id = ?");
 * assert.deepEqual(b.params, [7n]);
 * ```
 */
export function idMember(b: SqlBuilder, column: string, set: IdSet): string {
  if (set.ranges.length === 0) return b.member(column, set.ids);
  const lists = set.ids.length === 0 ? [] : [b.list(set.ids)];
  for (const range of set.ranges) {
    const term = b.dialect.ordered("t.term");
    lists.push(
      `SELECT t.term_id FROM search_terms t WHERE t.field = ${b.param(range.field)}` +
        ` AND ${term} >= ${b.param(range.lo)}` +
        (range.hi === null ? "" : ` AND ${term} < ${b.param(range.hi)}`),
    );
  }
  return `${column} IN (${lists.join(" UNION ALL ")})`;
}

/**
 * Posting parts of a union become one (one scan per term instead of a compound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergePostings, type Part } from "./_search_parts.ts";
 * const part = (id: number): Part => ({
 *   table: "postings", terms: { ids: [id], ranges: [] }, valueTerms: false, writers: [],
 * });
 * const [merged] = mergePostings([part(1), part(2)]);
 * assert.ok(merged?.table === "postings");
 * assert.deepEqual(merged.terms.ids, [1, 2]);
 * ```
 */
export function mergePostings(parts: Part[]): Part[] {
  const postings = parts.filter((part) => part.table === "postings");
  if (postings.length < 2) return parts;
  const merged: Part = {
    table: "postings",
    terms: {
      ids: [...new Set(postings.flatMap((part) => part.terms.ids))],
      ranges: postings.flatMap((part) => part.terms.ranges),
    },
    valueTerms: true, // a type and a value term can both be a record's
    writers: postings[0]!.writers,
  };
  return [merged, ...parts.filter((part) => part.table !== "postings")];
}

function single(set: IdSet): boolean {
  return set.ids.length === 1 && set.ranges.length === 0;
}

/**
 * Whether a part holds each record at most once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { duplicateFree } from "./_search_parts.ts";
 * assert.equal(duplicateFree({ table: "scope", writers: [] }), true);
 * ```
 */
export function duplicateFree(part: Part): boolean {
  switch (part.table) {
    case "postings": // one type per record, but several values
      return !part.valueTerms || single(part.terms);
    case "tags": // a record has each key once
      return single(part.keys);
    case "records":
    case "scope":
      return true;
  }
}

/**
 * The parts as single index ranges (each already in creation order); `null` when one is not
 * a union of listed ranges (dictionary ranges; a key's entries are ordered by value first).
 * Stops early once past `maxMergeRanges`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitRanges } from "./_search_parts.ts";
 * const writers = [{ id: "w1", num: 1, records: 5 }, { id: "w2", num: 2, records: 9 }];
 * assert.equal(splitRanges([{ table: "scope", writers }], 8)?.length, 2);
 * ```
 */
export function splitRanges(parts: Part[], max: number): Part[] | null {
  const ranges: Part[] = [];
  for (const part of parts) {
    switch (part.table) {
      case "postings":
        if (part.terms.ranges.length > 0) return null;
        for (const id of part.terms.ids) {
          for (const writer of part.writers) {
            ranges.push({ ...part, terms: { ids: [id], ranges: [] }, writers: [writer] });
          }
        }
        break;
      case "tags":
        if (part.values === null || part.keys.ranges.length + part.values.ranges.length > 0) {
          return null;
        }
        for (const key of part.keys.ids) {
          for (const value of part.values.ids) {
            for (const writer of part.writers) {
              ranges.push({
                table: "tags",
                keys: { ids: [key], ranges: [] },
                values: { ids: [value], ranges: [] },
                writers: [writer],
              });
            }
          }
        }
        break;
      case "records":
        ranges.push(part); // a handful of ids: sorting them is free
        break;
      case "scope":
        for (const writer of part.writers) ranges.push({ table: "scope", writers: [writer] });
        break;
    }
    if (ranges.length > max) return ranges;
  }
  return ranges;
}

/**
 * How many records the rows of `rows` (a statement selecting `seq`, bound to `params`) hold,
 * counted up to the result window; `distinct` when a record may appear more than once. Where
 * `SELECT DISTINCT … LIMIT` reads its whole input before the limit applies (PostgreSQL), the
 * distinct records among the first `head` rows are counted first: that decides the capped total
 * unless duplicates are that dense.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { countUpTo } from "./_search_parts.ts";
 * import { SQLITE_DIALECT } from "./search_dialect.ts";
 * import { runSteps, searchSql } from "./search_sql.ts";
 * const db = new DatabaseSync(":memory:");
 * const rows = "SELECT 1 AS seq UNION ALL SELECT 1 UNION ALL SELECT 2";
 * assert.equal(runSteps(searchSql(db), countUpTo(SQLITE_DIALECT, rows, [], true, 4)), 2);
 * db.close();
 * ```
 */
export function* countUpTo(
  dialect: SearchDialect,
  rows: string,
  params: readonly SearchSqlParam[],
  distinct: boolean,
  head: number,
): SqlSteps<number> {
  const window = SEARCH_RESULT_WINDOW;
  const limited = (limit: number) => [...params, BigInt(limit)];
  if (!distinct) {
    const [row] = yield* rowsOf(
      `SELECT count(*) AS n FROM (${rows} LIMIT ?) AS s`,
      limited(window),
    );
    return Number(row?.n ?? 0);
  }
  if (!dialect.streamingDistinct) {
    const [row] = yield* rowsOf(
      `SELECT count(DISTINCT seq) AS n, count(*) AS n_rows FROM (SELECT seq FROM (${rows})` +
        " AS u LIMIT ?) AS s",
      limited(head),
    );
    const n = Number(row?.n ?? 0);
    if (n >= window || Number(row?.n_rows ?? 0) < head) return Math.min(n, window);
  }
  const [row] = yield* rowsOf(
    `SELECT count(*) AS n FROM (SELECT DISTINCT seq FROM (${rows}) AS u LIMIT ?) AS s`,
    limited(window),
  );
  return Number(row?.n ?? 0);
}
