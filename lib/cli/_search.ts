/**
 * `arca search`: the v2 search. Flags build one match clause (`--type`, `--value`, `--key`,
 * `--plain`, `--writer`, `--record`, `--user` with `--strategy` and `--condition`); `--match`
 * and `--exclude` add whole clauses as JSON; `--after`/`--before` set a time range.
 *
 * @module
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import {
  SEARCH_CONDITIONS,
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_LIMIT,
  SEARCH_RANGE_KEYS,
  SEARCH_RESULT_WINDOW,
  SEARCH_STRATEGIES,
  type SearchCondition,
  type SearchRangeKey,
  type SearchStrategy,
} from "../protocol/search_limits.ts";
import type { Search, SearchClauseOptions, SearchTime } from "../sdk/search.ts";
import type { SearchResult } from "../sdk/search_result.ts";
import type { ArcaRecord } from "../sdk/record.ts";
import { commandContext, integerArg, jsonArg, listArg, loadClient } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderTable } from "./_output.ts";
import { searchModule } from "./_lazy.ts";

interface SearchFlags {
  type?: string[];
  value?: string[];
  key?: string[];
  plain?: string[];
  writer?: string[];
  record?: string[];
  user?: string[];
  strategy: SearchStrategy;
  condition: SearchCondition;
  match?: SearchClauseOptions[];
  exclude?: SearchClauseOptions[];
  after?: string;
  before?: string;
  rangeKey: SearchRangeKey;
  zoneOffset?: string;
  allWriters?: boolean;
  data: boolean;
  limit?: number;
  nextToken?: number;
  desc?: boolean;
  all?: boolean;
}

const CLAUSE_KEYS = [
  "condition",
  "strategy",
  "writerIds",
  "userIds",
  "recordIds",
  "types",
  "keys",
  "values",
  "plain",
];

/**
 * Reads a `--match`/`--exclude` clause: a JSON object with `types`, `values`, `keys`, `plain`,
 * `writerIds`, `userIds`, `recordIds`, `condition` and `strategy`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clauseArg } from "./_search.ts";
 * assert.deepEqual(clauseArg('{"values":["summer"]}', undefined), [{ values: ["summer"] }]);
 * ```
 */
export function clauseArg(
  text: string,
  previous: SearchClauseOptions[] | undefined,
): SearchClauseOptions[] {
  const value = jsonArg(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidArgumentError("Expected a JSON object.");
  }
  const unknown = Object.keys(value).filter((key) => !CLAUSE_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `Unknown clause field "${unknown[0]}" (use ${CLAUSE_KEYS.join(", ")}).`,
    );
  }
  return [...(previous ?? []), value as SearchClauseOptions];
}

/**
 * Reads a `--plain key=value` pair.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainPairArg } from "./_search.ts";
 * assert.deepEqual(plainPairArg("house=Stark", undefined), ["house=Stark"]);
 * ```
 */
export function plainPairArg(text: string, previous: string[] | undefined): string[] {
  if (!text.includes("=")) throw new InvalidArgumentError("Expected key=value.");
  return [...(previous ?? []), text];
}

function flagClause(flags: SearchFlags): SearchClauseOptions | undefined {
  const plain: Record<string, string> = {};
  for (const pair of flags.plain ?? []) {
    const at = pair.indexOf("=");
    plain[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const clause: SearchClauseOptions = {
    condition: flags.condition,
    strategy: flags.strategy,
    types: flags.type,
    values: flags.value,
    keys: flags.key,
    writerIds: flags.writer,
    recordIds: flags.record,
    userIds: flags.user,
    plain,
  };
  const listed = [flags.type, flags.value, flags.key, flags.writer, flags.record, flags.user]
    .some((list) => list !== undefined) || Object.keys(plain).length > 0;
  return listed ? clause : undefined;
}

/**
 * Builds the {@linkcode Search} the flags describe.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchFromFlags } from "./_search.ts";
 * const search = await searchFromFlags({
 *   type: ["contact"],
 *   strategy: "EXACT",
 *   condition: "OR",
 *   rangeKey: "CREATED",
 *   data: false,
 * });
 * assert.deepEqual(search.toWire().match?.[0]?.terms?.content_types, ["contact"]);
 * ```
 */
export async function searchFromFlags(flags: SearchFlags): Promise<Search> {
  const { Search } = await searchModule();
  const search = new Search({
    includeData: flags.data,
    includeAllWriters: flags.allWriters === true,
    limit: flags.limit ?? 50,
    nextToken: flags.nextToken ?? 0,
    order: flags.desc === true ? "DESCENDING" : "ASCENDING",
  });
  const own = flagClause(flags);
  if (own !== undefined) search.match(own);
  for (const clause of flags.match ?? []) search.match(clause);
  for (const clause of flags.exclude ?? []) search.exclude(clause);
  if (flags.after !== undefined || flags.before !== undefined) {
    search.range({
      start: timeFlag(flags.after),
      end: timeFlag(flags.before),
      key: flags.rangeKey,
      zoneOffset: flags.zoneOffset !== undefined && /^[+-]?\d+(\.\d+)?$/.test(flags.zoneOffset)
        ? Number(flags.zoneOffset)
        : flags.zoneOffset,
    });
  }
  return search;
}

/**
 * Adds `search` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { searchCommand } from "./_search.ts";
 * const program = new Command("arca");
 * searchCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "search");
 * ```
 */
export function searchCommand(program: Command, io: CliIo): void {
  program
    .command("search")
    .description(
      "search records with boolean clauses, EXACT/FUZZY/WILDCARD/REGEXP matching and time ranges",
    )
    .option("--type <type>", "record type to match (repeatable)", listArg)
    .option("--value <value>", "plain value to match (repeatable)", listArg)
    .option("--key <key>", "plain key to match (repeatable)", listArg)
    .option("--plain <key=value>", "plain entry to match (repeatable)", plainPairArg)
    .option("--writer <id>", "writer id to match (repeatable)", listArg)
    .option("--record <id>", "record id to match (repeatable)", listArg)
    .option("--user <id>", "user id to match (repeatable)", listArg)
    .addOption(
      new Option("--strategy <strategy>", "how the values above match")
        .choices(SEARCH_STRATEGIES).default("EXACT"),
    )
    .addOption(
      new Option("--condition <condition>", "the values above: any (OR) or all (AND)")
        .choices(SEARCH_CONDITIONS).default("OR"),
    )
    .option("--match <json>", "another match clause as JSON (repeatable)", clauseArg)
    .option("--exclude <json>", "an exclude clause as JSON (repeatable)", clauseArg)
    .option("--after <time>", "created (or modified) at or after: ISO 8601 or epoch seconds")
    .option("--before <time>", "created (or modified) at or before: ISO 8601 or epoch seconds")
    .addOption(
      new Option("--range-key <key>", "the time --after/--before apply to")
        .choices(SEARCH_RANGE_KEYS).default("CREATED"),
    )
    .option("--zone-offset <offset>", 'UTC offset of zone-less times: hours or "+HH:MM"')
    .option("--all-writers", "include records other writers share with you")
    .option("--no-data", "return metadata only (do not fetch or decrypt data)")
    .option(
      "--limit <n>",
      `records per page (1-${SEARCH_MAX_LIMIT}, default ${SEARCH_DEFAULT_LIMIT})`,
      integerArg(1, SEARCH_MAX_LIMIT),
    )
    .option(
      "--next-token <n>",
      "skip this many results (a page's nextToken)",
      integerArg(0, SEARCH_RESULT_WINDOW - 1),
    )
    .option("--desc", "newest first")
    .option("--all", "fetch every page (up to the 10,000-result window)")
    .action(async (flags: SearchFlags, command: Command) => {
      const context = commandContext(io, command);
      const search = await searchFromFlags(flags);
      const client = await loadClient(context);
      const first = await client.search(search);
      const pages: SearchResult[] = [];
      if (flags.all === true) { for await (const page of first) pages.push(page); }
      else pages.push(first);
      const records = pages.flatMap((page) => page.records);
      const last = pages.at(-1)!;
      printResult(
        io,
        context.options.json,
        {
          records,
          totalResults: first.totalResults,
          nextToken: last.nextToken,
          searchId: first.searchId,
        },
        () => humanResult(records, first.totalResults, last.nextToken, flags.data),
      );
    });
}

/** `--after 1700000000` means epoch seconds; anything else is a time string. */
function timeFlag(text: string | undefined): SearchTime | undefined {
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function humanResult(
  records: ArcaRecord[],
  total: number,
  nextToken: number,
  withData: boolean,
): string {
  const summary =
    `${records.length} of ${total}${total >= SEARCH_RESULT_WINDOW ? "+" : ""} records` +
    (nextToken === 0 ? "" : `; next page: --next-token ${nextToken}`);
  if (records.length === 0) return `No records (${summary})`;
  const table = renderTable(
    ["record id", "type", "created", "writer id", "plain", ...(withData ? ["data"] : [])],
    records.map((record) => [
      record.meta.recordId,
      record.meta.type,
      record.meta.created,
      record.meta.writerId,
      record.meta.plain,
      ...(withData ? [record.data] : []),
    ]),
  );
  return `${table}\n${summary}`;
}
