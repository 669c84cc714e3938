/**
 * The Deno-only modules of the SDK and their browser counterparts. The browser bundle swaps each
 * left-hand module for the right-hand one; everything else is bundled as it is. Each pair exports
 * the same names with the same types (tests/browser_modules_test.ts checks it).
 *
 * @module
 */
import type * as esbuild from "esbuild";
import { join } from "node:path";

/** Repository path of a Deno-only module → repository path of its browser counterpart. */
export const BROWSER_MODULES: Readonly<Record<string, string>> = {};

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
  const swaps = new Map(
    Object.entries(BROWSER_MODULES).map((
      [deno, browser],
    ) => [join(root, deno), join(root, browser)]),
  );
  return {
    name: "arca-browser-modules",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const swapped = swaps.get(join(args.resolveDir, args.path));
        return swapped === undefined ? undefined : { path: swapped };
      });
      build.onResolve({ filter: /^node:/ }, (args) => ({
        errors: [{ text: `${args.path} has no browser build (imported by ${args.importer})` }],
      }));
    },
  };
}
