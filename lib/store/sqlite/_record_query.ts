/**
 * Compiles a {@linkcode RecordQuery} (v1 query) into one parameterised SQLite statement.
 * Values are always bound, never spliced: id lists go in as one JSON array (`json_each`), and
 * `plain` equality is matched through `json_each(records.plain)`.
 *
 * @module
 */
import type { PlainFilter } from "../../protocol/query.ts";
import type { RecordQuery } from "../records.ts";
import { recordColumns } from "./_record_rows.ts";

/** A SQL text and its positional parameters. */
export interface CompiledQuery {
  /** The statement, with `?` placeholders. */
  sql: string;
  /** Its parameters, in order. */
  params: Array<string | number>;
}

/**
 * Builds the `SELECT` for a record query (without the `data` column unless `includeData`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileRecordQuery } from "./_record_query.ts";
 * const { sql, params } = compileRecordQuery({
 *   callerId: "c", scope: "own", afterSeq: 0, limit: 10,
 *   writerIds: [], userIds: [], recordIds: [], types: ["contact"], plain: null,
 *   includeData: false,
 * });
 * assert.match(sql, /^SELECT r.seq, .* FROM records r WHERE/);
 * assert.doesNotMatch(sql, /r\.data/); // no `includeData: true`
 * assert.deepEqual(params, [0, "c", '["contact"]', 10]);
 * ```
 */
export function compileRecordQuery(query: RecordQuery): CompiledQuery {
  const where: string[] = ["r.seq > ?"];
  const params: Array<string | number> = [query.afterSeq];
  if (query.scope === "own") {
    where.push("r.writer_id = ?");
    params.push(query.callerId);
  } else {
    where.push(
      "(r.writer_id = ? OR EXISTS (SELECT 1 FROM policies p WHERE p.user_id = r.user_id" +
        " AND p.writer_id = r.writer_id AND p.reader_id = ? AND p.type = r.type" +
        " AND p.can_read = 1))",
    );
    params.push(query.callerId, query.callerId);
  }
  addListFilter(where, params, "r.writer_id", query.writerIds);
  addListFilter(where, params, "r.user_id", query.userIds);
  addListFilter(where, params, "r.record_id", query.recordIds);
  addListFilter(where, params, "r.type", query.types);
  if (query.plain !== null) where.push(compilePlainFilter(query.plain, params));
  params.push(query.limit);
  return {
    sql: `SELECT ${recordColumns(query.includeData ?? true)} FROM records r WHERE ${
      where.join(" AND ")
    } ORDER BY r.seq LIMIT ?`,
    params,
  };
}

function addListFilter(
  where: string[],
  params: Array<string | number>,
  column: string,
  values: string[],
): void {
  if (values.length === 0) return;
  where.push(`${column} IN (SELECT value FROM json_each(?))`);
  params.push(JSON.stringify(values));
}

function compilePlainFilter(filter: PlainFilter, params: Array<string | number>): string {
  if ("eq" in filter) {
    params.push(filter.eq.name, filter.eq.value);
    return "EXISTS (SELECT 1 FROM json_each(r.plain) pe WHERE pe.key = ? AND pe.value = ?)";
  }
  if ("not" in filter) return `(NOT ${compilePlainFilter(filter.not, params)})`;
  const [children, joiner] = "and" in filter ? [filter.and, " AND "] : [filter.or, " OR "];
  return `(${children.map((child) => compilePlainFilter(child, params)).join(joiner)})`;
}
