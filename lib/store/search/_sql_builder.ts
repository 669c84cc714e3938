/**
 * Assembling SQL from constant fragments while every value goes to a bound parameter, in the
 * order the placeholders appear.
 *
 * @module
 */
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

  /** `SELECT value FROM json_each(?)`: the values as a one-column subquery. */
  list(values: ReadonlyArray<string | number>): string {
    this.params.push(JSON.stringify(values));
    return "SELECT value FROM json_each(?)";
  }
}
