/**
 * A v2 search as the store runs it (the server maps the wire request onto this), the page it
 * answers with, and the checks every backend applies before running one.
 *
 * Semantics (E3DB's): `match` clauses are OR-ed, `exclude` clauses are OR-ed and negated. In a
 * clause, `condition` joins every listed value of every term list: `OR` needs any to match,
 * `AND` needs all. A match clause without values matches every record in scope (an exclude
 * clause without values excludes nothing). A value matches a record when it matches, under the
 * clause's strategy, the record's writer id, user id, record id or type, any `plain` key
 * (`keys`), any `plain` value (`values`), or, for a `tags` entry, key and value of one `plain`
 * entry.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import {
  SEARCH_RESULT_WINDOW,
  SEARCH_STRATEGIES,
  type SearchStrategy,
} from "../../protocol/search.ts";
import type { PageDataOptions, RecordRow } from "../records.ts";
import { compileTermPattern } from "./_term_pattern.ts";

export { SEARCH_RESULT_WINDOW };

/** One `match` or `exclude` clause. */
export interface SearchClause {
  /** `OR`: any listed value matches; `AND`: every listed value matches. */
  condition: "AND" | "OR";
  /** How every value of the clause is compared. */
  strategy: SearchStrategy;
  /** Values compared with the writer id. */
  writerIds: string[];
  /** Values compared with the user id. */
  userIds: string[];
  /** Values compared with the record id. */
  recordIds: string[];
  /** Values compared with the record type. */
  types: string[];
  /** Values compared with every `plain` key. */
  keys: string[];
  /** Values compared with every `plain` value. */
  values: string[];
  /** `[key, value]` pairs compared with each `plain` entry (both sides). */
  tags: Array<[string, string]>;
}

/** A time range on `created` or `last_modified`, in microseconds, both ends inclusive. */
export interface SearchRange {
  /** Which timestamp. */
  key: "CREATED" | "MODIFIED";
  /** Earliest time, or `null` for no lower bound. */
  after: number | null;
  /** Latest time, or `null` for no upper bound. */
  before: number | null;
}

/** A v2 search. A page may hold fewer than `limit` records when its data budget ends it. */
export interface SearchQuery extends PageDataOptions {
  /** The client asking. */
  callerId: string;
  /** Also search records other writers currently share with the caller. */
  includeAllWriters: boolean;
  /** OR-ed; empty means every record in scope. */
  match: SearchClause[];
  /** OR-ed and negated. */
  exclude: SearchClause[];
  /** Time range, or `null`. */
  range: SearchRange | null;
  /** Newest first instead of oldest first. */
  descending: boolean;
  /** Results to skip (the `next_token`). */
  offset: number;
  /** Most results to return. */
  limit: number;
}

/** One page of a search. */
export interface SearchPage {
  /** The records, in order (created, then sequence number; both reversed when descending). */
  records: RecordRow[];
  /** How many records match, counted up to {@linkcode SEARCH_RESULT_WINDOW}. */
  total: number;
}

/**
 * A clause with every term list empty, to fill in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyClause } from "./search_query.ts";
 * const clause = { ...emptyClause(), values: ["summer"] };
 * assert.equal(clause.condition, "OR");
 * assert.equal(clause.strategy, "EXACT");
 * ```
 */
export function emptyClause(): SearchClause {
  return {
    condition: "OR",
    strategy: "EXACT",
    writerIds: [],
    userIds: [],
    recordIds: [],
    types: [],
    keys: [],
    values: [],
    tags: [],
  };
}

/**
 * Checks a query's shape and compiles every pattern once, so a bad REGEXP or an out-of-range
 * page fails with a {@linkcode ValidationError} before any work.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValidationError } from "../../errors.ts";
 * import { emptyClause, validateSearchQuery } from "./search_query.ts";
 * const query = {
 *   callerId: "c", includeAllWriters: false, exclude: [], range: null, descending: false,
 *   offset: 0, limit: 10, match: [{ ...emptyClause(), strategy: "REGEXP" as const, values: ["("] }],
 * };
 * assert.throws(() => validateSearchQuery(query), ValidationError);
 * ```
 */
export function validateSearchQuery(query: SearchQuery): void {
  if (typeof query !== "object" || query === null) {
    throw new ValidationError("Search query must be an object");
  }
  if (typeof query.callerId !== "string" || query.callerId === "") {
    throw new ValidationError("Search callerId must be a non-empty string");
  }
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new ValidationError(`Search limit must be a positive integer, got ${query.limit}`);
  }
  if (!Number.isSafeInteger(query.offset) || query.offset < 0) {
    throw new ValidationError(`Search offset must be a non-negative integer, got ${query.offset}`);
  }
  if (query.offset >= SEARCH_RESULT_WINDOW) {
    throw new ValidationError(
      `Only the first ${SEARCH_RESULT_WINDOW} results of a search can be retrieved ` +
        `(next_token ${query.offset}); narrow the search, e.g. with a time range`,
    );
  }
  if (query.range !== null) validateRange(query.range);
  for (const [list, clauses] of [["match", query.match], ["exclude", query.exclude]] as const) {
    if (!Array.isArray(clauses)) throw new ValidationError(`Search ${list} must be an array`);
    clauses.forEach((clause, index) => validateClause(clause, `${list}[${index}]`));
  }
}

function validateRange(range: SearchRange): void {
  if (range.key !== "CREATED" && range.key !== "MODIFIED") {
    throw new ValidationError(`Search range key must be CREATED or MODIFIED, got ${range.key}`);
  }
  for (const bound of [range.after, range.before]) {
    if (bound !== null && !Number.isSafeInteger(bound)) {
      throw new ValidationError(`Search range bounds must be integer microseconds or null`);
    }
  }
}

function validateClause(clause: SearchClause, where: string): void {
  if (clause.condition !== "AND" && clause.condition !== "OR") {
    throw new ValidationError(`${where}: condition must be AND or OR`);
  }
  if (!SEARCH_STRATEGIES.includes(clause.strategy)) {
    throw new ValidationError(`${where}: strategy must be one of ${SEARCH_STRATEGIES.join(", ")}`);
  }
  const lists = [
    ["writer_ids", clause.writerIds],
    ["user_ids", clause.userIds],
    ["record_ids", clause.recordIds],
    ["content_types", clause.types],
    ["keys", clause.keys],
    ["values", clause.values],
  ] as const;
  for (const [name, values] of lists) {
    if (!Array.isArray(values)) throw new ValidationError(`${where}.${name} must be an array`);
    values.forEach((value, i) => compileChecked(clause.strategy, value, `${where}.${name}[${i}]`));
  }
  if (!Array.isArray(clause.tags)) throw new ValidationError(`${where}.tags must be an array`);
  clause.tags.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ValidationError(`${where}.tags[${i}] must be a [key, value] pair`);
    }
    compileChecked(clause.strategy, pair[0], `${where}.tags[${i}] key`);
    compileChecked(clause.strategy, pair[1], `${where}.tags[${i}] value`);
  });
}

function compileChecked(strategy: SearchStrategy, value: unknown, where: string): void {
  if (typeof value !== "string") throw new ValidationError(`${where} must be a string`);
  try {
    compileTermPattern(strategy, value);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(`${where}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Whether a clause lists no value at all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clauseIsEmpty, emptyClause } from "./search_query.ts";
 * assert.equal(clauseIsEmpty(emptyClause()), true);
 * ```
 */
export function clauseIsEmpty(clause: SearchClause): boolean {
  return clause.writerIds.length + clause.userIds.length + clause.recordIds.length +
      clause.types.length + clause.keys.length + clause.values.length + clause.tags.length === 0;
}
