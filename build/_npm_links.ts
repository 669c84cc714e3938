/**
 * A `node_modules`-like folder for esbuild, `.npm-links/` in the repository (gitignored): one link
 * per npm package of deno.lock to its folder in Deno's npm cache, so esbuild resolves `commander`,
 * `libsodium-wrappers-sumo` and their dependencies the Node way (package.json `exports` included)
 * at the versions Deno uses.
 *
 * The folder has a fixed place so that a build gives the same bytes wherever the repository and
 * Deno's cache are: builds keep the links' paths (esbuild's `preserveSymlinks`), and esbuild's
 * chunk names hash the paths of the files they contain, relative to the repository. The folder
 * stays between builds, and links are made or replaced one at a time, so two builds may run at
 * once.
 *
 * @module
 */
import { join } from "node:path";

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

/** Makes `path` a link to `target`, unless it already is one. */
async function ensureLink(target: string, path: string): Promise<void> {
  const current = await Deno.readLink(path).catch(() => undefined);
  if (current === target) return;
  if (current !== undefined) await Deno.remove(path);
  try {
    await Deno.symlink(target, path);
  } catch (error) {
    // Another build made it meanwhile.
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

/**
 * Caches the npm packages of `root`'s deno.json (`deno install`) and links each into
 * `root/.npm-links/`; the folder to give to esbuild's `nodePaths`.
 *
 * @example
 * ```ts ignore
 * // Runs `deno install` and writes links into /path/to/arca/.npm-links.
 * const dir = await linkNpmPackages("/path/to/arca");
 * ```
 */
export async function linkNpmPackages(root: string): Promise<string> {
  await denoOutput(["install", "--quiet", `--config=${join(root, "deno.json")}`]);
  const info = JSON.parse(await denoOutput(["info", "--json"])) as { npmCache: string };
  const lock = JSON.parse(await Deno.readTextFile(join(root, "deno.lock"))) as DenoLock;
  const dir = join(root, ".npm-links");
  for (const [name, version] of packageVersions(lock)) {
    const target = join(info.npmCache, "registry.npmjs.org", name, version);
    try {
      await Deno.stat(target);
    } catch {
      continue; // Not installed on this platform (an optional dependency).
    }
    await Deno.mkdir(join(dir, name, ".."), { recursive: true });
    await ensureLink(target, join(dir, name));
  }
  return dir;
}
