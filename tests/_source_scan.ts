/**
 * Reading TypeScript sources for the layering test: comments blanked (line numbers kept), the
 * specifiers of static imports, `export … from` and literal dynamic imports, and the lines where
 * a code pattern occurs outside comments and strings.
 */

/** One import found in a source file. */
export interface SourceImport {
  /** 1-based line of the specifier. */
  line: number;
  /** The specifier as written (`"../sdk/client.ts"`, `"npm:hono@4"`, `"zod"`). */
  specifier: string;
}

/** One occurrence of a code pattern. */
export interface CodeMatch {
  line: number;
  text: string;
}

const REGEX_AFTER = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const REGEX_AFTER_WORDS =
  /\b(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * The source with comments replaced by spaces (newlines kept, so line numbers hold). With
 * `blankStrings`, the contents of string, template and regular expression literals are blanked
 * too (their delimiters stay).
 */
export function blankComments(source: string, blankStrings = false): string {
  const out = source.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const templateDepths: number[] = [];
  let braces = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === '"' || ch === "'") {
      const stop = skipQuoted(source, i, ch);
      if (blankStrings) blank(i + 1, stop - 1);
      i = stop;
    } else if (ch === "`" || (ch === "}" && braces === 0 && templateDepths.length > 0)) {
      if (ch === "}") braces = templateDepths.pop()!;
      const [stop, opensExpression] = skipTemplate(source, i + 1);
      if (blankStrings) blank(i + 1, opensExpression ? stop - 2 : stop - 1);
      if (opensExpression) {
        templateDepths.push(braces);
        braces = 0;
      }
      i = stop;
    } else if (ch === "/" && startsRegex(out, i)) {
      const stop = skipRegex(source, i);
      if (blankStrings) blank(i + 1, stop - 1);
      i = stop;
    } else {
      if (ch === "{") braces++;
      if (ch === "}") braces--;
      i++;
    }
  }
  return out.join("");
}

function skipQuoted(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length && source[i] !== quote && source[i] !== "\n") {
    i += source[i] === "\\" ? 2 : 1;
  }
  return i + 1;
}

/** Skips template text from `start`; returns where it stopped and whether at a `${`. */
function skipTemplate(source: string, start: number): [number, boolean] {
  let i = start;
  while (i < source.length) {
    if (source[i] === "\\") i += 2;
    else if (source[i] === "`") return [i + 1, false];
    else if (source[i] === "$" && source[i + 1] === "{") return [i + 2, true];
    else i++;
  }
  return [i, false];
}

function startsRegex(code: string[], slash: number): boolean {
  let j = slash - 1;
  while (j >= 0 && /\s/.test(code[j]!)) j--;
  if (j < 0) return true;
  if (REGEX_AFTER.has(code[j]!)) return true;
  return REGEX_AFTER_WORDS.test(code.slice(Math.max(0, j - 8), j + 1).join(""));
}

function skipRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length && source[i] !== "\n") {
    const ch = source[i]!;
    if (ch === "\\") i++;
    else if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) return i + 1;
    i++;
  }
  return i;
}

const IMPORT_PATTERNS = [
  // import x from "…", import type { … } from "…", export { … } from "…", export * from "…"
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w$*{][^;"'`]*?\s)?from\s*(["'])([^"'\n]+)\1/g,
  // import "…" (side effects only)
  /\bimport\s*(["'])([^"'\n]+)\1/g,
  // import("…")
  /\bimport\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g,
];

/**
 * The imports of a TypeScript source: static imports, `export … from` and dynamic imports with
 * a literal specifier. Imports inside comments are not imports.
 */
export function importsOf(source: string): SourceImport[] {
  const code = blankComments(source);
  const found = new Map<number, SourceImport>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const quoted = `${match[1]}${match[2]}${match[1]}`;
      const at = match.index + match[0].lastIndexOf(quoted) + 1;
      found.set(at, { line: lineAt(code, at), specifier: match[2]! });
    }
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, value]) => value);
}

/** Where `pattern` occurs in the code of `source` (comments and string contents excluded). */
export function codeMatches(source: string, pattern: RegExp): CodeMatch[] {
  const code = blankComments(source, true);
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
  );
  return [...code.matchAll(global)].map((match) => ({
    line: lineAt(code, match.index),
    text: match[0],
  }));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
