/**
 * The brute-force search: every record checked against the query directly, with no index.
 * It is the specification the indexed SQL search is tested against (property tests run both
 * on random data and queries), and it is small enough to read as one.
 *
 * @module
 */
import type { RecordRow } from "../lib/store/records.ts";
import {
  clauseIsEmpty,
  SEARCH_RESULT_WINDOW,
  type SearchClause,
  type SearchPage,
  type SearchQuery,
  validateSearchQuery,
} from "../lib/store/search/search_query.ts";
import { compileTermPattern, type TermPattern } from "../lib/store/search/_term_pattern.ts";

/**
 * Runs a search over `records` by checking each one. `sharedWithCaller` says whether another
 * writer's record is currently shared with the caller (used when `includeAllWriters`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceSearch } from "./_reference_search.ts";
 * import { emptyClause } from "../lib/store/search/search_query.ts";
 * const record = {
 *   seq: 1, recordId: "r", writerId: "w", userId: "w", type: "season", plain: { name: "summer" },
 *   data: {}, recSig: null, fileMeta: null, created: 1, lastModified: 1, version: "v",
 * };
 * const page = referenceSearch({
 *   callerId: "w", includeAllWriters: false, exclude: [], range: null, descending: false,
 *   offset: 0, limit: 10, match: [{ ...emptyClause(), strategy: "FUZZY", values: ["bummer"] }],
 * }, [record], () => false);
 * assert.equal(page.total, 1);
 * ```
 */
export function referenceSearch(
  query: SearchQuery,
  records: readonly RecordRow[],
  sharedWithCaller: (record: RecordRow) => boolean,
): SearchPage {
  validateSearchQuery(query);
  const match = query.match.map(compileClause);
  const exclude = query.exclude.filter((clause) => !clauseIsEmpty(clause)).map(compileClause);
  const hits = records.filter((record) =>
    inScope(query, record, sharedWithCaller) && inRange(query, record) &&
    (match.length === 0 || match.some((clause) => clause(record))) &&
    !exclude.some((clause) => clause(record))
  );
  const direction = query.descending ? -1 : 1;
  hits.sort((a, b) => direction * (a.created - b.created || a.seq - b.seq));
  const end = Math.min(query.offset + query.limit, SEARCH_RESULT_WINDOW);
  return {
    records: hits.slice(query.offset, end),
    total: Math.min(hits.length, SEARCH_RESULT_WINDOW),
  };
}

function inScope(
  query: SearchQuery,
  record: RecordRow,
  sharedWithCaller: (record: RecordRow) => boolean,
): boolean {
  if (record.writerId === query.callerId) return true;
  return query.includeAllWriters && sharedWithCaller(record);
}

function inRange(query: SearchQuery, record: RecordRow): boolean {
  if (query.range === null) return true;
  const time = query.range.key === "CREATED" ? record.created : record.lastModified;
  return (query.range.after === null || time >= query.range.after) &&
    (query.range.before === null || time <= query.range.before);
}

type RecordTest = (record: RecordRow) => boolean;

function compileClause(clause: SearchClause): RecordTest {
  const compile = (value: string) => compileTermPattern(clause.strategy, value);
  const tests: RecordTest[] = [
    ...clause.writerIds.map(compile).map((p) => (r: RecordRow) => p.matches(r.writerId)),
    ...clause.userIds.map(compile).map((p) => (r: RecordRow) => p.matches(r.userId)),
    ...clause.recordIds.map(compile).map((p) => (r: RecordRow) => p.matches(r.recordId)),
    ...clause.types.map(compile).map((p) => (r: RecordRow) => p.matches(r.type)),
    ...clause.keys.map(compile).map((p) => (r: RecordRow) => anyEntry(r, p, null)),
    ...clause.values.map(compile).map((p) => (r: RecordRow) => anyEntry(r, null, p)),
    ...clause.tags.map(([key, value]) => {
      const [keyPattern, valuePattern] = [compile(key), compile(value)];
      return (r: RecordRow) => anyEntry(r, keyPattern, valuePattern);
    }),
  ];
  if (tests.length === 0) return () => true;
  return clause.condition === "AND"
    ? (record) => tests.every((test) => test(record))
    : (record) => tests.some((test) => test(record));
}

function anyEntry(record: RecordRow, key: TermPattern | null, value: TermPattern | null): boolean {
  return Object.entries(record.plain).some(([k, v]) =>
    (key === null || key.matches(k)) && (value === null || value.matches(v))
  );
}
