/**
 * CLI output: `--json` prints one JSON document; otherwise tables (`_table.ts`, no colours).
 *
 * @module
 */
import type { CliIo } from "./io.ts";
import { drawTable } from "./_table.ts";

/** Longest cell text in human output; longer values are cut with "…" (`--json` prints all). */
export const MAX_CELL_LENGTH = 80;

/** Control characters but the line feed: a table shows them escaped, never sends them. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

function escapeControl(character: string): string {
  if (character === "\t") return "\\t";
  if (character === "\r") return "\\r";
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * A value as table-cell text: strings as they are, other values as compact JSON, cut to
 * {@linkcode MAX_CELL_LENGTH}. Control characters other than `\n` (which starts a new line in
 * the cell) are shown escaped (`\t`, `\u001b`), so data cannot drive the terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cell } from "./_output.ts";
 * assert.equal(cell({ a: "1" }), '{"a":"1"}');
 * assert.equal(cell("a\tb\u001b[31m"), "a\\tb\\u001b[31m");
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
  const shown = text.replace(CONTROL, escapeControl);
  return shown.length > MAX_CELL_LENGTH ? `${shown.slice(0, MAX_CELL_LENGTH - 1)}…` : shown;
}

/**
 * Renders rows under a header as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./_output.ts";
 * assert.equal(
 *   renderTable(["id", "name"], [["1", "a"]]),
 *   ["┌────┬──────┐", "│ id │ name │", "├────┼──────┤", "│ 1  │ a    │", "└────┴──────┘"].join("\n"),
 * );
 * ```
 */
export function renderTable(head: string[], rows: unknown[][]): string {
  return drawTable(head, rows.map((row) => row.map(cell)));
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
 * import { renderPairs } from "./_output.ts";
 * assert.equal(
 *   renderPairs([["client id", "abc"]]),
 *   ["┌───────────┬─────┐", "│ client id │ abc │", "└───────────┴─────┘"].join("\n"),
 * );
 * ```
 */
export function renderPairs(pairs: [string, unknown][]): string {
  return drawTable(undefined, pairs.map(([name, value]) => [name, cell(value)]));
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
