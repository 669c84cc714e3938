/**
 * The v2 search (`POST /v2/search`, `../shared/spec/e3db-wire.md` §4): a {@linkcode Search}
 * built by chaining `match`, `exclude` and `range` (each mutates the search and returns it), run
 * with `client.search(search)`. The result holds one page — its records decrypted when data was
 * asked for — and iterates every page with `for await`.
 *
 * Semantics (the server's): match clauses are OR-ed; exclude clauses are OR-ed and negated; in
 * a clause, `condition` joins every listed value (`OR`: any, `AND`: all). Strategies: `EXACT`,
 * `WILDCARD` (`*`, `?`), `REGEXP` (Lucene syntax, whole term), `FUZZY` (edit distance 0/1/2 by
 * length). Only the first 10,000 results of a search can be reached.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import {
  SEARCH_CONDITIONS,
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_LIMIT,
  SEARCH_ORDERS,
  SEARCH_RANGE_KEYS,
  SEARCH_RESULT_WINDOW,
  SEARCH_STRATEGIES,
} from "../protocol/search_limits.ts";
import type {
  SearchClauseJson,
  SearchCondition,
  SearchOrder,
  SearchRangeJson,
  SearchRangeKey,
  SearchRequest,
  SearchStrategy,
  SearchTermsJson,
} from "../protocol/search.ts";
import { formatTimestamp, parseTimestamp } from "../protocol/timestamps.ts";

/** A point in time: epoch seconds, a `Date`, or an ISO 8601 / RFC 3339 string. */
export type SearchTime = number | Date | string;

/** What one clause looks for; every list is optional. */
export interface SearchClauseOptions {
  /** `OR` (default): any value matches; `AND`: every value matches. */
  condition?: SearchCondition | undefined;
  /** `EXACT` (default), `FUZZY`, `WILDCARD` or `REGEXP`. */
  strategy?: SearchStrategy | undefined;
  /** Writer ids. */
  writerIds?: string[] | undefined;
  /** User ids. */
  userIds?: string[] | undefined;
  /** Record ids. */
  recordIds?: string[] | undefined;
  /** Record types. */
  types?: string[] | undefined;
  /** `plain` keys. */
  keys?: string[] | undefined;
  /** `plain` values. */
  values?: string[] | undefined;
  /** `plain` entries: each key and its value must match one entry (E3DB's `tags`). */
  plain?: Record<string, string> | undefined;
}

/** A time range; either end may be left out; both are inclusive. */
export interface SearchRangeOptions {
  /** Earliest time. */
  start?: SearchTime | undefined;
  /** Latest time. */
  end?: SearchTime | undefined;
  /** `CREATED` (default) or `MODIFIED`. */
  key?: SearchRangeKey | undefined;
  /**
   * The UTC offset of zone-less strings such as `"2026-05-01T09:00"`: hours (`-8`, `5.5`) or
   * `"+HH:MM"` (default UTC). Numbers, `Date`s and strings with a zone are absolute already.
   */
  zoneOffset?: number | string | undefined;
}

/** Options of a {@linkcode Search}. */
export interface SearchOptions {
  /** Fetch and decrypt record data (default true). */
  includeData?: boolean | undefined;
  /** Also search records other writers share with you (default false). */
  includeAllWriters?: boolean | undefined;
  /** Records per page, 1–1000 (default 50). */
  limit?: number | undefined;
  /** Skip this many results (a previous page's `nextToken`; default 0). */
  nextToken?: number | undefined;
  /** `ASCENDING` (default, oldest first) or `DESCENDING`. */
  order?: SearchOrder | undefined;
}

/**
 * A clause as a {@linkcode Search} sends it: condition and strategy always, and only the
 * non-empty term lists.
 */
type SentClause = SearchClauseJson & { terms: SearchTermsJson };

const LISTS = [
  ["writerIds", "writer_ids"],
  ["userIds", "user_ids"],
  ["recordIds", "record_ids"],
  ["types", "content_types"],
  ["keys", "keys"],
  ["values", "values"],
] as const;

/**
 * A v2 search. `match`, `exclude` and `range` add to it and return the same object; the
 * options are plain properties you may change between runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Search } from "./search.ts";
 * const search = new Search({ limit: 20 })
 *   .match({ types: ["season"], values: ["summer", "sunny"], condition: "AND" })
 *   .exclude({ values: ["rain*"], strategy: "WILDCARD" })
 *   .range({ start: "2026-05-01T00:00", zoneOffset: "-08:00" });
 * assert.deepEqual(search.toWire().range, {
 *   range_key: "CREATED",
 *   after: "2026-05-01T08:00:00.000000Z",
 * });
 * ```
 */
export class Search {
  /** Fetch and decrypt record data. */
  includeData: boolean;
  /** Also search records other writers share with you. */
  includeAllWriters: boolean;
  /** Records per page (1–1000). */
  limit: number;
  /** Results to skip. */
  nextToken: number;
  /** Result order by creation time. */
  order: SearchOrder;
  readonly #match: SentClause[] = [];
  readonly #exclude: SentClause[] = [];
  #range: SearchRangeJson | null = null;

  /**
   * A search with every record in scope (add clauses to narrow it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Search } from "./search.ts";
   * assert.equal(new Search().limit, 50);
   * ```
   */
  constructor(options: SearchOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new ValidationError("Search options must be an object");
    }
    this.includeData = options.includeData ?? true;
    this.includeAllWriters = options.includeAllWriters ?? false;
    this.limit = options.limit ?? SEARCH_DEFAULT_LIMIT;
    this.nextToken = options.nextToken ?? 0;
    this.order = options.order ?? "ASCENDING";
    checkOptions(this);
  }

  /**
   * Adds a clause that records may match (clauses are OR-ed; a clause without values matches
   * everything).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Search } from "./search.ts";
   * const search = new Search().match({ strategy: "REGEXP", values: ["tozny.*"] });
   * assert.deepEqual(search.toWire().match, [
   *   { condition: "OR", strategy: "REGEXP", terms: { values: ["tozny.*"] } },
   * ]);
   * ```
   */
  match(clause: SearchClauseOptions = {}): this {
    this.#match.push(wireClause(clause, `match clause ${this.#match.length}`));
    return this;
  }

  /**
   * Adds a clause that records must not match (a clause without values excludes nothing).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Search } from "./search.ts";
   * const search = new Search().match({ types: ["jam"] }).exclude({ values: ["strawberry"] });
   * assert.equal(search.toWire().exclude?.length, 1);
   * ```
   */
  exclude(clause: SearchClauseOptions = {}): this {
    this.#exclude.push(wireClause(clause, `exclude clause ${this.#exclude.length}`));
    return this;
  }

  /**
   * Sets the time range (replacing an earlier one).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Search } from "./search.ts";
   * const search = new Search().range({ start: 1_700_000_000, end: new Date("2024-01-01") });
   * assert.deepEqual(search.toWire().range, {
   *   range_key: "CREATED",
   *   after: "2023-11-14T22:13:20.000000Z",
   *   before: "2024-01-01T00:00:00.000000Z",
   * });
   * ```
   */
  range(range: SearchRangeOptions): this {
    if (range === null || typeof range !== "object") {
      throw new ValidationError("Search range must be an object");
    }
    const key = range.key ?? "CREATED";
    if (!SEARCH_RANGE_KEYS.includes(key)) {
      throw new ValidationError(`Search range key must be CREATED or MODIFIED, got "${key}"`);
    }
    const offset = zoneOffsetText(range.zoneOffset);
    const wire: SearchRangeJson = { range_key: key };
    if (range.start !== undefined) wire.after = timeText(range.start, offset, "start");
    if (range.end !== undefined) wire.before = timeText(range.end, offset, "end");
    this.#range = wire;
    return this;
  }

  /**
   * The request body (E3DB's snake_case), for `nextToken` (default: this search's).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Search } from "./search.ts";
   * assert.equal(new Search({ includeData: false }).toWire().include_data, false);
   * ```
   */
  toWire(nextToken: number = this.nextToken): SearchRequest {
    checkOptions({ ...this, nextToken });
    return {
      limit: this.limit,
      next_token: nextToken,
      include_data: this.includeData,
      include_all_writers: this.includeAllWriters,
      match: this.#match.map((clause) => ({ ...clause })),
      exclude: this.#exclude.map((clause) => ({ ...clause })),
      range: this.#range === null ? {} : { ...this.#range },
      order: { sort_order: this.order },
    } satisfies SearchRequest;
  }
}

function checkOptions(options: SearchOptions): void {
  for (const name of ["includeData", "includeAllWriters"] as const) {
    if (typeof options[name] !== "boolean") {
      throw new ValidationError(`Search ${name} must be a boolean`);
    }
  }
  const { limit, nextToken, order } = options;
  if (!Number.isInteger(limit) || limit! < 1 || limit! > SEARCH_MAX_LIMIT) {
    throw new ValidationError(
      `Search limit must be an integer from 1 to ${SEARCH_MAX_LIMIT}, got ${limit}`,
    );
  }
  if (!Number.isInteger(nextToken) || nextToken! < 0 || nextToken! >= SEARCH_RESULT_WINDOW) {
    throw new ValidationError(
      `Search nextToken must be an integer from 0 to ${SEARCH_RESULT_WINDOW - 1} ` +
        `(only the first ${SEARCH_RESULT_WINDOW} results can be reached), got ${nextToken}`,
    );
  }
  if (!SEARCH_ORDERS.includes(order!)) {
    throw new ValidationError(`Search order must be ASCENDING or DESCENDING, got "${order}"`);
  }
}

function wireClause(clause: SearchClauseOptions, what: string): SentClause {
  if (clause === null || typeof clause !== "object" || Array.isArray(clause)) {
    throw new ValidationError(`Search ${what} must be an object`);
  }
  const condition = clause.condition ?? "OR";
  if (!SEARCH_CONDITIONS.includes(condition)) {
    throw new ValidationError(`Search ${what} condition must be OR or AND, got "${condition}"`);
  }
  const strategy = clause.strategy ?? "EXACT";
  if (!SEARCH_STRATEGIES.includes(strategy)) {
    throw new ValidationError(
      `Search ${what} strategy must be one of ${SEARCH_STRATEGIES.join(", ")}, got "${strategy}"`,
    );
  }
  const terms: SearchTermsJson = {};
  for (const [name, wire] of LISTS) {
    const values = clause[name];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.some((value) => typeof value !== "string")) {
      throw new ValidationError(`Search ${what} ${name} must be an array of strings`);
    }
    if (values.length > 0) terms[wire] = [...values];
  }
  if (clause.plain !== undefined) {
    const plain = clause.plain;
    if (
      plain === null || typeof plain !== "object" || Array.isArray(plain) ||
      Object.values(plain).some((value) => typeof value !== "string")
    ) {
      throw new ValidationError(`Search ${what} plain must be an object of strings`);
    }
    if (Object.keys(plain).length > 0) terms.tags = { ...plain };
  }
  return { condition, strategy, terms };
}

const OFFSET_TEXT = /^([+-])(\d{2}):(\d{2})$/;

function zoneOffsetText(offset: number | string | undefined): string {
  if (offset === undefined) return "+00:00";
  if (typeof offset === "number") {
    if (!Number.isFinite(offset) || Math.abs(offset) > 18 || !Number.isInteger(offset * 4)) {
      throw new ValidationError(
        `Search zoneOffset must be whole quarter hours from -18 to 18, got ${offset}`,
      );
    }
    const minutes = Math.abs(offset) * 60;
    const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
    const mm = String(minutes % 60).padStart(2, "0");
    return `${offset < 0 ? "-" : "+"}${hh}:${mm}`;
  }
  const match = typeof offset === "string" ? OFFSET_TEXT.exec(offset) : null;
  if (match === null || Number(match[2]) > 18 || Number(match[3]) > 59) {
    throw new ValidationError(`Search zoneOffset must be hours or "+HH:MM", got "${offset}"`);
  }
  return offset as string;
}

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NO_SECONDS = /T\d{2}:\d{2}$/i;

function timeText(time: SearchTime, offset: string, what: string): string {
  if (typeof time === "number") {
    if (!Number.isFinite(time) || time < 0) {
      throw new ValidationError(`Search range ${what} must be epoch seconds >= 0, got ${time}`);
    }
    return formatTimestamp(Math.round(time * 1_000_000));
  }
  if (time instanceof Date) {
    if (Number.isNaN(time.getTime())) {
      throw new ValidationError(`Search range ${what} is an invalid Date`);
    }
    return formatTimestamp(time);
  }
  if (typeof time !== "string") {
    throw new ValidationError(`Search range ${what} must be epoch seconds, a Date or a string`);
  }
  let text = time.trim();
  if (DATE_ONLY.test(text)) text += "T00:00:00";
  else if (NO_SECONDS.test(text)) text += ":00";
  if (!ZONED.test(text)) text += offset;
  try {
    return formatTimestamp(parseTimestamp(text));
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : "";
    throw new ValidationError(
      `Search range ${what} "${time}" is not a usable ISO 8601 time${reason}`,
      {
        cause: error,
      },
    );
  }
}
