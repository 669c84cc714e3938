/**
 * The Deno-only modules of the SDK and their browser counterparts. The browser bundle swaps each
 * left-hand module for the right-hand one; everything else is bundled as it is. Each pair exports
 * the same names with the same types (tests/browser_modules_test.ts checks it).
 *
 * @module
 */
import type * as esbuild from "esbuild";
import { moduleSwapsPlugin } from "./_module_swaps.ts";

/**
 * A Deno-only module (a repository path, or a `node:` built-in) → the repository path of its
 * browser counterpart.
 */
export const BROWSER_MODULES: Readonly<Record<string, string>> = {
  "node:crypto": "lib/crypto/_node_crypto_browser.ts",
  "node:path": "lib/sdk/_node_path_browser.ts",
  "node:url": "lib/sdk/_node_url_browser.ts",
  "lib/sdk/_local_files.ts": "lib/sdk/_local_files_browser.ts",
  "lib/sdk/cache/_cache_rows.ts": "lib/sdk/cache/_cache_rows_browser.ts",
  "lib/sdk/containers/_spool.ts": "lib/sdk/containers/_spool_browser.ts",
};

/**
 * An esbuild plugin that resolves the modules of {@linkcode BROWSER_MODULES} to their browser
 * counterparts, and refuses any `node:` import left in the browser's module graph.
 *
 * @example
 * ```ts ignore
 * // Used by build/browser.ts.
 * await esbuild.build({ entryPoints: ["mod.ts"], plugins: [browserModulesPlugin(root)] });
 * ```
 */
export function browserModulesPlugin(root: string): esbuild.Plugin {
  return moduleSwapsPlugin("browser", root, BROWSER_MODULES, "refuse");
}
