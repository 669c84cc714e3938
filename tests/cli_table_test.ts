/**
 * The CLI's tables (`lib/cli/_table.ts`): the layout `arca` has always printed (box drawing, a
 * line between rows, one space of padding, cells of several lines) and column widths in terminal
 * columns for wide characters, combining marks and emoji. The expected tables were checked
 * against cli-table3 0.6.5, which the CLI used before; `cell` shows control characters escaped.
 */
import assert from "node:assert/strict";
import { displayWidth, drawTable } from "../lib/cli/_table.ts";
import { cell, renderPairs, renderTable } from "../lib/cli/_output.ts";

Deno.test("tables: a header, a line between rows, cells of several lines", () => {
  assert.equal(
    renderTable(["id", "name"], [["1", "a\nbb"], ["22", "日本語"], ["x", "é🙂"], ["", ""]]),
    [
      "┌────┬────────┐",
      "│ id │ name   │",
      "├────┼────────┤",
      "│ 1  │ a      │",
      "│    │ bb     │",
      "├────┼────────┤",
      "│ 22 │ 日本語 │",
      "├────┼────────┤",
      "│ x  │ é🙂    │",
      "├────┼────────┤",
      "│    │        │",
      "└────┴────────┘",
    ].join("\n"),
  );
});

Deno.test("tables: name/value pairs, a header alone, nothing at all", () => {
  assert.equal(
    renderPairs([["client id", "abc"], ["n", "x\ny"]]),
    [
      "┌───────────┬─────┐",
      "│ client id │ abc │",
      "├───────────┼─────┤",
      "│ n         │ x   │",
      "│           │ y   │",
      "└───────────┴─────┘",
    ].join("\n"),
  );
  assert.equal(renderTable(["a"], []), "┌───┐\n│ a │\n└───┘");
  assert.equal(drawTable(undefined, []), "");
  assert.equal(drawTable(undefined, [["a", "b"], ["c"]]).split("\n")[3], "│ c │   │");
});

Deno.test("tables: widths in terminal columns", () => {
  const cases: [string, number][] = [
    ["", 0],
    ["Jon Snow", 8],
    ["e\u0301", 1], // a combining accent
    ["한국어", 6],
    ["ｆｕｌｌ", 8], // fullwidth forms
    ["🙂🙂", 4],
    ["👨‍👩‍👧", 2], // joined by U+200D
    ["🇫🇷🇩🇪", 4], // two flags
    ["❤️", 2], // text-default, with the emoji variation selector
    ["👍🏽", 2], // a skin tone
    ["1️⃣", 2], // a keycap
    ["Ω≈ç√", 4],
  ];
  for (const [text, width] of cases) assert.equal(displayWidth(text), width, JSON.stringify(text));
});

Deno.test("tables: control characters are shown escaped, never sent to the terminal", () => {
  assert.equal(cell("red\u001b[31m\tx\r\u0007\u009b"), "red\\u001b[31m\\tx\\r\\u0007\\u009b");
  assert.equal(cell("two\nlines"), "two\nlines");
  const table = renderPairs([["data.note", "\u001b]0;owned\u0007"]]);
  // deno-lint-ignore no-control-regex
  assert.equal(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(table), false);
});

Deno.test("tables: a cell is cut to 80 characters with an ellipsis", () => {
  const shown = cell("x".repeat(200));
  assert.equal(shown.length, 80);
  assert.ok(shown.endsWith("…"));
});
