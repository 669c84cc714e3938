/**
 * `arca query`: search records by type, writer, record id and clear metadata.
 *
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import type { PlainFilter } from "../protocol/query.ts";
import { DEFAULT_PAGE_SIZE, QUERY_MAX_COUNT } from "../protocol/query_limits.ts";
import type { QueryOptions } from "../sdk/query.ts";
import { commandContext, idListArg, integerArg, jsonArg, listArg, loadClient } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderTable } from "./_output.ts";

interface QueryFlags {
  type?: string[];
  writer?: string[];
  record?: string[];
  user?: string[];
  plain?: PlainFilter;
  allWriters?: boolean;
  limit?: number;
  pageSize?: number;
  data: boolean;
}

const DSL_KEYS = ["eq", "and", "or", "not"];

/**
 * Reads `--plain`: the filter DSL (`{"eq": {"name", "value"}}`, `{"and": [...]}`, ...) or, as a
 * shorthand, an object of names and values that must all match.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainFilterOption } from "./_query.ts";
 * assert.deepEqual(plainFilterOption('{"house":"Stark"}'), {
 *   eq: { name: "house", value: "Stark" },
 * });
 * ```
 */
export function plainFilterOption(text: string): PlainFilter {
  const value = jsonArg(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidArgumentError("Expected a JSON object.");
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && DSL_KEYS.includes(keys[0]!)) {
    // A malformed filter is a usage error (exit 2), found before any profile or request.
    const problem = filterProblem(value, "");
    if (problem !== undefined) throw new InvalidArgumentError(`Malformed filter${problem}.`);
    return value as PlainFilter;
  }
  if (keys.length === 0) throw new InvalidArgumentError("Name at least one field.");
  const equalities: PlainFilter[] = Object.entries(value).map(([name, item]) => {
    if (typeof item !== "string") {
      throw new InvalidArgumentError(`Value "${name}" must be a string.`);
    }
    return { eq: { name, value: item } };
  });
  return equalities.length === 1 ? equalities[0]! : { and: equalities };
}

/** Where and how a DSL filter is malformed, or `undefined` when it is well formed. */
function filterProblem(node: unknown, at: string): string | undefined {
  const where = at === "" ? "" : ` at ${at}`;
  const shape = ': use {"eq":{"name","value"}}, {"and":[...]}, {"or":[...]} or {"not":...}';
  if (node === null || typeof node !== "object" || Array.isArray(node)) return where + shape;
  const entries = Object.entries(node);
  if (entries.length !== 1) return where + shape;
  const [key, inner] = entries[0]!;
  if (key === "eq") {
    const eq = inner as Record<string, unknown> | null;
    const ok = eq !== null && typeof eq === "object" && typeof eq.name === "string" &&
      typeof eq.value === "string" && Object.keys(eq).length === 2;
    return ok ? undefined : `${where}: "eq" needs string "name" and "value"`;
  }
  if (key === "and" || key === "or") {
    if (!Array.isArray(inner)) return `${where}: "${key}" needs an array`;
    for (const [index, item] of inner.entries()) {
      const problem = filterProblem(item, `${at === "" ? "" : `${at}.`}${key}.${index}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (key === "not") return filterProblem(inner, `${at === "" ? "" : `${at}.`}not`);
  return where + shape;
}

/**
 * Adds `query` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { queryCommand } from "./_query.ts";
 * const program = new Command("arca");
 * queryCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "query");
 * ```
 */
export function queryCommand(program: Command, io: CliIo): void {
  program
    .command("query")
    .description("search records (your own, or with --all-writers also those shared with you)")
    .option("--type <type>", "record type (repeatable)", listArg)
    .option("--writer <id>", "writer id (repeatable)", idListArg)
    .option("--record <id>", "record id (repeatable)", idListArg)
    .option("--user <id>", "user id (repeatable)", idListArg)
    .option(
      "--plain <json>",
      'clear-metadata filter: {"name":"value",...} or the eq/and/or/not DSL',
      plainFilterOption,
    )
    .option("--all-writers", "include records other writers share with you")
    .option("--limit <n>", "return at most n records", integerArg(1, Number.MAX_SAFE_INTEGER))
    .option(
      "--page-size <n>",
      `records per request (1-${QUERY_MAX_COUNT}, default ${DEFAULT_PAGE_SIZE})`,
      integerArg(1, QUERY_MAX_COUNT),
    )
    .option("--no-data", "return metadata only (do not fetch or decrypt data)")
    .action(async (flags: QueryFlags, command: Command) => {
      const context = commandContext(io, command);
      const limit = flags.limit ?? Infinity;
      const options: QueryOptions = {
        types: flags.type,
        writerIds: flags.writer,
        recordIds: flags.record,
        userIds: flags.user,
        plain: flags.plain,
        allWriters: flags.allWriters === true,
        includeData: flags.data,
        pageSize: flags.pageSize ?? (limit === Infinity ? undefined : Math.min(limit, 100)),
      };
      const client = await loadClient(context);
      const records = await client.query(options).collect(limit);
      printResult(
        io,
        context.options.json,
        records,
        () =>
          records.length === 0 ? "No records" : renderTable(
            ["record id", "type", "writer id", "plain", ...(flags.data ? ["data"] : [])],
            records.map((record) => [
              record.meta.recordId,
              record.meta.type,
              record.meta.writerId,
              record.meta.plain,
              ...(flags.data ? [record.data] : []),
            ]),
          ),
      );
    });
}
