/**
 * The few pieces of search SQL that differ between the backends (SQLite and PostgreSQL): how a
 * bound JSON list becomes a subquery, how a substring test is written, how a record's `plain`
 * entries are read, how text is compared in code point order. The planner and resolver build
 * every statement from these and from SQL both backends accept.
 *
 * @module
 */

/** How one backend writes the parts of search SQL that differ. */
export interface SearchDialect {
  /** The backend. */
  readonly name: "sqlite" | "postgres";
  /** A one-column (`value`) subquery over a JSON array bound to the one `?` it contains. */
  list(kind: "int" | "text"): string;
  /** A condition "`expr` contains the text bound to its one `?`". */
  contains(expr: string): string;
  /** The parameter bound for {@linkcode SearchDialect.contains} to look for `text`. */
  containsParam(text: string): string;
  /** A table of the `key` and `value` columns of the `plain` of the record aliased `record`. */
  plainEntries(record: string): string;
  /** `expr` made to compare in code point order (for dictionary ranges). */
  ordered(expr: string): string;
  /** An aggregate of the rows `t` into one JSON array of `[term_id, term]` pairs. */
  readonly termPairs: string;
  /** Whether the per-row `arca_search_match` SQL function exists. */
  readonly matchFunction: boolean;
  /** Whether the `search_grams` trigram table exists (else `search_terms` has a trigram index). */
  readonly gramTable: boolean;
  /** Whether `SELECT DISTINCT … LIMIT n` stops after n rows (else it reads all its input first). */
  readonly streamingDistinct: boolean;
}

/**
 * SQLite: JSON lists through `json_each`, `instr`, byte (code point) order, and the
 * `arca_search_match` function registered on each connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SQLITE_DIALECT } from "./search_dialect.ts";
 * assert.equal(SQLITE_DIALECT.contains("t.term"), "instr(t.term, ?) > 0");
 * ```
 */
export const SQLITE_DIALECT: SearchDialect = {
  name: "sqlite",
  list: () => "SELECT value FROM json_each(?)",
  contains: (expr) => `instr(${expr}, ?) > 0`,
  containsParam: (text) => text,
  plainEntries: (record) => `json_each(${record}.plain)`,
  ordered: (expr) => expr,
  termPairs: "json_group_array(json_array(t.term_id, t.term))",
  matchFunction: true,
  gramTable: true,
  streamingDistinct: true,
};

/**
 * PostgreSQL: JSON lists through `json_array_elements_text`, `LIKE` (served by the `pg_trgm`
 * index of `search_terms`), `COLLATE "C"` for code point order, no per-row match function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { POSTGRES_DIALECT } from "./search_dialect.ts";
 * assert.equal(POSTGRES_DIALECT.containsParam("50%_a\\b"), "%50\\%\\_a\\\\b%");
 * ```
 */
export const POSTGRES_DIALECT: SearchDialect = {
  name: "postgres",
  list: (kind) =>
    kind === "int"
      ? "SELECT e.value::bigint AS value FROM json_array_elements_text(?::text::json) AS e(value)"
      : "SELECT e.value AS value FROM json_array_elements_text(?::text::json) AS e(value)",
  contains: (expr) => `${expr} LIKE ?`,
  containsParam: (text) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  plainEntries: (record) => `jsonb_each_text(${record}.plain::jsonb)`,
  ordered: (expr) => `(${expr}) COLLATE "C"`,
  termPairs: "json_agg(json_build_array(t.term_id, t.term))",
  matchFunction: false,
  gramTable: false,
  streamingDistinct: false,
};
