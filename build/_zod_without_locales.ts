/**
 * An esbuild plugin shared by the bundles (build/browser.ts, build/cli.ts): it leaves out zod's
 * translations of its messages (`z.locales`, 260 KiB minified, 64 modules). zod loads its English
 * messages from their own module, and Arca uses no other language.
 *
 * @module
 */
import type * as esbuild from "esbuild";

/**
 * The plugin: zod's `locales/index.js` becomes an empty module.
 *
 * @example
 * ```ts ignore
 * // Used by build/browser.ts and build/cli.ts.
 * await esbuild.build({ entryPoints: ["mod.ts"], plugins: [withoutZodLocales()] });
 * ```
 */
export function withoutZodLocales(): esbuild.Plugin {
  return {
    name: "arca-without-zod-locales",
    setup(build) {
      build.onResolve(
        { filter: /\/locales\/index\.js$/ },
        (args) =>
          /[\\/]zod[\\/]/.test(args.importer)
            ? { path: args.path, namespace: "arca-empty" }
            : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "arca-empty" }, () => ({ contents: "export {};" }));
    },
  };
}
