/**
 * The browser bundle's `node:url`: `fileURLToPath` for `file:` URLs (build/_browser_modules.ts
 * maps the import to this file; a browser reads no files, so files.ts refuses paths first).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/**
 * The path of a `file:` URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileURLToPath } from "./_node_url_browser.ts";
 * assert.equal(fileURLToPath(new URL("file:///tmp/a%20b")), "/tmp/a b");
 * ```
 */
export function fileURLToPath(url: URL | string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "file:") throw new ValidationError(`Not a file URL: ${parsed.href}`);
  return decodeURIComponent(parsed.pathname);
}
