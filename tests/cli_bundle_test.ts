/**
 * The bundled CLI (`dist/cli/`, `deno task build:cli`): it is exactly what a fresh build makes
 * from the sources now, it prints the same help and usage errors as `cli.ts` for every command
 * (commander runs there on `build/_commander_host.ts`), it registers, writes, reads, uploads a
 * file and serves against a real server, and `--help` and `read` never start Deno's Node layer
 * (build/_cli_modules.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Command } from "commander";
import { buildCli } from "../build/cli.ts";
import { buildProgram } from "../lib/cli/main.ts";
import { processIo } from "../lib/cli/io.ts";
import { startServer } from "../server.ts";
import { InProcessCli, type RunCli, runCliProcess, withHome } from "./_cli_helpers.ts";

const DIST = new URL("../dist/cli/", import.meta.url);
const PROBE = new URL("./_node_layer_probe.ts", import.meta.url).pathname;
const BUNDLED_CLI = new URL("arca.js", DIST).pathname;

async function filesOf(dir: string | URL): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) files.set(entry.name, await Deno.readFile(new URL(entry.name, dir)));
  }
  return files;
}

Deno.test("CLI bundle: dist/cli is up to date", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-cli-build-" });
  try {
    await buildCli(dir);
    const fresh = await filesOf(new URL(`file://${dir}/`));
    const committed = await filesOf(DIST);
    const stale = "run deno task build:cli and commit dist/cli";
    assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), stale);
    for (const [name, bytes] of fresh) {
      const kept = committed.get(name)!;
      assert.ok(
        kept.length === bytes.length && kept.every((byte, i) => byte === bytes[i]),
        `dist/cli/${name} differs from a fresh build: ${stale}`,
      );
    }
    assert.ok(fresh.has("arca.js"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI bundle: chunks load each other by computed specifiers; libsodium's WebAssembly is a file", async () => {
  // A literal import("./chunk.js") makes Deno load that chunk's whole graph at start-up.
  for (const [name, bytes] of await filesOf(DIST)) {
    const literal = new TextDecoder().decode(bytes).match(/\bimport\("\.\/[^"]+"\)/g) ?? [];
    assert.deepEqual(literal, [], `dist/cli/${name} imports a chunk literally`);
  }
  const wasm = await Deno.readFile(new URL("libsodium-sumo.wasm", DIST));
  assert.equal(new TextDecoder().decode(wasm.subarray(0, 4)), "\0asm");
  for (const [name, bytes] of await filesOf(DIST)) {
    const base64 = new TextDecoder().decode(bytes).match(/[A-Za-z0-9+/]{10000,}/);
    assert.equal(base64, null, `dist/cli/${name} still holds WebAssembly as base64`);
  }
  const arca = await Deno.readTextFile(BUNDLED_CLI);
  assert.match(arca, /import\(new URL\("\.\/_records-[A-Z0-9]+\.js",import\.meta\.url\)\.href\)/);
});

Deno.test("CLI bundle: only the progress bar and the users' cache import node: modules", async () => {
  const importers: string[] = [];
  for (const [name, bytes] of await filesOf(DIST)) {
    if (/from\s*"node:|import\s*"node:/.test(new TextDecoder().decode(bytes))) importers.push(name);
  }
  assert.deepEqual(
    importers.map((name) => name.replace(/-[A-Z0-9]+\.js$/, "")).sort(),
    ["_progress_bar", "app"],
  );
});

/** Every command's path, `["container", "create"]` and so on, the root's `[]` first. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [
    prefix,
    ...command.commands.flatMap((child) => commandPaths(child, [...prefix, child.name()])),
  ];
}

Deno.test("CLI bundle: the same help and usage errors as cli.ts, command by command", async () => {
  const env = { HOME: "/nonexistent-arca-home" };
  const bundled = new InProcessCli(env, ((await import(BUNDLED_CLI)) as { runCli: RunCli }).runCli);
  const sources = new InProcessCli(env);
  const paths = commandPaths(await buildProgram({ ...processIo(), out: () => {} }));
  assert.ok(paths.length > 50, `only ${paths.length} commands`);
  for (const path of paths) {
    for (const args of [[...path, "--help"], [...path, "--no-such-option"]]) {
      assert.deepEqual(
        await bundled.run(...args),
        await sources.run(...args),
        `arca ${args.join(" ")}`,
      );
    }
  }
  const { code, stderr } = await bundled.run("reed");
  assert.equal(code, 2);
  assert.match(stderr, /unknown command 'reed'.*\n.*Did you mean read\?/s);
});

Deno.test("CLI bundle: register, write, read and a file against a real server", async () => {
  const token = "cli-bundle-token";
  const root = await Deno.makeTempDir({ prefix: "arca-cli-bundle-" });
  const server = await startServer({
    dataDir: join(root, "data"),
    port: 0,
    hostname: "127.0.0.1",
    registrationToken: token,
    print: () => {},
  });
  try {
    await withHome(async (home) => {
      const env = { HOME: home, ARCA_API_URL: server.url };
      const arca = (...args: string[]) => runCliProcess(args, env, undefined, BUNDLED_CLI);
      assert.equal((await arca("register", token, "bundled")).code, 0);
      const written = await arca("write", "contact", "--data", '{"name":"Jon"}', "--json");
      assert.equal(written.code, 0, written.stderr);
      const id = JSON.parse(written.stdout).meta.recordId as string;
      const read = await arca("read", id, "--json");
      assert.equal(read.code, 0, read.stderr);
      assert.deepEqual(JSON.parse(read.stdout).data, { name: "Jon" });

      const path = join(home, "report.bin");
      const bytes = crypto.getRandomValues(new Uint8Array(60_000));
      await Deno.writeFile(path, bytes);
      const put = await arca("file", "put", "reports", path, "--json");
      assert.equal(put.code, 0, put.stderr);
      const fileId = JSON.parse(put.stdout).meta.recordId as string;
      const copy = join(home, "copy.bin");
      assert.equal((await arca("file", "get", fileId, copy)).code, 0);
      assert.deepEqual(await Deno.readFile(copy), bytes);

      for (const args of [["--help"], ["read", id]]) {
        const probed = await runCliProcess(args, env, undefined, PROBE);
        assert.equal(probed.code, 0, probed.stderr);
        assert.match(probed.stderr, /node-layer: untouched\n$/, `arca ${args[0]}`);
      }
      const missing = await arca("read", crypto.randomUUID());
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /not found/i);

      // libsodium's WebAssembly is a file beside the chunks; without it a command names it.
      const withoutWasm = join(root, "dist-without-wasm");
      await Deno.mkdir(withoutWasm);
      for await (const entry of Deno.readDir(DIST)) {
        if (entry.name !== "libsodium-sumo.wasm") {
          await Deno.copyFile(new URL(entry.name, DIST), join(withoutWasm, entry.name));
        }
      }
      const broken = await runCliProcess(
        ["read", id],
        env,
        undefined,
        join(withoutWasm, "arca.js"),
      );
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /^arca: .*libsodium-sumo\.wasm/);
    });
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("CLI bundle: arca serve runs the repository's server", async () => {
  const root = await Deno.makeTempDir({ prefix: "arca-cli-bundle-serve-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", BUNDLED_CLI, "serve", "--json"],
    env: {
      ARCA_DATA_DIR: join(root, "data"),
      ARCA_PORT: "0",
      ARCA_HOST: "127.0.0.1",
      ARCA_REGISTRATION_TOKEN: "cli-bundle-serve",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      line += value;
    }
    const { url } = JSON.parse(line) as { url: string };
    const response = await fetch(new URL("/healthz", url));
    assert.equal(response.status, 200, await response.text());
    reader.releaseLock();
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel();
    assert.equal(status.code, 0);
    await Deno.remove(root, { recursive: true });
  }
});
