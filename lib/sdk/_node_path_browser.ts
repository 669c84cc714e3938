/**
 * The browser bundle's `node:path`: `join` with `/`, enough for the SDK's local paths, which
 * in a browser are IndexedDB keys (build/_browser_modules.ts maps the import to this file).
 *
 * @module
 */

/**
 * Joins path segments with `/`, dropping empty ones and repeated slashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "./_node_path_browser.ts";
 * assert.equal(join("/data/", "arca", "cache"), "/data/arca/cache");
 * assert.equal(join("data", "", "x"), "data/x");
 * ```
 */
export function join(...segments: string[]): string {
  const joined = segments.filter((segment) => segment !== "").join("/");
  return joined.replace(/\/{2,}/g, "/");
}
