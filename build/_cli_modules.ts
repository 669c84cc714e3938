/**
 * What the bundled CLI (build/cli.ts) swaps so that a command starts without Deno's Node layer:
 * touching any of it (a `node:` module, or the global `process`) costs about 30 ms of start-up,
 * a fifth of `arca --help`. The sources stay as they are; the bundle swaps:
 *
 * - `node:path`, `node:url` and `node:crypto` for modules on Deno alone, and the CLI's computed
 *   imports for literal ones ({@linkcode CLI_MODULES});
 * - in libsodium's module ({@linkcode libsodiumForCli}): its probe for Node
 *   (`globalThis.process?.versions?.node`, whose value its build discards) for nothing, and its
 *   WebAssembly, inside as base64, for the file `libsodium-sumo.wasm` beside the chunks, read
 *   when libsodium starts;
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
 * libsodium's WebAssembly in `libsodium-sumo.mjs`: a base64 string decoded by a function of its
 * own, `D??=(l=>{for(…)…return v})("AGFzbQ…")`, in an async function.
 */
const LIBSODIUM_WASM = /(\w+)\?\?=\((\w)=>\{for\(.*?return \w\}\)\("([A-Za-z0-9+/]+={0,2})"\)/s;

/** The file the bundle reads libsodium's WebAssembly from, beside its chunks. */
export const LIBSODIUM_WASM_FILE = "libsodium-sumo.wasm";

/** Where {@linkcode libsodiumForCli} puts the WebAssembly it takes out of libsodium's module. */
export interface LibsodiumWasm {
  /** The module's bytes, once esbuild has loaded libsodium. */
  bytes?: Uint8Array;
}

/**
 * The esbuild plugin that rewrites libsodium's module for the CLI: without its probe for Node,
 * and reading its WebAssembly from {@linkcode LIBSODIUM_WASM_FILE} (put in `wasm.bytes` for
 * the build to write) instead of a 380 KB base64 string that every `arca read` parsed and
 * decoded in JavaScript (about 8 ms). The build fails if either is not where it was (another
 * libsodium version), rather than bundle a CLI that is slower or starts the Node layer again.
 *
 * @example
 * ```ts ignore
 * // Used by build/cli.ts.
 * const wasm: LibsodiumWasm = {};
 * await esbuild.build({ entryPoints: ["cli.ts"], plugins: [libsodiumForCli(wasm)] });
 * ```
 */
export function libsodiumForCli(wasm: LibsodiumWasm): esbuild.Plugin {
  return {
    name: "arca-libsodium-for-cli",
    setup(build) {
      build.onLoad({ filter: /[\\/]libsodium-sumo\.mjs$/ }, async (args) => {
        const source = await Deno.readTextFile(args.path);
        const embedded = LIBSODIUM_WASM.exec(source);
        // The decoder is a few hundred characters: a longer match spans code it must not.
        const decoder = embedded === null ? Infinity : embedded[0].length - embedded[3]!.length;
        if (!source.includes(LIBSODIUM_NODE_PROBE) || embedded === null || decoder > 600) {
          return {
            errors: [{ text: `libsodium's Node probe or WebAssembly moved in ${args.path}` }],
          };
        }
        wasm.bytes = Uint8Array.from(atob(embedded[3]!), (character) => character.charCodeAt(0));
        if (new TextDecoder().decode(wasm.bytes.subarray(0, 4)) !== "\0asm") {
          return { errors: [{ text: `libsodium's WebAssembly is not a module in ${args.path}` }] };
        }
        const read = `${embedded[1]}??=Deno.readFileSync(new URL(` +
          `${JSON.stringify(`./${LIBSODIUM_WASM_FILE}`)},import.meta.url))`;
        const contents = source.replace(LIBSODIUM_NODE_PROBE, "").replace(embedded[0], read);
        return { contents, loader: "js" };
      });
    },
  };
}
