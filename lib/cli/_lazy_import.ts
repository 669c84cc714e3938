/**
 * Imports one of the CLI's on-demand modules through a computed specifier, which Deno does not
 * follow when it loads the CLI (see `_lazy.ts`). The bundled CLI (build/cli.ts) replaces this
 * module with `build/_cli_lazy_import.ts`, whose imports are literal so that esbuild bundles them.
 *
 * @module
 */
import type { LazyModule } from "./_lazy.ts";

/**
 * Imports `path` (relative to the repository root) when called.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importLater } from "./_lazy_import.ts";
 * const suites = await importLater<{ getSuite: unknown }>("lib/crypto/suites.ts");
 * assert.equal(typeof suites.getSuite, "function");
 * ```
 */
export function importLater<T>(path: LazyModule): Promise<T> {
  return import(new URL(`../../${path}`, import.meta.url).href);
}
