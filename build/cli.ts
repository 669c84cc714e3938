/**
 * `deno task build:cli`: bundles the `arca` CLI into `dist/cli/` — `arca.js` and the chunks it
 * loads on demand — for `deno run -A dist/cli/arca.js` and `deno task compile`.
 *
 * Why a bundle: `deno run cli.ts` starts by resolving and loading a few hundred modules (npm
 * packages among them) and Deno's Node layer (commander's imports, `node:path`, `node:crypto`).
 * The bundle is a few dozen files with no npm imports, and no command but file transfers and
 * `arca serve` starts the Node layer: commander runs on Deno's own APIs
 * (`build/_commander_host.ts`), and the SDK's `node:` imports become modules on Deno alone
 * (`build/_cli_modules.ts`). Chunks are split along the CLI's on-demand modules (each command
 * group of `lib/cli/_command_groups.ts`; `build/_cli_lazy_import.ts` replaces
 * `lib/cli/_lazy_import.ts`) and load each other by computed specifiers, so `arca read` loads the
 * record commands, the SDK and one crypto suite, and nothing else. `arca serve` imports the
 * repository's `server.ts` as it is. docs/cli.md ("Start-up time") has the figures.
 *
 * The output is deterministic: tests/cli_bundle_test.ts rebuilds it and compares it with the
 * committed `dist/cli/`, and runs the bundled CLI against a real server.
 *
 * Usage: `deno run -A build/cli.ts [outDir]` (default `dist/cli`).
 *
 * @module
 */
import * as esbuild from "esbuild";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CLI_MODULES,
  LIBSODIUM_WASM_FILE,
  libsodiumForCli,
  type LibsodiumWasm,
} from "./_cli_modules.ts";
import { commanderHostPlugin } from "./_commander_host.ts";
import { moduleSwapsPlugin } from "./_module_swaps.ts";
import { linkNpmPackages } from "./_npm_links.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * CommonJS packages (cli-progress) `require` Node built-ins: in an ES module that needs a
 * `require`. `process.getBuiltinModule` gives them, starting Deno's Node layer only when such a
 * package runs (`node:module`'s `createRequire` would start it on every command).
 */
const BANNER = `/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);`;

/** esbuild's import of a chunk on demand: `import("./name-HASH.js")`. */
const CHUNK_IMPORT = /\bimport\("(\.\/[\w.-]+\.js)"\)/g;

/**
 * Rewrites each on-demand chunk import to a computed specifier, `import(new URL("./x.js",
 * import.meta.url).href)`. When Deno loads a module it also loads (reads and parses) the whole
 * graph behind every literal `import("…")` in it, so literal chunk imports made every command
 * load the whole bundle, libsodium included, before its first line ran (about 15 ms).
 * `deno task compile` `--include`s `dist/cli/` for these imports.
 */
function computedChunkImports(code: string): string {
  return code.replace(CHUNK_IMPORT, 'import(new URL("$1",import.meta.url).href)');
}

async function removeJsFiles(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".js")) await Deno.remove(join(dir, entry.name));
  }
}

/**
 * Builds the CLI into `outDir` (its `.js` files replaced); the files written, sorted by name.
 *
 * @example
 * ```ts ignore
 * // Spawns esbuild and reads Deno's npm cache.
 * const files = await buildCli("dist/cli");
 * ```
 */
export async function buildCli(outDir: string): Promise<string[]> {
  const npmLinks = await linkNpmPackages(ROOT);
  const wasm: LibsodiumWasm = {};
  try {
    const result = await esbuild.build({
      entryPoints: { arca: join(ROOT, "cli.ts") },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "es2022",
      minify: true,
      keepNames: true, // Error classes name themselves after their class (ArcaError's `name`).
      legalComments: "none",
      charset: "utf8",
      absWorkingDir: ROOT,
      outdir: outDir,
      write: false,
      nodePaths: [npmLinks],
      preserveSymlinks: true, // Paths under .npm-links/, the same on every machine.
      banner: { js: BANNER },
      plugins: [
        commanderHostPlugin(), // First: it claims commander's node: imports.
        moduleSwapsPlugin("cli", ROOT, CLI_MODULES, "keep"),
        libsodiumForCli(wasm),
      ],
      logLevel: "warning",
    });
    await Deno.mkdir(outDir, { recursive: true });
    await removeJsFiles(outDir); // Chunks named after an older build's hashes.
    for (const file of result.outputFiles ?? []) {
      await Deno.writeTextFile(file.path, computedChunkImports(file.text));
    }
    if (wasm.bytes === undefined) throw new Error("libsodium was not bundled");
    const wasmPath = join(outDir, LIBSODIUM_WASM_FILE);
    await Deno.writeFile(wasmPath, wasm.bytes);
    return [...(result.outputFiles ?? []).map((file) => file.path), wasmPath].sort();
  } finally {
    await esbuild.stop();
  }
}

if (import.meta.main) {
  const outDir = Deno.args[0] ?? join(ROOT, "dist/cli");
  const files = await buildCli(outDir);
  let bytes = 0;
  for (const file of files) bytes += (await Deno.stat(file)).size;
  console.log(`${outDir}: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
}
