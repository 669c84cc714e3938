/**
 * How long the `arca` CLI takes from process start to exit, as a user types it: `arca --help` and
 * `arca read <id>` (a real record on a real server, decrypted and printed), each the median of
 * `--runs N` (default 5) runs after one warm-up run that fills Deno's caches. `arca` is the
 * bundled CLI, `deno run <permissions> dist/cli/arca.js …` (what the README's alias and
 * `deno task compile` run; `deno task build:cli` makes it); the same two commands from the
 * sources (`deno run … cli.ts`) are timed too. The server runs in this process on a temporary
 * data folder.
 *
 *   deno task bench:cli [--runs N]
 *
 * Then where `read` from the sources spends its time: `deno run` of a script that exits at once
 * (the floor), and the steps of `bench/_cli_phases.ts` (the CLI's imports and work in its order,
 * each step's median over the runs).
 *
 * Last line: `summary: help_ms=… read_ms=… source_help_ms=… source_read_ms=… (median of N;
 * target <= 150)`; the first two are the bundled CLI's.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "../mod.ts";
import { startServer } from "../server.ts";

const BUNDLED_CLI = new URL("../dist/cli/arca.js", import.meta.url).pathname;
const SOURCE_CLI = new URL("../cli.ts", import.meta.url).pathname;
const PHASES = new URL("./_cli_phases.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];
const TOKEN = "cli-start-bench-token";
/** Deno's cache as this process sees it, so the CLI's temporary HOME does not empty it. */
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno");

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 5);
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

async function run(script: string, args: string[], home: string): Promise<Deno.CommandOutput> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, script, ...args],
    env: { HOME: home, DENO_DIR: DENO_DIR, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `${script} ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return output;
}

async function timedRun(args: string[], home: string, script: string): Promise<number> {
  const started = performance.now();
  await run(script, args, home);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(args: string[], home: string, script: string): Promise<number[]> {
  await timedRun(args, home, script); // warm-up: module cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timedRun(args, home, script));
  return times;
}

/** Each step of `_cli_phases.ts`, its median over `runs` runs (after a warm-up). */
async function phases(recordId: string, home: string): Promise<[string, number][]> {
  const samples: [string, number][][] = [];
  for (let i = 0; i <= runs; i++) {
    const output = await run(PHASES, [recordId], home);
    if (i > 0) samples.push(JSON.parse(new TextDecoder().decode(output.stdout)));
  }
  return samples[0]!.map(([name], step) => [name, median(samples.map((s) => s[step]![1]))]);
}

const root = await Deno.makeTempDir({ prefix: "arca-cli-bench-" });
const server = await startServer({
  dataDir: join(root, "data"),
  port: 0,
  hostname: "127.0.0.1",
  registrationToken: TOKEN,
  print: () => {},
});
try {
  const keys = await Client.generateKeypair();
  const signingKeys = await Client.generateSigningKeypair();
  const { config } = await Client.register(TOKEN, "bench", keys, {
    apiUrl: server.url,
    signingKeys,
  });
  await config.write(undefined, { home: root });
  const record = await new Client(config).write("bench", { name: "Jon Snow" });

  const help = await measure(["--help"], root, BUNDLED_CLI);
  const read = await measure(["read", record.meta.recordId], root, BUNDLED_CLI);
  const sourceHelp = await measure(["--help"], root, SOURCE_CLI);
  const sourceRead = await measure(["read", record.meta.recordId], root, SOURCE_CLI);
  const row = (name: string, times: number[]) =>
    `${name.padEnd(22)} ${median(times).toFixed(0).padStart(6)} ms   runs: ${
      times.map((t) => t.toFixed(0)).join(", ")
    }`;
  console.log(`${"command".padEnd(22)} ${"median".padStart(9)}`);
  console.log(row("arca --help", help));
  console.log(row("arca read <id>", read));
  console.log(row("cli.ts --help", sourceHelp));
  console.log(row("cli.ts read <id>", sourceRead));
  console.log(row("deno run (floor)", await measure(["--floor"], root, PHASES)));
  console.log(
    `\nwhere cli.ts read <id> spends its time (median ms of ${runs} runs of _cli_phases.ts):`,
  );
  for (const [name, ms] of await phases(record.meta.recordId, root)) {
    console.log(`${ms.toFixed(1).padStart(7)}  ${name}`);
  }
  console.log(
    `summary: help_ms=${median(help).toFixed(0)} read_ms=${median(read).toFixed(0)} ` +
      `source_help_ms=${median(sourceHelp).toFixed(0)} source_read_ms=${
        median(sourceRead).toFixed(0)
      } (median of ${runs}; target <= 150)`,
  );
} finally {
  await server.shutdown();
  await Deno.remove(root, { recursive: true });
}
