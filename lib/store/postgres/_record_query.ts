/**
 * Compiles a {@linkcode RecordQuery} (v1 query) into one parameterised PostgreSQL statement.
 * Values are always bound, never spliced: id lists go in as one JSON array, and
 * `plain` equality is matched through `json_each(records.plain)`, comparing each value's JSON
 * text with the wanted value's.
 *
 * @module
 */
import type { PlainFilter } from "../../protocol/query.ts";
import type { RecordQuery } from "../records.ts";
import { pgRecordColumns } from "./_record_rows.ts";
import type { PgParam } from "./_session.ts";

/** A SQL text and its parameters (`$1`, `$2`, ...). */
export interface CompiledPgQuery {
  /** The statement. */
  sql: string;
  /** Its parameters, in order. */
  params: PgParam[];
}

/**
 * Builds the `SELECT` for a record query (without the `data` column unless `includeData`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compilePgRecordQuery } from "./_record_query.ts";
 * const { sql, params } = compilePgRecordQuery({
 *   callerId: "c", scope: "own", afterSeq: 0, limit: 10,
 *   writerIds: [], userIds: [], recordIds: [], types: ["contact"], plain: null,
 *   includeData: false,
 * });
 * assert.match(sql, /^SELECT r.seq, .* FROM records r WHERE/);
 * assert.doesNotMatch(sql, /r\.data/);
 * assert.deepEqual(params, [0, "c", '["contact"]', 10]);
 * ```
 */
export function compilePgRecordQuery(query: RecordQuery): CompiledPgQuery {
  const params: PgParam[] = [query.afterSeq];
  const where: string[] = ["r.seq > $1::bigint"];
  const next = (value: PgParam): string => `$${params.push(value)}`;
  if (query.scope === "own") {
    where.push(`r.writer_id = ${next(query.callerId)}`);
  } else {
    const caller = next(query.callerId);
    where.push(
      `(r.writer_id = ${caller} OR EXISTS (SELECT 1 FROM policies p WHERE` +
        " p.user_id = r.user_id AND p.writer_id = r.writer_id AND" +
        ` p.reader_id = ${caller} AND p.type = r.type AND p.can_read))`,
    );
  }
  addListFilter(where, next, "r.writer_id", query.writerIds);
  addListFilter(where, next, "r.user_id", query.userIds);
  addListFilter(where, next, "r.record_id", query.recordIds);
  addListFilter(where, next, "r.type", query.types);
  if (query.plain !== null) where.push(compilePlainFilter(query.plain, next));
  const limit = next(query.limit);
  return {
    sql: `SELECT ${pgRecordColumns(query.includeData ?? true)} FROM records r WHERE ${
      where.join(" AND ")
    } ORDER BY r.seq LIMIT ${limit}::bigint`,
    params,
  };
}

function addListFilter(
  where: string[],
  next: (value: PgParam) => string,
  column: string,
  values: string[],
): void {
  if (values.length === 0) return;
  where.push(
    `${column} IN (SELECT value FROM json_array_elements_text(${
      next(JSON.stringify(values))
    }::text::json))`,
  );
}

function compilePlainFilter(filter: PlainFilter, next: (value: PgParam) => string): string {
  if ("eq" in filter) {
    const key = next(filter.eq.name);
    const value = next(JSON.stringify(filter.eq.value));
    return "EXISTS (SELECT 1 FROM json_each(r.plain::json) pe" +
      ` WHERE pe.key = ${key} AND pe.value::text = ${value})`;
  }
  if ("not" in filter) return `(NOT ${compilePlainFilter(filter.not, next)})`;
  const [children, joiner] = "and" in filter ? [filter.and, " AND "] : [filter.or, " OR "];
  return `(${children.map((child) => compilePlainFilter(child, next)).join(joiner)})`;
}
