/**
 * CLI output: `--json` prints one JSON document; otherwise tables (cli-table3, no colours).
 *
 * @module
 */
import type Table from "cli-table3";
import type { CliIo } from "./io.ts";

/** cli-table3, loaded by {@linkcode loadTables} (so `arca --help` does not load it). */
let tableClass: typeof Table | undefined;

/**
 * Loads cli-table3 for {@linkcode renderTable} and {@linkcode renderPairs}; `main.ts` calls it
 * before any command's action runs.
 *
 * @example
 * ```ts
 * import { loadTables } from "./_output.ts";
 * await loadTables();
 * ```
 */
export async function loadTables(): Promise<void> {
  tableClass ??= (await import("cli-table3")).default;
}

function newTable(options: Table.TableConstructorOptions): InstanceType<typeof Table> {
  if (tableClass === undefined) throw new Error("renderTable before loadTables()");
  return new tableClass(options);
}

/** Longest cell text in human output; longer values are cut with "…" (`--json` prints all). */
export const MAX_CELL_LENGTH = 80;

/**
 * A value as table-cell text: strings as they are, other values as compact JSON, cut to
 * {@linkcode MAX_CELL_LENGTH}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cell } from "./_output.ts";
 * assert.equal(cell({ a: "1" }), '{"a":"1"}');
 * ```
 */
export function cell(value: unknown): string {
  const text = typeof value === "string"
    ? value
    : value instanceof Date
    ? value.toISOString()
    : value === null || value === undefined
    ? ""
    : JSON.stringify(value);
  return text.length > MAX_CELL_LENGTH ? `${text.slice(0, MAX_CELL_LENGTH - 1)}…` : text;
}

/**
 * Renders rows under a header as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadTables, renderTable } from "./_output.ts";
 * await loadTables();
 * assert.equal(
 *   renderTable(["id", "name"], [["1", "a"]]),
 *   ["┌────┬──────┐", "│ id │ name │", "├────┼──────┤", "│ 1  │ a    │", "└────┴──────┘"].join("\n"),
 * );
 * ```
 */
export function renderTable(head: string[], rows: unknown[][]): string {
  const table = newTable({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(cell));
  return table.toString();
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/**
 * Bytes in decimal units with one decimal: `1.5 MB`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "./_output.ts";
 * assert.equal(formatBytes(1_500_000), "1.5 MB");
 * assert.equal(formatBytes(999), "999 B");
 * ```
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} ${UNITS[0]}` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * Renders name/value pairs as a two-column table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadTables, renderPairs } from "./_output.ts";
 * await loadTables();
 * assert.equal(
 *   renderPairs([["client id", "abc"]]),
 *   ["┌───────────┬─────┐", "│ client id │ abc │", "└───────────┴─────┘"].join("\n"),
 * );
 * ```
 */
export function renderPairs(pairs: [string, unknown][]): string {
  const table = newTable({ style: { head: [], border: [] } });
  for (const [name, value] of pairs) table.push({ [name]: cell(value) });
  return table.toString();
}

/**
 * Prints a result: `value` as indented JSON when `json` is set, else the text `human()` makes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printResult } from "./_output.ts";
 * import { processIo } from "./io.ts";
 * const out: string[] = [];
 * const io = { ...processIo(), out: (text: string) => out.push(text) };
 * printResult(io, true, { id: "r1" }, () => "id r1");
 * printResult(io, false, { id: "r1" }, () => "id r1");
 * assert.deepEqual(out, ['{\n  "id": "r1"\n}\n', "id r1\n"]);
 * ```
 */
export function printResult(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  if (json) {
    io.out(`${JSON.stringify(value, null, 2)}\n`);
  } else {
    const text = human();
    if (text !== "") io.out(text.endsWith("\n") ? text : `${text}\n`);
  }
}
