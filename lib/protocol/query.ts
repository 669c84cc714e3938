/**
 * The v1 query (`POST /v1/storage/search`) request and its `plain` filter DSL:
 * `{"eq": {"name": k, "value": v}}`, `{"and": [...]}`, and Arca's natural extensions
 * `{"or": [...]}` and `{"not": ...}`. A flat `{"key": "value"}` map (what the Go SDK sends) is
 * read as the `and` of its equalities.
 *
 * @module
 */
import { z } from "zod";
import { countFilterNodes, type PlainFilter } from "./plain_filter.ts";
import {
  PAGE_DATA_BYTES,
  PLAIN_FILTER_MAX_NODES,
  QUERY_DEFAULT_COUNT,
  QUERY_MAX_COUNT,
} from "./query_limits.ts";
import { recordTypeSchema, uuidSchema } from "./schemas.ts";

export { PAGE_DATA_BYTES, PLAIN_FILTER_MAX_NODES, QUERY_DEFAULT_COUNT, QUERY_MAX_COUNT };
export * from "./plain_filter.ts";

/**
 * The `plain` filter DSL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainFilterSchema } from "./query.ts";
 * const filter = plainFilterSchema.parse({ and: [{ eq: { name: "house", value: "Stark" } }] });
 * assert.equal("and" in filter, true);
 * ```
 */
export const plainFilterSchema: z.ZodType<PlainFilter, unknown> = z.lazy(() =>
  z.union([
    z.strictObject({ eq: z.object({ name: z.string(), value: z.string() }) }),
    z.strictObject({ and: z.array(plainFilterSchema).min(1) }),
    z.strictObject({ or: z.array(plainFilterSchema).min(1) }),
    z.strictObject({ not: plainFilterSchema }),
  ], { error: 'must be {"eq":{"name","value"}}, {"and":[...]}, {"or":[...]} or {"not":...}' })
);

const idListSchema = z.array(uuidSchema).nullish().transform((ids) => ids ?? []);

/**
 * The `POST /v1/storage/search` body as it travels (validated by {@linkcode queryRequestSchema}).
 * Every field is optional; absent or `null` lists mean "no filter".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type QueryRequest, queryRequestSchema } from "./query.ts";
 * const body = { count: 10, content_types: ["contact"], plain: { house: "Stark" } } satisfies QueryRequest;
 * assert.deepEqual(queryRequestSchema.parse(body).plain, { and: [{ eq: { name: "house", value: "Stark" } }] });
 * ```
 */
export interface QueryRequest {
  /** Page size, 1–{@linkcode QUERY_MAX_COUNT} (default {@linkcode QUERY_DEFAULT_COUNT}). */
  count?: number | null;
  /** Start after this index (a previous page's `last_index`; default 0). */
  after_index?: number | null;
  /** Whether to return encrypted data and access keys (default false). */
  include_data?: boolean | null;
  /** Whether to include records shared with the caller (default false). */
  include_all_writers?: boolean | null;
  /** Writers (UUIDs). */
  writer_ids?: string[] | null;
  /** Users (UUIDs). */
  user_ids?: string[] | null;
  /** Records (UUIDs). */
  record_ids?: string[] | null;
  /** Record types. */
  content_types?: string[] | null;
  /** A filter on clear metadata, or the Go SDK's flat `{"key": "value"}` map. */
  plain?: PlainFilter | Record<string, string> | null;
}

/**
 * The v1 query body. Every field is optional; absent or `null` lists mean "no filter".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queryRequestSchema } from "./query.ts";
 * const query = queryRequestSchema.parse({ content_types: ["contact"] });
 * assert.equal(query.count, 50);
 * assert.equal(query.after_index, 0);
 * assert.equal(query.include_data, false);
 * assert.equal(queryRequestSchema.safeParse({ after_index: -99 }).success, false);
 * ```
 */
export const queryRequestSchema = z.object({
  count: z.number({ error: "must be a number" }).int({ error: "must be an integer" })
    .min(1, { error: "must be >= 1" })
    .max(QUERY_MAX_COUNT, { error: `must be <= ${QUERY_MAX_COUNT}` })
    .nullish()
    .transform((count) => count ?? QUERY_DEFAULT_COUNT),
  after_index: z.number({ error: "must be a number" }).int({ error: "must be an integer" })
    .min(0, { error: "must be >= 0" })
    .nullish()
    .transform((index) => index ?? 0),
  include_data: z.boolean({ error: "must be a boolean" }).nullish().transform((b) => b ?? false),
  include_all_writers: z.boolean({ error: "must be a boolean" }).nullish().transform((b) =>
    b ?? false
  ),
  writer_ids: idListSchema,
  user_ids: idListSchema,
  record_ids: idListSchema,
  content_types: z.array(recordTypeSchema).nullish().transform((types) => types ?? []),
  plain: z.preprocess(
    flatPlainToFilter,
    plainFilterSchema
      .refine((filter) => countFilterNodes(filter) <= PLAIN_FILTER_MAX_NODES, {
        error: `must have at most ${PLAIN_FILTER_MAX_NODES} nodes`,
      })
      .nullish()
      .transform((filter) => filter ?? null),
  ),
});

/**
 * The Go SDK sends `plain` as a flat `{"key": "value"}` map. Such a map (every value a string)
 * means "all of these keys equal these values"; an empty one means no filter.
 */
function flatPlainToFilter(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === "string")) return value;
  if (entries.length === 0) return null;
  return { and: entries.map(([name, v]) => ({ eq: { name, value: v as string } })) };
}

/** A v1 query as {@linkcode queryRequestSchema} returns it, defaults filled in. */
export type ParsedQueryRequest = z.output<typeof queryRequestSchema>;
