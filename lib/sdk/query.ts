/**
 * The v1 query (`POST /v1/storage/search`): filters by type, writer, user, record id and clear
 * `plain` metadata, paged by `after_index`. Results come back as pages (an async iterator), as
 * single records, or collected into an array; with data, each record is decrypted with the EAK
 * the server returned alongside it (or the caller's EAK fetched separately).
 *
 * @module
 */
import { ArcaError, ValidationError } from "../errors.ts";
import { isPlainFilter, type PlainFilter } from "../protocol/plain_filter.ts";
import type { QueryRequest } from "../protocol/query.ts";
import { DEFAULT_PAGE_SIZE, PAGE_DATA_BYTES, QUERY_MAX_COUNT } from "../protocol/query_limits.ts";
import type { QueryResponse, QueryResultJson } from "../protocol/responses.ts";
import { parseUuid } from "../protocol/ids.ts";
import { accessKeyForRow } from "./_access_keys.ts";
import type { ClientContext } from "./context.ts";
import { type ArcaRecord, recordMetaFromWire, recordSignatureFromWire } from "./record.ts";
import { openRecord } from "./records.ts";
import { requireType } from "./_validate.ts";
import { wireArray, type WireObject, wireObject, wireStringMap } from "./_wire_reader.ts";

export { DEFAULT_PAGE_SIZE };

/** What to look for. Every filter is optional; lists match any of their items. */
export interface QueryOptions {
  /** Record types. */
  types?: string[] | undefined;
  /** Writers; naming other writers includes records they share with you. */
  writerIds?: string[] | undefined;
  /** Users (owners). */
  userIds?: string[] | undefined;
  /** Record ids. */
  recordIds?: string[] | undefined;
  /** A filter on clear metadata: `{eq: {name, value}}`, `{and: [...]}`, `{or: [...]}`, `{not}`. */
  plain?: PlainFilter | undefined;
  /** Also search records other writers share with you (default false: your own only). */
  allWriters?: boolean | undefined;
  /** Fetch and decrypt data (default true); without it records carry `data: {}`. */
  includeData?: boolean | undefined;
  /** Records per request, 1-1000 (default 100). */
  pageSize?: number | undefined;
  /** Start after this index (a page's `lastIndex`; default 0, the beginning). */
  afterIndex?: number | undefined;
}

/** One page of results. */
export interface QueryPage {
  /** The page's records, in the server's order. */
  records: ArcaRecord[];
  /** Pass as `afterIndex` to continue after this page. */
  lastIndex: number;
}

interface CheckedQuery {
  /** The body without its paging fields (`count`, `after_index`). */
  body: QueryRequest;
  includeData: boolean;
  pageSize: number;
  afterIndex: number;
}

function idList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError(`Query ${what} must be an array`);
  return value.map((id, index) => parseUuid(id, `Query ${what}[${index}]`));
}

function checkQuery(options: QueryOptions): CheckedQuery {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ValidationError("Query options must be an object");
  }
  const types = options.types === undefined ? [] : options.types;
  if (!Array.isArray(types)) throw new ValidationError("Query types must be an array");
  types.forEach((type, index) => requireType(type, `Query types[${index}]`));
  for (const name of ["allWriters", "includeData"] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") {
      throw new ValidationError(`Query ${name} must be a boolean`);
    }
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > QUERY_MAX_COUNT) {
    throw new ValidationError(
      `Query pageSize must be an integer from 1 to ${QUERY_MAX_COUNT}, got ${pageSize}`,
    );
  }
  const afterIndex = options.afterIndex ?? 0;
  if (!Number.isSafeInteger(afterIndex) || afterIndex < 0) {
    throw new ValidationError(`Query afterIndex must be an integer >= 0, got ${afterIndex}`);
  }
  let plain: PlainFilter | null = null;
  if (options.plain !== undefined) {
    if (!isPlainFilter(options.plain)) {
      throw new ValidationError(
        'Query plain must be {"eq":{"name","value"}}, {"and":[...]}, {"or":[...]} or {"not":...}',
      );
    }
    plain = options.plain;
  }
  const includeData = options.includeData ?? true;
  return {
    body: {
      include_data: includeData,
      writer_ids: idList(options.writerIds, "writerIds"),
      user_ids: idList(options.userIds, "userIds"),
      record_ids: idList(options.recordIds, "recordIds"),
      content_types: types,
      plain,
      include_all_writers: options.allWriters ?? false,
    } satisfies QueryRequest,
    includeData,
    pageSize,
    afterIndex,
  };
}

/**
 * A query's results: iterate the pages with `for await`, iterate single records with
 * {@linkcode QueryResults.records}, or gather them with {@linkcode QueryResults.collect}.
 * Nothing is fetched until iteration starts; each iteration starts again from the beginning.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * for await (const page of client.query({ types: ["contact"], pageSize: 50 })) {
 *   console.log(page.records.length, page.lastIndex);
 * }
 * const all = await client.query({ types: ["contact"] }).collect();
 * ```
 */
export class QueryResults implements AsyncIterable<QueryPage> {
  readonly #context: () => Promise<ClientContext>;
  readonly #query: CheckedQuery;

  /**
   * Prepares a query; the options are checked here, before anything is sent.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const results = new QueryResults(() => contextPromise, { types: ["contact"] });
   * ```
   */
  constructor(context: () => Promise<ClientContext>, options: QueryOptions = {}) {
    this.#context = context;
    this.#query = checkQuery(options);
  }

  /**
   * Yields one page per request until a page comes back empty, or short (and not ended early by
   * the server's data budget per page, `PAGE_DATA_BYTES`).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for await (const page of results) console.log(page.records.length);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<QueryPage> {
    const context = await this.#context();
    let afterIndex = this.#query.afterIndex;
    while (true) {
      const { page, dataBytes } = await fetchPage(context, this.#query, afterIndex);
      if (page.records.length > 0) yield page;
      // A server also ends a page once its data pass PAGE_DATA_BYTES: such a short page is not
      // the end (half the budget leaves room for any difference in measuring).
      const full = page.records.length === this.#query.pageSize;
      if (page.records.length === 0 || (!full && dataBytes <= PAGE_DATA_BYTES / 2)) return;
      if (page.lastIndex <= afterIndex) {
        throw new ArcaError(
          `Server's last_index ${page.lastIndex} did not advance past ${afterIndex}`,
        );
      }
      afterIndex = page.lastIndex;
    }
  }

  /**
   * Yields the records of every page, one at a time.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for await (const record of results.records()) console.log(record.meta.recordId);
   * ```
   */
  async *records(): AsyncIterableIterator<ArcaRecord> {
    for await (const page of this) yield* page.records;
  }

  /**
   * Gathers the records into an array, stopping once `limit` records are in hand (and fetching
   * no further pages).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const firstTen = await results.collect(10);
   * ```
   */
  async collect(limit = Infinity): Promise<ArcaRecord[]> {
    if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) {
      throw new ValidationError(`Collect limit must be an integer >= 0, got ${limit}`);
    }
    const records: ArcaRecord[] = [];
    if (limit === 0) return records;
    for await (const record of this.records()) {
      records.push(record);
      if (records.length >= limit) break;
    }
    return records;
  }
}

async function fetchPage(
  context: ClientContext,
  query: CheckedQuery,
  afterIndex: number,
): Promise<{ page: QueryPage; dataBytes: number }> {
  const reply = await context.transport.request("POST", "/v1/storage/search", {
    body: { ...query.body, count: query.pageSize, after_index: afterIndex } satisfies QueryRequest,
  });
  const json = wireObject<QueryResponse>(reply.json, "query result");
  const lastIndex = json.last_index;
  if (typeof lastIndex !== "number" || !Number.isSafeInteger(lastIndex)) {
    throw new ArcaError('Server sent a malformed query result: "last_index" is not an integer');
  }
  const records: ArcaRecord[] = [];
  let dataBytes = 0;
  for (const row of wireArray(json.results, "query results")) {
    const result = wireObject<QueryResultJson>(row, "query result row");
    if (query.includeData) dataBytes += JSON.stringify(result.record_data ?? {}).length;
    records.push(await resultRecord(context, result, query.includeData, "query result row"));
  }
  return { page: { records, lastIndex }, dataBytes };
}

/**
 * Turns one query or search result row into a record: decrypted (signature verified) when data
 * was asked for and sent, metadata only otherwise. `what` names the row in errors.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const record = await resultRecord(context, row, true, "query result row");
 * ```
 */
export async function resultRecord(
  context: ClientContext,
  row: WireObject<QueryResultJson>,
  includeData: boolean,
  what: string,
): Promise<ArcaRecord> {
  const meta = recordMetaFromWire(row.meta);
  const signature = recordSignatureFromWire(row);
  if (!includeData || row.record_data === null || row.record_data === undefined) {
    const record: ArcaRecord = { meta, data: {} };
    if (signature !== undefined) record.signature = signature;
    return record;
  }
  const encrypted = wireStringMap(row, "record_data", what);
  return await openRecord(
    context,
    meta,
    encrypted,
    signature,
    () => accessKeyForRow(context, row.access_key, meta.writerId, meta.userId, meta.type),
  );
}
