/**
 * `POST /v1/storage/search`: the v1 query. Pages through records in sequence order;
 * `last_index` is the sequence of the last row, sent back as `after_index`.
 *
 * Scope: the caller's own records; with `include_all_writers` (or explicit `writer_ids`) also
 * the records other writers currently share with the caller. `record_data` is always present
 * (`null` unless `include_data`, and then the store does not read it), and with `include_data`
 * each row carries the caller's EAK. A page holds at most `count` records and ends early once
 * its records' data pass 8 MiB (`PAGE_DATA_BYTES`); `last_index` is still its last row's.
 *
 * @module
 */
import { Hono } from "hono";
import { PAGE_DATA_BYTES, queryRequestSchema } from "../../protocol/query.ts";
import type {
  AccessKeyResponse,
  QueryResponse,
  QueryResultJson,
} from "../../protocol/responses.ts";
import type { RecordRow } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { readJson } from "../_read_json.ts";
import { accessKeyJson, recordMetaJson } from "../_wire.ts";

/**
 * The v1 query route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", queryRoutes(deps));
 * ```
 */
export function queryRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();
  routes.post("/v1/storage/search", async (c) => {
    const callerId = c.get("clientId");
    const query = await readJson(c, queryRequestSchema);
    const rows = await deps.store.records.query({
      callerId,
      scope: query.include_all_writers || query.writer_ids.length > 0 ? "readable" : "own",
      afterSeq: query.after_index,
      limit: query.count,
      writerIds: query.writer_ids,
      userIds: query.user_ids,
      recordIds: query.record_ids,
      types: query.content_types,
      plain: query.plain,
      includeData: query.include_data,
      maxDataBytes: PAGE_DATA_BYTES,
    });
    const accessKeys = new AccessKeyLookup(deps.store, callerId);
    const results: QueryResultJson[] = [];
    for (const row of rows) {
      const result: QueryResultJson = {
        meta: recordMetaJson(row),
        record_data: query.include_data ? row.data : null,
        access_key: query.include_data ? await accessKeys.forRecord(row) : null,
      };
      if (row.recSig !== null) result.rec_sig = row.recSig;
      results.push(result);
    }
    const body: QueryResponse = { results, last_index: rows.at(-1)?.seq ?? query.after_index };
    return c.json(body, 200);
  });
  return routes;
}

/**
 * Looks up the caller's EAK per (writer, user, type), once each (also used by v2 search).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * const keys = new AccessKeyLookup(store, callerId);
 * const accessKey = await keys.forRecord(row); // AccessKeyResponse or null
 * ```
 */
export class AccessKeyLookup {
  readonly #store: Store;
  readonly #readerId: string;
  readonly #cache = new Map<string, AccessKeyResponse | null>();

  constructor(store: Store, readerId: string) {
    this.#store = store;
    this.#readerId = readerId;
  }

  async forRecord(record: RecordRow): Promise<AccessKeyResponse | null> {
    const cacheKey = JSON.stringify([record.writerId, record.userId, record.type]);
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const accessKey = await this.#store.accessKeys.get({
      writerId: record.writerId,
      userId: record.userId,
      readerId: this.#readerId,
      type: record.type,
    });
    const authorizer = accessKey && await this.#store.clients.get(accessKey.authorizerId);
    const json = accessKey && authorizer ? accessKeyJson(accessKey, authorizer) : null;
    this.#cache.set(cacheKey, json);
    return json;
  }
}
