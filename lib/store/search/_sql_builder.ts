/**
 * Assembling SQL from constant fragments while every value goes to a bound parameter, in the
 * order the placeholders appear. Placeholders are `?` (the PostgreSQL runner numbers them).
 *
 * @module
 */
import { type SearchDialect, SQLITE_DIALECT } from "./search_dialect.ts";
import type { SearchSqlParam } from "./search_sql.ts";

/**
 * Collects bound parameters; each method returns the placeholder text to splice in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqlBuilder } from "./_sql_builder.ts";
 * const b = new SqlBuilder();
 * const sql = `SELECT * FROM t WHERE ${b.member("t.id", [1, 2])} AND t.name = ${b.param("x")}`;
 * assert.equal(sql, "SELECT * FROM t WHERE t.id IN (SELECT value FROM json_each(?)) AND t.name = ?");
 * assert.deepEqual(b.params, ["[1,2]", "x"]);
 * ```
 */
export class SqlBuilder {
  /** The parameters so far, in placeholder order. */
  readonly params: SearchSqlParam[] = [];
  /** The backend the SQL is for. */
  readonly dialect: SearchDialect;

  /** A builder of SQL for `dialect` (SQLite by default). */
  constructor(dialect: SearchDialect = SQLITE_DIALECT) {
    this.dialect = dialect;
  }

  /** Binds one value (integers as `bigint`, so they compare as integers). */
  param(value: string | number): string {
    this.params.push(typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value);
    return "?";
  }

  /** `column = ?` for one value, `column IN (...)` over a bound JSON array for several. */
  member(column: string, values: ReadonlyArray<string | number>): string {
    if (values.length === 1) return `${column} = ${this.param(values[0]!)}`;
    return `${column} IN (${this.list(values)})`;
  }

  /** The values as a one-column (`value`) subquery over one bound JSON array. */
  list(values: ReadonlyArray<string | number>): string {
    this.params.push(JSON.stringify(values));
    return this.dialect.list(typeof values[0] === "number" ? "int" : "text");
  }
}
