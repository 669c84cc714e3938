/**
 * Plain-text tables for the CLI's human output: box-drawing borders, a line between rows, cells
 * padded by one space, cells of several lines, and columns as wide as their widest line in
 * terminal columns ({@linkcode displayWidth}). No colours.
 *
 * @module
 */

/** Printable ASCII only: one column per character, the common case. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Drawn over the previous character: combining marks, format characters, skin tones. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Emoji_Modifier}]/u;
/** Emoji a terminal draws as emoji (two columns) without a variation selector. */
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const ZERO_WIDTH_JOINER = 0x200d;
const EMOJI_VARIATION_SELECTOR = 0xfe0f;

function isRegionalIndicator(codePoint: number): boolean {
  return codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
}

/**
 * Code point ranges that East Asian Width classes Wide or Fullwidth (Unicode UAX #11): Hangul
 * Jamo, CJK ideographs and punctuation, kana, Hangul syllables, fullwidth forms.
 */
const WIDE_RANGES: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x3247],
  [0x3250, 0x4dbf],
  [0x4e00, 0xa4c6],
  [0xa960, 0xa97c],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6b],
  [0xff01, 0xff60],
  [0xffe0, 0xffe6],
  [0x1b000, 0x1b001],
  [0x1f200, 0x1f251],
  [0x20000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/**
 * How many terminal columns `text` (one line, no control characters) takes: 2 for an emoji
 * (a sequence joined by U+200D, a flag's two regional indicators, or a character with the emoji
 * variation selector U+FE0F counts as one) and for East Asian wide characters, 0 for combining
 * marks, format characters and skin-tone modifiers, 1 for the rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayWidth } from "./_table.ts";
 * assert.equal(displayWidth("Stark"), 5);
 * assert.equal(displayWidth("日本語"), 6);
 * assert.equal(displayWidth("e\u0301🙂"), 3);
 * assert.equal(displayWidth("👨‍👩‍👧 🇫🇷 ❤️"), 8);
 * ```
 */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  let previous = 0;
  let previousWidth = 0;
  let flagOpen = false; // An odd regional indicator: the next one completes its flag.
  for (const character of text) {
    const code = character.codePointAt(0)!;
    let columns: number;
    if (previous === ZERO_WIDTH_JOINER) columns = 0;
    else if (code === EMOJI_VARIATION_SELECTOR) columns = previousWidth === 1 ? 1 : 0;
    else if (ZERO_WIDTH.test(character)) columns = 0;
    else if (isRegionalIndicator(code)) columns = flagOpen ? 0 : 2;
    else columns = EMOJI_PRESENTATION.test(character) || isWide(code) ? 2 : 1;
    flagOpen = isRegionalIndicator(code) && !flagOpen;
    width += columns;
    previous = code;
    previousWidth = columns;
  }
  return width;
}

/** A horizontal border: `left`, then each column's width in `─` (plus padding), joined by `join`. */
function border(widths: number[], left: string, join: string, right: string): string {
  return left + widths.map((width) => "─".repeat(width + 2)).join(join) + right;
}

/** One line of a cell and its width in terminal columns. */
interface CellLine {
  text: string;
  width: number;
}

/** The lines of one row: as many as its tallest cell, each cell padded to its column's width. */
function rowLines(cells: CellLine[][], widths: number[]): string[] {
  const height = Math.max(1, ...cells.map((lines) => lines.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = cells.map((cellLines, column) => {
      const { text, width } = cellLines[line] ?? { text: "", width: 0 };
      return ` ${text}${" ".repeat(widths[column]! - width)} `;
    });
    lines.push(`│${parts.join("│")}│`);
  }
  return lines;
}

/**
 * Draws a table: `head` (when given) and `rows` of text cells, a line between rows; a cell's
 * `\n` starts a new line within it. Rows shorter than the widest are padded with empty cells.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawTable } from "./_table.ts";
 * assert.equal(
 *   drawTable(["id", "name"], [["1", "a"], ["22", "b\nc"]]),
 *   [
 *     "┌────┬──────┐",
 *     "│ id │ name │",
 *     "├────┼──────┤",
 *     "│ 1  │ a    │",
 *     "├────┼──────┤",
 *     "│ 22 │ b    │",
 *     "│    │ c    │",
 *     "└────┴──────┘",
 *   ].join("\n"),
 * );
 * ```
 */
export function drawTable(head: string[] | undefined, rows: string[][]): string {
  const all = head === undefined ? rows : [head, ...rows];
  if (all.length === 0) return "";
  const columns = Math.max(0, ...all.map((row) => row.length));
  const split = all.map((row) =>
    Array.from(
      { length: columns },
      (_, column) =>
        (row[column] ?? "").split("\n").map((text) => ({ text, width: displayWidth(text) })),
    )
  );
  const widths = Array.from(
    { length: columns },
    (_, column) => Math.max(...split.flatMap((row) => row[column]!.map((line) => line.width))),
  );
  const lines = [border(widths, "┌", "┬", "┐")];
  split.forEach((row, index) => {
    if (index > 0) lines.push(border(widths, "├", "┼", "┤"));
    lines.push(...rowLines(row, widths));
  });
  lines.push(border(widths, "└", "┴", "┘"));
  return lines.join("\n");
}
