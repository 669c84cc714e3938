/**
 * `POST /v2/search`: E3DB's v2 search (`../shared/spec/e3db-wire.md` §4). The body is validated
 * at the edge (limit 1–1000, the 10,000-result window, bounded clause and value counts), bad
 * patterns are 400, and the store runs the search on its index.
 *
 * Results carry `record_data: null` unless `include_data`; with it, the encrypted data (`{}` for
 * file records, which carry `file_meta`) and the caller's access key. `last_index` is the
 * `next_token` of the next page, or 0 when no more results can be retrieved. The store does not
 * read `data` it does not return, and a page stops early once its records' data pass 8 MiB
 * (`PAGE_DATA_BYTES`): `last_index` then counts only the records returned.
 *
 * @module
 */
import { Hono } from "hono";
import { randomUuid } from "../../crypto/uuid.ts";
import { PAGE_DATA_BYTES } from "../../protocol/query.ts";
import type { QueryResultJson } from "../../protocol/responses.ts";
import {
  type ParsedSearchRequest,
  searchRequestSchema,
  type SearchResponse,
} from "../../protocol/search.ts";
import type { SearchClause, SearchQuery } from "../../store/search/search_query.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { readJson } from "../_read_json.ts";
import { recordMetaJson } from "../_wire.ts";
import { AccessKeyLookup } from "./query.ts";

/**
 * The v2 search route (mount behind bearer authentication).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", searchRoutes(deps));
 * ```
 */
export function searchRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();
  routes.post("/v2/search", async (c) => {
    const callerId = c.get("clientId");
    const request = await readJson(c, searchRequestSchema);
    const page = await deps.store.search.run(toSearchQuery(request, callerId));
    const accessKeys = new AccessKeyLookup(deps.store, callerId);
    const results: QueryResultJson[] = [];
    for (const row of page.records) {
      const isFile = row.fileMeta !== null;
      const result: QueryResultJson = {
        meta: recordMetaJson(row),
        record_data: request.include_data ? (isFile ? {} : row.data) : null,
        access_key: request.include_data ? await accessKeys.forRecord(row) : null,
      };
      if (row.recSig !== null) result.rec_sig = row.recSig;
      results.push(result);
    }
    const next = request.next_token + results.length;
    const body: SearchResponse = {
      results,
      last_index: results.length > 0 && next < page.total ? next : 0,
      total_results: page.total,
      search_id: randomUuid(),
    };
    return c.json(body, 200);
  });
  return routes;
}

/**
 * Maps a parsed wire request onto the store's query.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchRequestSchema } from "../../protocol/search.ts";
 * import { toSearchQuery } from "./search.ts";
 * const body = { match: [{ terms: { values: ["summer"] } }], order: { sort_order: "DESCENDING" } };
 * const callerId = "794253a4-310b-449d-9d8d-4575e8923f40";
 * const query = toSearchQuery(searchRequestSchema.parse(body), callerId);
 * assert.deepEqual(query.match[0]?.values, ["summer"]);
 * assert.equal(query.descending, true);
 * ```
 */
export function toSearchQuery(request: ParsedSearchRequest, callerId: string): SearchQuery {
  const clause = (wire: ParsedSearchRequest["match"][number]): SearchClause => ({
    condition: wire.condition,
    strategy: wire.strategy,
    writerIds: wire.terms.writer_ids,
    userIds: wire.terms.user_ids,
    recordIds: wire.terms.record_ids,
    types: wire.terms.content_types,
    keys: wire.terms.keys,
    values: wire.terms.values,
    tags: wire.terms.tags,
  });
  return {
    callerId,
    includeAllWriters: request.include_all_writers,
    match: request.match.map(clause),
    exclude: request.exclude.map(clause),
    range: request.range === null
      ? null
      : { key: request.range.range_key, after: request.range.after, before: request.range.before },
    descending: request.order === "DESCENDING",
    offset: request.next_token,
    limit: request.limit,
    includeData: request.include_data,
    maxDataBytes: PAGE_DATA_BYTES,
  };
}
