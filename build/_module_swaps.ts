/**
 * The esbuild plugin both bundles use to swap modules: each module of a table (a repository path,
 * or a `node:` built-in) resolves to another file of the repository. The browser bundle
 * (build/_browser_modules.ts) refuses every `node:` import its table does not list; the CLI
 * bundle (build/_cli_modules.ts) leaves the others to Deno.
 *
 * @module
 */
import type * as esbuild from "esbuild";
import { join } from "node:path";

/** What becomes of a `node:` import the table does not list. */
export type UnlistedNodeModules = "refuse" | "keep";

/**
 * The plugin (`arca-<name>-modules`): `swaps` maps a module to the repository path of its
 * stand-in.
 *
 * @example
 * ```ts ignore
 * // Used by build/browser.ts and build/cli.ts.
 * const swaps = { "node:path": "lib/sdk/_node_path_browser.ts" };
 * await esbuild.build({ plugins: [moduleSwapsPlugin("browser", root, swaps, "refuse")] });
 * ```
 */
export function moduleSwapsPlugin(
  name: string,
  root: string,
  swaps: Readonly<Record<string, string>>,
  unlistedNode: UnlistedNodeModules,
): esbuild.Plugin {
  const key = (path: string) => path.startsWith("node:") ? path : join(root, path);
  const table = new Map(
    Object.entries(swaps).map(([module, standIn]) => [key(module), join(root, standIn)]),
  );
  return {
    name: `arca-${name}-modules`,
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const swapped = table.get(join(args.resolveDir, args.path));
        return swapped === undefined ? undefined : { path: swapped };
      });
      build.onResolve({ filter: /^node:/ }, (args) => {
        const swapped = table.get(args.path);
        if (swapped !== undefined) return { path: swapped };
        if (unlistedNode === "keep") return undefined;
        return {
          errors: [{ text: `${args.path} has no ${name} build (imported by ${args.importer})` }],
        };
      });
    },
  };
}
