/**
 * The row checks of a search plan: SQL that tests one index row against a formula, by point
 * lookups in the posting lists for a few terms, or by reading the record's `plain`.
 *
 * @module
 */
import { MATCH_FUNCTION } from "./_match_function.ts";
import type { Formula, TermSet } from "./_search_formula.ts";
import type { SearchTuning } from "./_search_tuning.ts";
import type { SqlBuilder } from "./_sql_builder.ts";

/** How one row is addressed inside a statement. */
export interface Row {
  /** The expression of the row's creation time. */
  created: string;
  /** The expression of the row's sequence number. */
  seq: string;
  /** The expression of the row's writer number. */
  writerNum: (b: SqlBuilder) => string;
  /** The alias of the row's `records` row. */
  record: string;
}

/**
 * ` AND column >= ? AND column <= ?` for the bounds that are set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeSql } from "./_search_checks.ts";
 * import { SqlBuilder } from "./_sql_builder.ts";
 * assert.equal(rangeSql(new SqlBuilder(), "r.created", 5, null), " AND r.created >= ?");
 * ```
 */
export function rangeSql(
  b: SqlBuilder,
  column: string,
  after: number | null,
  before: number | null,
) {
  return (after === null ? "" : ` AND ${column} >= ${b.param(after)}`) +
    (before === null ? "" : ` AND ${column} <= ${b.param(before)}`);
}

function listed(set: TermSet): boolean {
  return set.ranges.length === 0;
}

function probeable(formula: Formula, tuning: SearchTuning): boolean {
  const PROBE_MAX = tuning.probeMax;
  if (formula.kind === "type" || formula.kind === "value") {
    return listed(formula) && formula.ids.length <= PROBE_MAX;
  }
  if (formula.kind === "tag") {
    return listed(formula.keys) && listed(formula.values) &&
      formula.keys.ids.length * formula.values.ids.length <= PROBE_MAX;
  }
  return false;
}

/**
 * Whether checking `formula` reads the `records` row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { needsRecord } from "./_search_checks.ts";
 * import { DEFAULT_SEARCH_TUNING } from "./_search_tuning.ts";
 * assert.equal(needsRecord({ kind: "has_plain" }, DEFAULT_SEARCH_TUNING), true);
 * assert.equal(needsRecord({ kind: "const", value: true }, DEFAULT_SEARCH_TUNING), false);
 * ```
 */
export function needsRecord(formula: Formula, tuning: SearchTuning): boolean {
  if (formula.kind === "const" || probeable(formula, tuning)) return false;
  if (formula.kind === "and" || formula.kind === "or") {
    return formula.items.some((item) => needsRecord(item, tuning));
  }
  return true;
}

/**
 * A SQL condition that is true when the row matches `formula`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formulaSql } from "./_search_checks.ts";
 * import { DEFAULT_SEARCH_TUNING } from "./_search_tuning.ts";
 * import { SqlBuilder } from "./_sql_builder.ts";
 * const row = { created: "x.created", seq: "x.seq", writerNum: () => "x.writer_num", record: "r" };
 * const sql = formulaSql(new SqlBuilder(), { kind: "has_plain" }, row, DEFAULT_SEARCH_TUNING);
 * assert.equal(sql, "EXISTS (SELECT 1 FROM json_each(r.plain))");
 * ```
 */
export function formulaSql(
  b: SqlBuilder,
  formula: Formula,
  row: Row,
  tuning: SearchTuning,
): string {
  const r = row.record;
  const entries = b.dialect.plainEntries(r);
  if (probeable(formula, tuning)) return probeSql(b, formula, row);
  const check = (expr: string, set: TermSet) => termCheck(b, expr, set, tuning.inlineTextsMax);
  switch (formula.kind) {
    case "const":
      return formula.value ? "TRUE" : "FALSE";
    case "and":
    case "or":
      return `(${
        formula.items.map((item) => formulaSql(b, item, row, tuning)).join(
          formula.kind === "and" ? " AND " : " OR ",
        )
      })`;
    case "has_plain":
      return `EXISTS (SELECT 1 FROM ${entries})`;
    case "type":
      return check(`${r}.type`, formula);
    case "value":
      return `EXISTS (SELECT 1 FROM ${entries} j WHERE ${check("j.value", formula)})`;
    case "key":
      return `EXISTS (SELECT 1 FROM ${entries} j WHERE ${check("j.key", formula)})`;
    case "tag":
      return `EXISTS (SELECT 1 FROM ${entries} j WHERE ${check("j.key", formula.keys)} AND ${
        check("j.value", formula.values)
      })`;
    case "column":
      return b.member(`${r}.${formula.column}`, formula.texts);
    case "udf":
      return `${MATCH_FUNCTION}(${b.param(formula.ref.strategy)}, ${
        b.param(formula.ref.pattern)
      },` +
        ` ${r}.${formula.column}) = 1`;
  }
}

/** Point lookups of the row in the posting lists of a few terms. */
function probeSql(b: SqlBuilder, formula: Formula, row: Row): string {
  const head = formula.kind === "tag"
    ? `EXISTS (SELECT 1 FROM search_tag_postings q WHERE ${
      b.member("q.key_id", formula.keys.ids)
    }` +
      ` AND ${b.member("q.value_id", formula.values.ids)}`
    : `EXISTS (SELECT 1 FROM search_postings q WHERE ${
      b.member("q.term_id", (formula as TermSet).ids)
    }`;
  return `${head} AND q.writer_num = ${row.writerNum(b)} AND q.created = ${row.created}` +
    ` AND q.seq = ${row.seq})`;
}

/** `expr` is one of the set's terms: listed texts and dictionary ranges, or the patterns. */
function termCheck(b: SqlBuilder, expr: string, set: TermSet, inlineMax: number): string {
  if (set.texts.length > inlineMax && b.dialect.matchFunction) {
    const runs = set.patterns.map((ref) =>
      `${MATCH_FUNCTION}(${b.param(ref.strategy)}, ${b.param(ref.pattern)}, ${expr}) = 1`
    );
    return `(${runs.join(" OR ")})`;
  }
  const alternatives = set.texts.length === 0 ? [] : [b.member(expr, set.texts)];
  const ordered = b.dialect.ordered(expr);
  for (const range of set.ranges) {
    alternatives.push(
      `(${ordered} >= ${b.param(range.lo)}` +
        (range.hi === null ? ")" : ` AND ${ordered} < ${b.param(range.hi)})`),
    );
  }
  return `(${alternatives.join(" OR ")})`;
}
