/**
 * `deno task build:browser`: bundles the SDK (`mod.ts`, with libsodium's WASM) into one minified
 * ES module, `console/dist/arca.js`, and prints its size raw and gzipped. When the web console's
 * entry `console/app/main.ts` exists it becomes `console/dist/console.js`, with every import of
 * the repository's `mod.ts` left as the external `./arca.js`, so the page loads the SDK once.
 *
 * npm packages come from Deno's own npm cache (the versions in deno.lock): a folder of links,
 * `.npm-links/` (build/_npm_links.ts), lets esbuild resolve them the Node way. Deno-only modules
 * are swapped for their browser counterparts by the table in `build/_browser_modules.ts`.
 *
 * The output is deterministic: the same sources give the same bytes (tests/browser_bundle_test.ts
 * rebuilds into a temporary folder and compares with the committed file).
 *
 * Usage: `deno run -A build/browser.ts [outDir]` (default `console/dist`).
 *
 * @module
 */
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { browserModulesPlugin } from "./_browser_modules.ts";
import { linkNpmPackages } from "./_npm_links.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SDK_ENTRY = join(ROOT, "mod.ts");
const CONSOLE_ENTRY = join(ROOT, "console/app/main.ts");

const HEADER = `/*! Arca SDK for browsers: an ES module bundle of mod.ts (Apache-2.0, see LICENSE).
 * Built by \`deno task build:browser\` (build/browser.ts) with esbuild; includes libsodium.js
 * (ISC) with its WebAssembly, and @noble/curves and @noble/hashes (MIT). */`;

/** One built file: its path and size in bytes, raw and gzipped. */
export interface BuiltFile {
  /** Where it was written. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Size in bytes after gzip (level 9). */
  gzipBytes: number;
}

/** esbuild settings shared by both bundles. */
function commonOptions(nodePaths: string[]): esbuild.BuildOptions {
  return {
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    keepNames: true, // Error classes name themselves after their class (ArcaError's `name`).
    write: false,
    legalComments: "none",
    charset: "utf8",
    nodePaths,
    preserveSymlinks: true, // Paths under .npm-links/, the same on every machine.
    logLevel: "warning",
  };
}

/** Rewrites every import of the repository's `mod.ts` to the external `./arca.js`. */
function sdkAsExternal(): esbuild.Plugin {
  return {
    name: "arca-sdk-external",
    setup(build) {
      build.onResolve({ filter: /mod\.ts$/ }, (args) => {
        const resolved = resolve(args.resolveDir, args.path);
        return resolved === SDK_ENTRY ? { path: "./arca.js", external: true } : undefined;
      });
    },
  };
}

async function bundle(
  entry: string,
  outFile: string,
  options: esbuild.BuildOptions,
): Promise<BuiltFile> {
  const result = await esbuild.build({ ...options, entryPoints: [entry], outfile: outFile });
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  await Deno.writeFile(outFile, output.contents);
  return {
    path: outFile,
    bytes: output.contents.length,
    gzipBytes: gzipSync(output.contents, { level: 9 }).length,
  };
}

/**
 * Builds `arca.js` (and `console.js` when the console's entry exists, unless `console` is
 * false) into `outDir`.
 *
 * @example
 * ```ts ignore
 * // Spawns esbuild and reads Deno's npm cache.
 * const files = await buildBrowser("console/dist");
 * ```
 */
export async function buildBrowser(
  outDir: string,
  options: { console?: boolean } = {},
): Promise<BuiltFile[]> {
  await Deno.mkdir(outDir, { recursive: true });
  const npmLinks = await linkNpmPackages(ROOT);
  try {
    const common = commonOptions([npmLinks]);
    const built = [
      await bundle(SDK_ENTRY, join(outDir, "arca.js"), {
        ...common,
        banner: { js: HEADER },
        plugins: [browserModulesPlugin(ROOT)],
      }),
    ];
    const hasConsole = await Deno.stat(CONSOLE_ENTRY).then(() => true, () => false);
    if (options.console !== false && hasConsole) {
      built.push(
        await bundle(CONSOLE_ENTRY, join(outDir, "console.js"), {
          ...common,
          plugins: [sdkAsExternal(), browserModulesPlugin(ROOT)],
        }),
      );
    }
    return built;
  } finally {
    await esbuild.stop();
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (import.meta.main) {
  const outDir = Deno.args[0] ?? join(ROOT, "console/dist");
  for (const file of await buildBrowser(outDir)) {
    console.log(`${file.path}: ${kib(file.bytes)} (${kib(file.gzipBytes)} gzipped)`);
  }
}
