/**
 * The pages of a v2 search: {@linkcode runSearch} sends a {@linkcode Search} and reads the first
 * page; a {@linkcode SearchResult} holds one page (its records decrypted when data was asked
 * for) and iterates every following page with `for await`.
 *
 * @module
 */
import { ArcaError, ValidationError } from "../errors.ts";
import type { SearchRequest, SearchResponse } from "../protocol/search.ts";
import type { QueryResultJson } from "../protocol/responses.ts";
import type { ClientContext } from "./context.ts";
import type { ArcaRecord } from "./record.ts";
import { resultRecord } from "./query.ts";
import { Search } from "./search.ts";
import { wireArray, wireObject } from "./_wire_reader.ts";

/** The fields of a search reply that describe the page, read and checked. */
type PageCounts = Pick<SearchResponse, "total_results" | "last_index" | "search_id">;

/**
 * One page of a search: its records and counts. The first page comes from
 * `client.search(search)`; `for await` over a page yields it and every following page.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const result = await client.search(new Search().match({ types: ["contact"] }));
 * console.log(result.totalResults);
 * for await (const page of result) console.log(page.records.length);
 * ```
 */
export class SearchResult implements AsyncIterable<SearchResult> {
  /** The page's records (data decrypted when the search included data). */
  readonly records: ArcaRecord[];
  /** How many records match (counted up to 10,000). */
  readonly totalResults: number;
  /** The `nextToken` of the next page, or 0 when there is none. */
  readonly nextToken: number;
  /** The server's id for this search. */
  readonly searchId: string;
  readonly #context: ClientContext;
  readonly #request: SearchRequest;

  /**
   * Wraps a fetched page: the request that fetched it, its records and the reply's counts
   * (see {@linkcode runSearch}).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const page = new SearchResult(context, request, records, reply);
   * ```
   */
  constructor(
    context: ClientContext,
    request: SearchRequest,
    records: ArcaRecord[],
    counts: PageCounts,
  ) {
    this.records = records;
    this.totalResults = counts.total_results;
    this.nextToken = counts.last_index;
    this.searchId = counts.search_id;
    this.#context = context;
    this.#request = request;
  }

  /**
   * Yields this page, then fetches and yields the following ones until `nextToken` is 0.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for await (const page of result) console.log(page.nextToken);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<SearchResult> {
    yield this;
    let token = this.nextToken;
    while (token !== 0) {
      const page = await fetchSearchPage(this.#context, { ...this.#request, next_token: token });
      yield page;
      if (page.nextToken !== 0 && page.nextToken <= token) {
        throw new ArcaError(`Server's next token ${page.nextToken} did not advance past ${token}`);
      }
      token = page.nextToken;
    }
  }

  /**
   * Yields every record of this page and every following one, one at a time.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for await (const record of result.allRecords()) console.log(record.meta.recordId);
   * ```
   */
  async *allRecords(): AsyncIterableIterator<ArcaRecord> {
    for await (const page of this) yield* page.records;
  }
}

/**
 * Runs a search: fetches its first page.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const result = await runSearch(context, new Search().match({ values: ["summer"] }));
 * ```
 */
export async function runSearch(context: ClientContext, search: Search): Promise<SearchResult> {
  if (!(search instanceof Search)) throw new ValidationError("search needs a Search");
  return await fetchSearchPage(context, search.toWire());
}

async function fetchSearchPage(
  context: ClientContext,
  request: SearchRequest,
): Promise<SearchResult> {
  const reply = await context.transport.request("POST", "/v2/search", { body: request });
  const json = wireObject<SearchResponse>(reply.json, "search result");
  const integer = (key: "total_results" | "last_index") => {
    const value = json[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new ArcaError(`Server sent a malformed search result: "${key}" is not an integer`);
    }
    return value;
  };
  const searchId = json.search_id;
  if (typeof searchId !== "string") {
    throw new ArcaError('Server sent a malformed search result: "search_id" is not a string');
  }
  const rows = json.results === null ? [] : wireArray(json.results, "search results");
  const records: ArcaRecord[] = [];
  for (const row of rows) {
    records.push(
      await resultRecord(
        context,
        wireObject<QueryResultJson>(row, "search result row"),
        request.include_data === true,
        "search result row",
      ),
    );
  }
  return new SearchResult(context, request, records, {
    total_results: integer("total_results"),
    last_index: integer("last_index"),
    search_id: searchId,
  });
}
