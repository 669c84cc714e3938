/**
 * The v2 search (`POST /v2/search`) request and response, as E3DB's SDKs send and read them
 * (`../shared/spec/e3db-wire.md` §4), with the bounds Arca puts on hostile input.
 *
 * Request (every field optional; `null` means absent):
 *
 * ```json
 * {"limit": 50, "next_token": 0, "include_all_writers": false, "include_data": true,
 *  "match": [{"condition": "OR", "strategy": "EXACT",
 *             "terms": {"writer_ids": [], "user_ids": [], "record_ids": [], "content_types": ["contact"],
 *                       "keys": [], "values": [], "tags": {"house": "stark"}}}],
 *  "exclude": [],
 *  "range": {"range_key": "CREATED", "after": "2026-01-01T00:00:00Z", "before": "2026-12-31T23:59:59+01:00"},
 *  "order": {"sort_order": "DESCENDING"}}
 * ```
 *
 * Unknown keys (such as the JS SDK's group options) are ignored.
 *
 * @module
 */
import { z } from "zod";
import type { QueryResultJson } from "./responses.ts";
import { parseTimestamp } from "./timestamps.ts";
import {
  SEARCH_CONDITIONS,
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_CLAUSES,
  SEARCH_MAX_LIMIT,
  SEARCH_MAX_PATTERN_VALUES,
  SEARCH_MAX_TOTAL_VALUES,
  SEARCH_MAX_VALUE_LENGTH,
  SEARCH_MAX_VALUES,
  SEARCH_ORDERS,
  SEARCH_RANGE_KEYS,
  SEARCH_RESULT_WINDOW,
  SEARCH_STRATEGIES,
  type SearchCondition,
  type SearchOrder,
  type SearchRangeKey,
  type SearchStrategy,
} from "./search_limits.ts";

export * from "./search_limits.ts";

/** The term lists of a clause (`null` or absent lists are empty). */
export interface SearchTermsJson {
  /** Compared with the writer id. */
  writer_ids?: string[] | null;
  /** Compared with the user id. */
  user_ids?: string[] | null;
  /** Compared with the record id. */
  record_ids?: string[] | null;
  /** Compared with the record type. */
  content_types?: string[] | null;
  /** Compared with every `plain` key. */
  keys?: string[] | null;
  /** Compared with every `plain` value. */
  values?: string[] | null;
  /** Each entry compared with key and value of one `plain` entry. */
  tags?: Record<string, string> | null;
}

/** One `match` or `exclude` clause (defaults: `OR`, `EXACT`, no terms). */
export interface SearchClauseJson {
  /** How the clause joins its values. */
  condition?: SearchCondition | null;
  /** How every value of the clause is compared. */
  strategy?: SearchStrategy | null;
  /** The values. */
  terms?: SearchTermsJson | null;
}

/** A time range (RFC 3339 ends, both inclusive); `{}` or no ends means none. */
export interface SearchRangeJson {
  /** Which timestamp (default `CREATED`). */
  range_key?: SearchRangeKey | null;
  /** Earliest time. */
  after?: string | null;
  /** Latest time. */
  before?: string | null;
}

/**
 * The `POST /v2/search` body as it travels (validated by {@linkcode searchRequestSchema}).
 * Every field is optional; `null` means absent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type SearchRequest, searchRequestSchema } from "./search.ts";
 * const body = {
 *   limit: 20,
 *   match: [{ strategy: "WILDCARD", terms: { values: ["sum*"] } }],
 *   order: { sort_order: "DESCENDING" },
 * } satisfies SearchRequest;
 * assert.equal(searchRequestSchema.parse(body).order, "DESCENDING");
 * ```
 */
export interface SearchRequest {
  /** Records per page, 1–{@linkcode SEARCH_MAX_LIMIT} (default 50). */
  limit?: number | null;
  /** Results to skip (a previous page's `last_index`; default 0). */
  next_token?: number | null;
  /** Whether to return encrypted data and access keys (default false). */
  include_data?: boolean | null;
  /** Whether to include records shared with the caller (default false). */
  include_all_writers?: boolean | null;
  /** OR-ed clauses; none matches every record in scope. */
  match?: SearchClauseJson[] | null;
  /** OR-ed, negated clauses. */
  exclude?: SearchClauseJson[] | null;
  /** The time range. */
  range?: SearchRangeJson | null;
  /** The result order. */
  order?: { sort_order?: SearchOrder | null } | null;
}

const valueSchema = z
  .string({ error: "must be a string" })
  .max(SEARCH_MAX_VALUE_LENGTH, { error: `must be at most ${SEARCH_MAX_VALUE_LENGTH} characters` });

const valueListSchema = z
  .array(valueSchema, { error: "must be an array of strings" })
  .max(SEARCH_MAX_VALUES, { error: `must have at most ${SEARCH_MAX_VALUES} values` })
  .nullish()
  .transform((values) => values ?? []);

const tagsSchema = z
  .record(valueSchema, valueSchema, { error: "must be an object of string values" })
  .nullish()
  .transform((tags) => Object.entries(tags ?? {}) as Array<[string, string]>)
  .refine((tags) => tags.length <= SEARCH_MAX_VALUES, {
    error: `must have at most ${SEARCH_MAX_VALUES} entries`,
  });

const termsSchema = z
  .object({
    writer_ids: valueListSchema,
    user_ids: valueListSchema,
    record_ids: valueListSchema,
    content_types: valueListSchema,
    keys: valueListSchema,
    values: valueListSchema,
    tags: tagsSchema,
  }, { error: "must be an object" })
  .nullish()
  .transform((terms) =>
    terms ?? {
      writer_ids: [],
      user_ids: [],
      record_ids: [],
      content_types: [],
      keys: [],
      values: [],
      tags: [] as Array<[string, string]>,
    }
  );

/** `must be "A", "B" or "C"`. */
function oneOfMessage(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  return `must be ${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

const clauseSchema = z.object({
  condition: z
    .enum(SEARCH_CONDITIONS, { error: oneOfMessage(SEARCH_CONDITIONS) })
    .nullish()
    .transform((condition) => condition ?? "OR"),
  strategy: z
    .enum(SEARCH_STRATEGIES, { error: oneOfMessage(SEARCH_STRATEGIES) })
    .nullish()
    .transform((strategy) => strategy ?? "EXACT"),
  terms: termsSchema,
}, { error: "must be an object" });

const clauseListSchema = z
  .array(clauseSchema, { error: "must be an array of clauses" })
  .max(SEARCH_MAX_CLAUSES, { error: `must have at most ${SEARCH_MAX_CLAUSES} clauses` })
  .nullish()
  .transform((clauses) => clauses ?? []);

const timestampSchema = z
  .string({ error: "must be an RFC 3339 timestamp string" })
  .transform((text, context) => {
    try {
      return parseTimestamp(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  })
  .nullish()
  .transform((micros) => micros ?? null);

const rangeSchema = z
  .object({
    range_key: z
      .enum(SEARCH_RANGE_KEYS, { error: oneOfMessage(SEARCH_RANGE_KEYS) })
      .nullish()
      .transform((key) => key ?? "CREATED"),
    after: timestampSchema,
    before: timestampSchema,
  }, { error: "must be an object" })
  .nullish()
  .transform((range) =>
    range === null || range === undefined || (range.after === null && range.before === null)
      ? null
      : range
  );

const orderSchema = z
  .object({
    sort_order: z
      .enum(SEARCH_ORDERS, { error: oneOfMessage(SEARCH_ORDERS) })
      .nullish()
      .transform((order) => order ?? "ASCENDING"),
  }, { error: "must be an object" })
  .nullish()
  .transform((order) => order?.sort_order ?? "ASCENDING");

/**
 * The v2 search body. Defaults: `limit` 50, `next_token` 0, no data, own records only, every
 * record (no clauses), oldest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchRequestSchema } from "./search.ts";
 * const search = searchRequestSchema.parse({ match: [{ terms: { values: ["summer"] } }] });
 * assert.equal(search.limit, 50);
 * assert.equal(search.match[0]?.strategy, "EXACT");
 * assert.deepEqual(search.match[0]?.terms.values, ["summer"]);
 * assert.equal(searchRequestSchema.safeParse({ limit: 1001 }).success, false);
 * ```
 */
export const searchRequestSchema = z
  .object({
    limit: z
      .number({ error: "must be a number" })
      .int({ error: "must be an integer" })
      .min(1, { error: "must be >= 1" })
      .max(SEARCH_MAX_LIMIT, { error: `must be <= ${SEARCH_MAX_LIMIT}` })
      .nullish()
      .transform((limit) => limit ?? SEARCH_DEFAULT_LIMIT),
    next_token: z
      .number({ error: "must be a number" })
      .int({ error: "must be an integer" })
      .min(0, { error: "must be >= 0" })
      .max(SEARCH_RESULT_WINDOW - 1, {
        error: `only the first ${SEARCH_RESULT_WINDOW} results of a search can be retrieved;` +
          " narrow the search (for example with a time range) to reach later ones",
      })
      .nullish()
      .transform((token) => token ?? 0),
    include_all_writers: z
      .boolean({ error: "must be a boolean" })
      .nullish()
      .transform((flag) => flag ?? false),
    include_data: z
      .boolean({ error: "must be a boolean" })
      .nullish()
      .transform((flag) => flag ?? false),
    match: clauseListSchema,
    exclude: clauseListSchema,
    range: rangeSchema,
    order: orderSchema,
  }, { error: "must be a JSON object" })
  .superRefine((search, context) => {
    let values = 0;
    let patterns = 0;
    for (const clause of [...search.match, ...search.exclude]) {
      const terms = clause.terms;
      const count = terms.writer_ids.length + terms.user_ids.length + terms.record_ids.length +
        terms.content_types.length + terms.keys.length + terms.values.length +
        2 * terms.tags.length;
      values += count;
      if (clause.strategy !== "EXACT") patterns += count;
    }
    if (values > SEARCH_MAX_TOTAL_VALUES) {
      context.addIssue({
        code: "custom",
        message: `a search may list at most ${SEARCH_MAX_TOTAL_VALUES} values, got ${values}`,
      });
    }
    if (patterns > SEARCH_MAX_PATTERN_VALUES) {
      context.addIssue({
        code: "custom",
        message: `a search may list at most ${SEARCH_MAX_PATTERN_VALUES} WILDCARD, REGEXP or ` +
          `FUZZY values, got ${patterns}`,
      });
    }
  });

/** A v2 search request as {@linkcode searchRequestSchema} returns it, defaults filled in. */
export type ParsedSearchRequest = z.output<typeof searchRequestSchema>;

/** `POST /v2/search` → 200. */
export interface SearchResponse {
  /** The page (always an array). `record_data` is `null` unless `include_data`. */
  results: QueryResultJson[];
  /** The `next_token` of the next page, or 0 when there is none. */
  last_index: number;
  /** Matching records, counted up to {@linkcode SEARCH_RESULT_WINDOW}. */
  total_results: number;
  /** An id for this search (searches are synchronous; it is informational). */
  search_id: string;
}
