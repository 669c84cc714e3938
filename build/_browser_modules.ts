/**
 * The Deno-only modules of the SDK and their browser counterparts. The browser bundle swaps each
 * left-hand module for the right-hand one; everything else is bundled as it is. Each pair exports
 * the same names with the same types (tests/browser_modules_test.ts checks it).
 *
 * @module
 */
import type * as esbuild from "esbuild";
import { join } from "node:path";

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
  const key = (path: string) => path.startsWith("node:") ? path : join(root, path);
  const swaps = new Map(
    Object.entries(BROWSER_MODULES).map(([deno, browser]) => [key(deno), join(root, browser)]),
  );
  return {
    name: "arca-browser-modules",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const swapped = swaps.get(join(args.resolveDir, args.path));
        return swapped === undefined ? undefined : { path: swapped };
      });
      build.onResolve({ filter: /^node:/ }, (args) => {
        const swapped = swaps.get(args.path);
        if (swapped !== undefined) return { path: swapped };
        return {
          errors: [{ text: `${args.path} has no browser build (imported by ${args.importer})` }],
        };
      });
    },
  };
}
