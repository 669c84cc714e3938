/**
 * Turns a resolved search (a positive formula, a negative one, a scope, a range) into SQL over the
 * search index, and runs it.
 *
 * **Driver.** Every result must appear in the driver's rows `(created, seq, writer_num)`: the
 * posting lists of a predicate (a type or value term set, a key or tag set), some records by id,
 * or the whole scope (`records` by writer, in creation order). For an AND clause the driver is the
 * cheapest candidate by a capped count; for OR, the union. The driver is *exact* when its rows are
 * precisely the positive formula's matches; otherwise each row is checked.
 *
 * **Row checks** stay cheap: up to `probeMax` term ids are point lookups in the posting lists;
 * larger sets read the record's `plain` and compare with the matched terms, dictionary ranges, or
 * (past `inlineTextsMax` terms) the patterns themselves. Shared records are checked against the
 * current policies. `records` is joined only when a check reads it.
 *
 * **Count** streams the driver and stops at the result window (`countUpTo`). For dictionary
 * ranges and a one-writer scope it first scans that writer's records in order, at most
 * `scanBudget` of them: dense matches reach the window quickly that way.
 *
 * **Page**, the cheapest of: *single range* (one term of one writer is already in creation order
 * in the index, so the statement stops after `offset + limit` rows); *merge* (up to
 * `maxMergeRanges` such ranges, each cut at `offset + limit` rows, then merged); *scope scan*
 * (large drivers, one writer: the writer's records in creation order with every check, reading at
 * most `scanBudget` records); *sort* (the whole driver, sorted).
 *
 * @module
 */
import { andOf, type Formula, isConst, TRUE } from "./_search_formula.ts";
import { formulaSql, needsRecord, rangeSql, type Row } from "./_search_checks.ts";
import {
  countUpTo,
  duplicateFree,
  idMember,
  mergePostings,
  type Part,
  splitRanges,
} from "./_search_parts.ts";
import { SEARCH_RESULT_WINDOW } from "./search_query.ts";
import type { ResolvedSearch, ScopeWriter } from "./_search_resolver.ts";
import type { SearchDialect } from "./search_dialect.ts";
import { prefetch, rowsOf, type SqlSteps } from "./search_sql.ts";
import { SqlBuilder } from "./_sql_builder.ts";

/** A driver: its parts, and whether its rows are exactly the positive formula's matches. */
interface Source {
  parts: Part[];
  exact: boolean;
}

/** Which row checks a row source applies (see `Planner.#rows`). */
type Check = "driver" | "scope" | null;

/**
 * Plans and runs one resolved search. Its methods are {@linkcode SqlSteps}: they yield the
 * statements they run. Call `plan()` first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { runSteps, searchSql } from "./search_sql.ts";
 * import { SQLITE_DIALECT } from "./search_dialect.ts";
 * import { FALSE, TRUE } from "./_search_formula.ts";
 * import { Planner } from "./_search_planner.ts";
 * import { indexRecord } from "./sqlite_index.ts";
 * import { DEFAULT_SEARCH_TUNING } from "./_search_tuning.ts";
 * const db = new DatabaseSync(":memory:", { enableForeignKeyConstraints: false });
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const sql = searchSql(db);
 * sql.run(
 *   "INSERT INTO records (seq, record_id, writer_id, user_id, type, plain, data, created," +
 *     " last_modified, version) VALUES (1, 'r', 'w', 'w', 'note', '{}', '{}', 5, 5, 'v')",
 * );
 * indexRecord(sql, { seq: 1, writerId: "w", type: "note", plain: {}, created: 5 });
 * const query = {
 *   callerId: "w", includeAllWriters: false, match: [], exclude: [], range: null,
 *   descending: false, offset: 0, limit: 10,
 * };
 * const scope = { callerId: "w", writers: [{ id: "w", num: 1, records: 1 }] };
 * const planner = new Planner(SQLITE_DIALECT, {
 *   query, scope, positive: TRUE, negative: FALSE, tuning: DEFAULT_SEARCH_TUNING,
 * });
 * runSteps(sql, planner.plan());
 * const total = runSteps(sql, planner.count());
 * assert.equal(total, 1);
 * assert.deepEqual(runSteps(sql, planner.page(total)), [1]);
 * db.close();
 * ```
 */
export class Planner {
  readonly #dialect: SearchDialect;
  readonly #search: ResolvedSearch;
  #driver: Source = { parts: [], exact: true };
  /** What driver rows must still be checked for (`TRUE` when the driver is exact). */
  #residual: Formula = TRUE;
  #driverRows: number | undefined;
  #bound: { writer: ScopeWriter; edge: number | null } | undefined | null = null;

  /** A planner writing SQL for `dialect`. */
  constructor(dialect: SearchDialect, search: ResolvedSearch) {
    this.#dialect = dialect;
    this.#search = search;
  }

  /** Chooses the driver. */
  *plan(): SqlSteps<void> {
    const search = this.#search;
    const positive = search.positive;
    if (positive.kind === "and") {
      // Drive by the cheapest conjunct; only the others remain to be checked.
      const [index, source] = yield* this.#cheapest(positive.items);
      if (source !== null) {
        this.#driver = { parts: source.parts, exact: false };
        this.#residual = source.exact
          ? andOf(positive.items.filter((_, i) => i !== index))
          : positive;
        return;
      }
    }
    this.#driver = (yield* this.#source(positive)) ?? {
      parts: [{ table: "scope", writers: search.scope.writers }],
      exact: false,
    };
    this.#residual = this.#driver.exact ? TRUE : positive;
  }

  /** True when nothing can match (an empty driver). */
  get empty(): boolean {
    return this.#driver.parts.length === 0;
  }

  /** Matching records, counted up to the result window. */
  *count(): SqlSteps<number> {
    if (this.#ranged()) {
      const scanned = yield* this.#scanCount();
      if (scanned !== null) return scanned;
    }
    const b = new SqlBuilder(this.#dialect);
    const parts = this.#driver.parts;
    const single = parts.length === 1 && duplicateFree(parts[0]!);
    const rows = parts.map((part) => this.#rows(b, part, "driver")).join(" UNION ALL ");
    const head = 2 * Math.min(SEARCH_RESULT_WINDOW, this.#search.tuning.sortCap);
    return yield* countUpTo(this.#dialect, rows, b.params, !single, head);
  }

  /** Announces the page's statement ({@linkcode prefetch}) if it is one range in order. */
  *prefetchPage(): SqlSteps<void> {
    const ranges = splitRanges(this.#driver.parts, this.#search.tuning.maxMergeRanges);
    if (ranges === null || ranges.length !== 1) return;
    const { sql, b } = this.#orderedSql(ranges[0]!);
    yield* prefetch(sql, b.params, true);
  }

  /** Sequence numbers of the requested page, given the total. */
  *page(total: number): SqlSteps<number[]> {
    const { offset, limit } = this.#search.query;
    const wanted = Math.min(limit, total - offset);
    if (wanted <= 0) return [];
    const ranges = splitRanges(this.#driver.parts, this.#search.tuning.maxMergeRanges);
    if (ranges !== null && ranges.length === 1) return yield* this.#ordered(ranges[0]!, wanted);
    if (ranges !== null && ranges.length <= this.#search.tuning.maxMergeRanges) {
      return yield* this.#merge(ranges, wanted);
    }
    if ((yield* this.#large()) && this.#scanLikelyEnough(total, wanted)) {
      const scanned = yield* this.#scopeScan(wanted);
      if (scanned !== null) return scanned;
    }
    return yield* this.#sorted(wanted);
  }

  // ---- drivers ----

  *#source(formula: Formula): SqlSteps<Source | null> {
    const writers = this.#search.scope.writers;
    switch (formula.kind) {
      case "const":
        return { parts: formula.value ? [{ table: "scope", writers }] : [], exact: true };
      case "type":
      case "value":
        return {
          parts: [{
            table: "postings",
            terms: formula,
            valueTerms: formula.kind === "value",
            writers,
          }],
          exact: true,
        };
      case "key":
        return { parts: [{ table: "tags", keys: formula, values: null, writers }], exact: true };
      case "tag":
        return {
          parts: [{ table: "tags", keys: formula.keys, values: formula.values, writers }],
          exact: true,
        };
      case "column":
        if (formula.column === "record_id") {
          return { parts: [{ table: "records", recordIds: formula.texts, writers }], exact: true };
        }
        if (formula.column === "writer_id") {
          const chosen = writers.filter((writer) => formula.texts.includes(writer.id));
          return {
            parts: chosen.length === 0 ? [] : [{ table: "scope", writers: chosen }],
            exact: true,
          };
        }
        return null;
      case "has_plain":
      case "udf":
        return null;
      case "or":
        return yield* this.#union(formula.items);
      case "and": {
        const source = (yield* this.#cheapest(formula.items))[1];
        return source === null ? null : { parts: source.parts, exact: false };
      }
    }
  }

  *#union(items: Formula[]): SqlSteps<Source | null> {
    const parts: Part[] = [];
    let exact = true;
    for (const item of items) {
      const source = yield* this.#source(item);
      if (source === null) return null;
      parts.push(...source.parts);
      exact &&= source.exact;
    }
    return { parts: mergePostings(parts), exact };
  }

  /** The conjunct with the fewest driver rows (by a capped count), and its source. */
  *#cheapest(items: Formula[]): SqlSteps<[number, Source | null]> {
    const candidates: Array<[number, Source]> = [];
    for (const [index, item] of items.entries()) {
      const source = yield* this.#source(item);
      if (source !== null) candidates.push([index, source]);
    }
    if (candidates.length === 0) return [-1, null];
    let best = candidates[0]!;
    if (candidates.length > 1) {
      let bestCost = Infinity;
      for (const candidate of candidates) {
        const cost = yield* this.#estimate(candidate[1].parts, this.#search.tuning.sortCap);
        if (cost < bestCost) [best, bestCost] = [candidate, cost];
      }
    }
    return best;
  }

  /** Rows of the parts (in scope and range, unchecked), counted up to `cap`. */
  *#estimate(parts: Part[], cap: number): SqlSteps<number> {
    const b = new SqlBuilder(this.#dialect);
    const union = parts.map((part) => this.#rows(b, part, null)).join(" UNION ALL ");
    const [row] = yield* rowsOf(
      `SELECT count(*) AS n FROM (SELECT 1 FROM (${union}) AS u LIMIT ${b.param(cap)}) AS s`,
      b.params,
    );
    return Number(row?.n ?? 0);
  }

  /** Whether the driver has `sortCap` rows or more (counted once). */
  *#large(): SqlSteps<boolean> {
    if (this.#ranged()) return true; // thousands of terms: assume many rows, do not count them
    this.#driverRows ??= yield* this.#estimate(this.#driver.parts, this.#search.tuning.sortCap);
    return this.#driverRows >= this.#search.tuning.sortCap;
  }

  /** Whether the driver reads whole dictionary ranges (prefixes matching thousands of terms). */
  #ranged(): boolean {
    return this.#driver.parts.some((part) =>
      (part.table === "postings" && part.terms.ranges.length > 0) ||
      (part.table === "tags" && part.keys.ranges.length + (part.values?.ranges.length ?? 0) > 0)
    );
  }

  // ---- scope scans ----

  /**
   * For a one-writer scope: the `created` bound within which a scan in result order reads at
   * most `scanBudget` records (`null`: the whole scope fits), or `undefined` when
   * the scope has several writers.
   */
  *#scanBound(): SqlSteps<{ writer: ScopeWriter; edge: number | null } | undefined> {
    if (this.#bound !== null) return this.#bound;
    this.#bound = yield* this.#findScanBound();
    return this.#bound;
  }

  *#findScanBound(): SqlSteps<{ writer: ScopeWriter; edge: number | null } | undefined> {
    const writers = this.#search.scope.writers;
    if (writers.length !== 1) return undefined;
    const writer = writers[0]!;
    const dir = this.#direction();
    const b = new SqlBuilder(this.#dialect);
    const [row] = yield* rowsOf(
      `SELECT x.created AS created FROM records x WHERE x.writer_id = ${b.param(writer.id)}` +
        this.#createdChecks(b, "x.created") +
        ` ORDER BY x.created ${dir}, x.seq ${dir} LIMIT 1 OFFSET ${
          b.param(this.#search.tuning.scanBudget)
        }`,
      b.params,
    );
    return { writer, edge: row === undefined ? null : Number(row.created) };
  }

  /** The scope-scan statement up to (excluding) its `LIMIT`. */
  #scanSql(b: SqlBuilder, bound: { writer: ScopeWriter; edge: number | null }): string {
    let sql = this.#rows(b, { table: "scope", writers: [bound.writer] }, "scope");
    if (bound.edge !== null) {
      sql += ` AND x.created ${this.#search.query.descending ? ">=" : "<="} ${b.param(bound.edge)}`;
    }
    return sql;
  }

  /**
   * Whether a scope scan likely reaches the page within its budget: matches spread evenly
   * over a one-writer scope of `records` records put the page's last one near
   * `(offset + wanted) × records / total`.
   */
  #scanLikelyEnough(total: number, wanted: number): boolean {
    const writers = this.#search.scope.writers;
    if (writers.length !== 1) return false;
    const depth = this.#search.query.offset + wanted;
    return depth * writers[0]!.records <= this.#search.tuning.scanBudget * Math.max(total, 1);
  }

  /** The count from a bounded scan, or `null` when the scan could not decide it. */
  *#scanCount(): SqlSteps<number | null> {
    const bound = yield* this.#scanBound();
    if (bound === undefined) return null;
    const b = new SqlBuilder(this.#dialect);
    const sql = `SELECT count(*) AS n FROM (${this.#scanSql(b, bound)} LIMIT ${
      b.param(SEARCH_RESULT_WINDOW)
    }) AS s`;
    const [row] = yield* rowsOf(sql, b.params);
    const n = Number(row?.n ?? 0);
    return bound.edge === null || n === SEARCH_RESULT_WINDOW ? n : null;
  }

  /** The page from a bounded scan, or `null` when the scan did not reach it. */
  *#scopeScan(wanted: number): SqlSteps<number[] | null> {
    const bound = yield* this.#scanBound();
    if (bound === undefined) return null;
    const b = new SqlBuilder(this.#dialect);
    const dir = this.#direction();
    const sql = `${this.#scanSql(b, bound)} ORDER BY created ${dir}, seq ${dir}` +
      ` LIMIT ${b.param(wanted)} OFFSET ${b.param(this.#search.query.offset)}`;
    const seqs = yield* this.#seqs(sql, b);
    return bound.edge === null || seqs.length === wanted ? seqs : null;
  }

  // ---- other page plans ----

  #direction(): string {
    return this.#search.query.descending ? "DESC" : "ASC";
  }

  /** One range in creation order: its SQL asks for the whole `limit` (the total only trims). */
  *#ordered(part: Part, wanted: number): SqlSteps<number[]> {
    const { sql, b } = this.#orderedSql(part);
    return (yield* this.#seqs(sql, b)).slice(0, wanted);
  }

  #orderedSql(part: Part): { sql: string; b: SqlBuilder } {
    const b = new SqlBuilder(this.#dialect);
    const dir = this.#direction();
    const { offset, limit } = this.#search.query;
    const sql = `${this.#rows(b, part, "driver")} ORDER BY created ${dir}, seq ${dir}` +
      ` LIMIT ${b.param(limit)} OFFSET ${b.param(offset)}`;
    return { sql, b };
  }

  *#merge(ranges: Part[], wanted: number): SqlSteps<number[]> {
    const b = new SqlBuilder(this.#dialect);
    const dir = this.#direction();
    const depth = this.#search.query.offset + wanted;
    const members = ranges.map((range) =>
      `SELECT created, seq FROM (${this.#rows(b, range, "driver")}` +
      ` ORDER BY created ${dir}, seq ${dir} LIMIT ${b.param(depth)}) AS m`
    );
    const sql = `SELECT seq FROM (${members.join(" UNION ")}) AS u` +
      ` ORDER BY created ${dir}, seq ${dir}` +
      ` LIMIT ${b.param(wanted)} OFFSET ${b.param(this.#search.query.offset)}`;
    return yield* this.#seqs(sql, b);
  }

  *#sorted(wanted: number): SqlSteps<number[]> {
    const b = new SqlBuilder(this.#dialect);
    const dir = this.#direction();
    const parts = this.#driver.parts;
    const check = "driver";
    const inner = parts.length === 1
      ? this.#rows(b, parts[0]!, check, !duplicateFree(parts[0]!))
      : parts.map((part) => this.#rows(b, part, check)).join(" UNION ");
    const sql = `SELECT seq FROM (${inner}) AS u ORDER BY created ${dir}, seq ${dir}` +
      ` LIMIT ${b.param(wanted)} OFFSET ${b.param(this.#search.query.offset)}`;
    return yield* this.#seqs(sql, b);
  }

  *#seqs(sql: string, b: SqlBuilder): SqlSteps<number[]> {
    return (yield* rowsOf(sql, b.params)).map((row) => Number(row.seq));
  }

  // ---- row sources ----

  /**
   * `SELECT created, seq, writer_num` of one part, in scope and range, with row checks:
   * `"driver"` for rows of the driver (the residual formula), `"scope"` for rows of a scope
   * scan (the whole positive formula), `null` for none.
   */
  #rows(b: SqlBuilder, part: Part, check: Check, distinct = false): string {
    const select = `SELECT ${distinct ? "DISTINCT " : ""}`;
    const nums = part.writers.map((writer) => writer.num);
    switch (part.table) {
      case "postings":
      case "tags": {
        const row: Row = {
          created: "p.created",
          seq: "p.seq",
          writerNum: () => "p.writer_num",
          record: "r",
        };
        const join = check !== null && this.#checksNeedRecord(check);
        let sql = `${select}p.created AS created, p.seq AS seq, p.writer_num AS writer_num FROM ` +
          (part.table === "postings" ? "search_postings p" : "search_tag_postings p") +
          (join ? " JOIN records r ON r.seq = p.seq" : "") + " WHERE ";
        if (part.table === "postings") sql += idMember(b, "p.term_id", part.terms);
        else {
          sql += idMember(b, "p.key_id", part.keys);
          if (part.values !== null) sql += ` AND ${idMember(b, "p.value_id", part.values)}`;
        }
        sql += ` AND ${b.member("p.writer_num", nums)}`;
        return sql + this.#createdChecks(b, "p.created") + this.#checks(b, row, check);
      }
      case "records":
      case "scope": {
        const single = part.writers.length === 1 ? part.writers[0]! : null;
        const writerNum = (inner: SqlBuilder) =>
          single !== null
            ? inner.param(single.num)
            : "(SELECT w.writer_num FROM search_writers w WHERE w.writer_id = x.writer_id)";
        const row: Row = { created: "x.created", seq: "x.seq", writerNum, record: "x" };
        let sql = `${select}x.created AS created, x.seq AS seq, ${writerNum(b)} AS writer_num` +
          " FROM records x WHERE ";
        if (part.table === "records") sql += `${b.member("x.record_id", part.recordIds)} AND `;
        sql += b.member("x.writer_id", part.writers.map((writer) => writer.id));
        return sql + this.#createdChecks(b, "x.created") + this.#checks(b, row, check);
      }
    }
  }

  #createdChecks(b: SqlBuilder, column: string): string {
    const range = this.#search.query.range;
    if (range === null || range.key !== "CREATED") return "";
    return rangeSql(b, column, range.after, range.before);
  }

  #checksNeedRecord(check: Check): boolean {
    const { query, negative } = this.#search;
    return (query.range !== null && query.range.key === "MODIFIED") ||
      needsRecord(this.#positiveCheck(check), this.#search.tuning) ||
      (!isConst(negative, false) && needsRecord(negative, this.#search.tuning));
  }

  /** What a row must still match, by where it comes from. */
  #positiveCheck(check: Check): Formula {
    return check === "scope" ? this.#search.positive : check === "driver" ? this.#residual : TRUE;
  }

  /** ` AND ...` for every row check (`null`: none). */
  #checks(b: SqlBuilder, row: Row, check: Check): string {
    if (check === null) return "";
    const { query, scope, negative } = this.#search;
    let sql = "";
    const own = scope.writers.find((writer) => writer.id === scope.callerId);
    if (scope.writers.some((writer) => writer.id !== scope.callerId)) {
      sql += ` AND (${own === undefined ? "FALSE" : `${row.writerNum(b)} = ${b.param(own.num)}`}` +
        " OR EXISTS (SELECT 1 FROM records r2 JOIN policies pol ON pol.writer_id = r2.writer_id" +
        " AND pol.user_id = r2.user_id AND pol.type = r2.type" +
        ` WHERE r2.seq = ${row.seq} AND pol.reader_id = ${b.param(scope.callerId)}` +
        " AND pol.can_read = TRUE))";
    }
    if (query.range !== null && query.range.key === "MODIFIED") {
      sql += rangeSql(b, `${row.record}.last_modified`, query.range.after, query.range.before);
    }
    const positive = this.#positiveCheck(check);
    if (!isConst(positive, true)) {
      sql += ` AND ${formulaSql(b, positive, row, this.#search.tuning)}`;
    }
    if (!isConst(negative, false)) {
      sql += ` AND NOT ${formulaSql(b, negative, row, this.#search.tuning)}`;
    }
    return sql;
  }
}
