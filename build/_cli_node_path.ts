/**
 * The bundled CLI's `node:path` (build/_cli_modules.ts maps the import to this file): the three
 * functions the SDK and the CLI use, on Deno alone, so that a command does not start Deno's Node
 * layer for them. Separators are the platform's (`\` and `/` on Windows, `/` elsewhere). Unlike
 * Node's, these do not resolve `.` and `..` segments: the operating system does, and the CLI's
 * paths (a home folder and fixed names, or a path the user typed) are used as given.
 *
 * tests/cli_node_path_test.ts compares each with `node:path`'s POSIX and Windows versions.
 *
 * @module
 */

/** The separators of one platform's paths. */
export interface PathFlavour {
  /** The separator `join` puts between segments. */
  separator: string;
  /** Whether `\` separates too (Windows). */
  backslash: boolean;
}

/** This platform's. */
export const NATIVE: PathFlavour = Deno.build.os === "windows"
  ? { separator: "\\", backslash: true }
  : { separator: "/", backslash: false };

function isSeparator(flavour: PathFlavour, char: string | undefined): boolean {
  return char === "/" || (flavour.backslash && char === "\\");
}

/** `path` without trailing separators (a root stays as it is). */
function trimEnd(flavour: PathFlavour, path: string): string {
  let end = path.length;
  while (end > 1 && isSeparator(flavour, path[end - 1])) end--;
  if (flavour.backslash && end === 2 && path[1] === ":") end = Math.min(3, path.length);
  return path.slice(0, end);
}

function lastSeparator(flavour: PathFlavour, path: string): number {
  for (let i = path.length - 1; i >= 0; i--) if (isSeparator(flavour, path[i])) return i;
  return -1;
}

/**
 * Joins segments with the separator, dropping empty ones and repeated separators (a Windows
 * network path's leading `\\` is kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinPath } from "./_cli_node_path.ts";
 * const posix = { separator: "/", backslash: false };
 * assert.equal(joinPath(posix, "/home/jon/", ".tozny", "e3db.json"), "/home/jon/.tozny/e3db.json");
 * ```
 */
export function joinPath(flavour: PathFlavour, ...segments: string[]): string {
  const joined = segments.filter((segment) => segment !== "").join(flavour.separator);
  if (joined === "") return ".";
  let out = "";
  for (let i = 0; i < joined.length; i++) {
    const char = joined[i]!;
    if (!isSeparator(flavour, char)) {
      out += char;
    } else if (!isSeparator(flavour, out[out.length - 1]) || (flavour.backslash && i === 1)) {
      out += flavour.backslash ? "\\" : "/";
    }
  }
  return out;
}

/**
 * The folder part of `path`: `.` without a separator, the root for a path in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dirnameOf } from "./_cli_node_path.ts";
 * const posix = { separator: "/", backslash: false };
 * assert.equal(dirnameOf(posix, "/home/jon/.tozny/e3db.json"), "/home/jon/.tozny");
 * assert.equal(dirnameOf(posix, "e3db.json"), ".");
 * ```
 */
export function dirnameOf(flavour: PathFlavour, path: string): string {
  if (path === "") return ".";
  const trimmed = trimEnd(flavour, path);
  const index = lastSeparator(flavour, trimmed);
  if (index === -1) {
    return flavour.backslash && /^[A-Za-z]:/.test(trimmed) ? trimmed.slice(0, 2) : ".";
  }
  if (index === 0) return trimmed[0]!;
  if (flavour.backslash && index === 2 && trimmed[1] === ":") return trimmed.slice(0, 3);
  return trimmed.slice(0, index);
}

/**
 * The last part of `path`, without `suffix` when it ends with it (and is more than it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basenameOf } from "./_cli_node_path.ts";
 * const posix = { separator: "/", backslash: false };
 * assert.equal(basenameOf(posix, "/tmp/report.pdf/"), "report.pdf");
 * assert.equal(basenameOf(posix, "/tmp/report.pdf", ".pdf"), "report");
 * ```
 */
export function basenameOf(flavour: PathFlavour, path: string, suffix?: string): string {
  let trimmed = path;
  while (trimmed.length > 1 && isSeparator(flavour, trimmed[trimmed.length - 1])) {
    trimmed = trimmed.slice(0, -1);
  }
  let base = trimmed.slice(lastSeparator(flavour, trimmed) + 1);
  if (flavour.backslash && lastSeparator(flavour, trimmed) === -1 && /^[A-Za-z]:/.test(base)) {
    base = base.slice(2);
  }
  if (suffix !== undefined && base !== suffix && base.endsWith(suffix)) {
    base = base.slice(0, -suffix.length);
  }
  return base;
}

/** `node:path`'s `join` on this platform. */
export const join = (...segments: string[]): string => joinPath(NATIVE, ...segments);
/** `node:path`'s `dirname` on this platform. */
export const dirname = (path: string): string => dirnameOf(NATIVE, path);
/** `node:path`'s `basename` on this platform. */
export const basename = (path: string, suffix?: string): string => basenameOf(NATIVE, path, suffix);
