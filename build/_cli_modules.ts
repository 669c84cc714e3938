/**
 * What the bundled CLI (build/cli.ts) swaps so that a command starts without Deno's Node layer:
 * touching any of it (a `node:` module, or the global `process`) costs about 30 ms of start-up,
 * a fifth of `arca --help`. The sources stay as they are; the bundle swaps:
 *
 * - `node:path`, `node:url` and `node:crypto` for modules on Deno alone, and the CLI's computed
 *   imports for literal ones ({@linkcode CLI_MODULES});
 * - libsodium's probe for Node (`globalThis.process?.versions?.node`, whose value its build
 *   discards) for nothing ({@linkcode withoutLibsodiumNodeProbe});
 * - `require` of a Node built-in by a CommonJS package (cli-progress's `readline`) for
 *   `process.getBuiltinModule`, reached only when such a package runs (the banner in cli.ts).
 *
 * commander's Node imports are handled by build/_commander_host.ts, whose plugin comes first.
 *
 * @module
 */
import type * as esbuild from "esbuild";

/** A module → the repository path of the module the bundled CLI uses instead. */
export const CLI_MODULES: Readonly<Record<string, string>> = {
  "node:path": "build/_cli_node_path.ts",
  "node:url": "lib/sdk/_node_url_browser.ts",
  "node:crypto": "build/_cli_node_crypto.ts",
  "lib/cli/_lazy_import.ts": "build/_cli_lazy_import.ts",
};

/** libsodium's probe for Node, in `libsodium-sumo.mjs`: evaluated, its value unused. */
const LIBSODIUM_NODE_PROBE = "globalThis.process?.versions?.node&&globalThis.process,";

/**
 * The esbuild plugin removing libsodium's probe; the build fails if the probe is not where it
 * was (another libsodium version), rather than bundle a CLI that starts the Node layer again.
 *
 * @example
 * ```ts ignore
 * // Used by build/cli.ts.
 * await esbuild.build({ entryPoints: ["cli.ts"], plugins: [withoutLibsodiumNodeProbe()] });
 * ```
 */
export function withoutLibsodiumNodeProbe(): esbuild.Plugin {
  return {
    name: "arca-without-libsodium-node-probe",
    setup(build) {
      build.onLoad({ filter: /[\\/]libsodium-sumo\.mjs$/ }, async (args) => {
        const source = await Deno.readTextFile(args.path);
        if (!source.includes(LIBSODIUM_NODE_PROBE)) {
          return { errors: [{ text: `libsodium's Node probe is not in ${args.path}` }] };
        }
        return { contents: source.replace(LIBSODIUM_NODE_PROBE, ""), loader: "js" };
      });
    },
  };
}
