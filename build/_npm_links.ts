/**
 * A temporary `node_modules`-like folder for esbuild: one link per npm package of deno.lock to
 * its folder in Deno's npm cache, so esbuild resolves `zod`, `libsodium-wrappers-sumo` and their
 * dependencies the Node way (package.json `exports` included) at the versions Deno uses.
 *
 * @module
 */
import { join } from "node:path";

/** The folder of links and how to remove it. */
export interface NpmLinks {
  /** Give it to esbuild's `nodePaths`. */
  dir: string;
  /** Removes the folder (the links only; the cache stays). */
  remove(): Promise<void>;
}

interface DenoLock {
  specifiers?: Record<string, string>;
  npm?: Record<string, unknown>;
}

/** `@scope/name@1.2.3_peer@4` → name and version. */
function parseLockKey(key: string): { name: string; version: string } {
  const at = key.indexOf("@", 1);
  return { name: key.slice(0, at), version: key.slice(at + 1).split("_")[0] ?? "" };
}

/** The version of each package: the one a direct specifier resolves to wins over the others. */
function packageVersions(lock: DenoLock): Map<string, string> {
  const versions = new Map<string, string>();
  for (const key of Object.keys(lock.npm ?? {})) {
    const { name, version } = parseLockKey(key);
    if (!versions.has(name)) versions.set(name, version);
  }
  for (const [specifier, version] of Object.entries(lock.specifiers ?? {})) {
    if (!specifier.startsWith("npm:")) continue;
    versions.set(parseLockKey(specifier.slice(4)).name, version.split("_")[0] ?? version);
  }
  return versions;
}

async function denoOutput(args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), { args, stdout: "piped" }).output();
  if (!output.success) throw new Error(`deno ${args.join(" ")} failed`);
  return new TextDecoder().decode(output.stdout);
}

/**
 * Caches the npm packages of `root`'s deno.json (`deno install`) and links each into a new
 * temporary folder.
 *
 * @example
 * ```ts ignore
 * // Runs `deno install` and writes a temporary folder.
 * const links = await linkNpmPackages("/path/to/arca");
 * await links.remove();
 * ```
 */
export async function linkNpmPackages(root: string): Promise<NpmLinks> {
  await denoOutput(["install", "--quiet", `--config=${join(root, "deno.json")}`]);
  const info = JSON.parse(await denoOutput(["info", "--json"])) as { npmCache: string };
  const lock = JSON.parse(await Deno.readTextFile(join(root, "deno.lock"))) as DenoLock;
  const dir = await Deno.makeTempDir({ prefix: "arca-npm-links-" });
  for (const [name, version] of packageVersions(lock)) {
    const target = join(info.npmCache, "registry.npmjs.org", name, version);
    try {
      await Deno.stat(target);
    } catch {
      continue; // Not installed on this platform (an optional dependency).
    }
    if (name.includes("/")) {
      await Deno.mkdir(join(dir, name.split("/")[0] ?? name), { recursive: true });
    }
    await Deno.symlink(target, join(dir, name));
  }
  return { dir, remove: () => Deno.remove(dir, { recursive: true }) };
}
