/**
 * Where `arca read <id>` spends its start-up, run by `bench/cli_start_bench.ts` as its own
 * process: the steps the CLI takes, in its order, each timed at its import boundary
 * (`performance.now()`), printed as one JSON line `[[step, ms], …]`. With `--floor` it prints
 * nothing and exits at once: what `deno run` costs before any module of Arca runs. `HOME` holds
 * the profile of a Sodium client; the argument is the id of a record it can read.
 *
 * @module
 */
const started = performance.now();
if (Deno.args[0] === "--floor") Deno.exit(0);

/**
 * A computed specifier, as `lib/cli/_lazy.ts` uses: with literal `import("…")`s Deno would load
 * every module graph below before the first line runs, and the first step would hold them all.
 */
function load<T>(specifier: string): Promise<T> {
  return import(specifier);
}

const steps: [string, number][] = [[
  "Deno: from its JavaScript runtime's start to the first line",
  started,
]];
const step = (name: string) => steps.push([name, performance.now()]);

await load("commander");
step("commander (its node: imports start Deno's Node layer)");
const { buildProgram } = await load<typeof import("../lib/cli/main.ts")>("../lib/cli/main.ts");
step("the CLI's modules");
const { processIo } = await load<typeof import("../lib/cli/io.ts")>("../lib/cli/io.ts");
const program = await buildProgram({ ...processIo(), out: () => {} });
step("the command tree (commander)");
program.outputHelp();
step("the help text (--help only)");
const { Config } = await load<typeof import("../lib/sdk/config.ts")>("../lib/sdk/config.ts");
const config = await Config.load();
step("the credential file");
const { Client } = await load<typeof import("../lib/sdk/client.ts")>("../lib/sdk/client.ts");
step("the rest of the SDK's modules");
await load("libsodium-wrappers-sumo");
step("libsodium: its JavaScript (WebAssembly inside)");
const { getSuite } = await load<typeof import("../lib/crypto/suites.ts")>(
  "../lib/crypto/suites.ts",
);
await getSuite(config.cryptoSuite);
step("libsodium: WebAssembly compiled, ready");
await new Client(config).read(Deno.args[0]!);
step("HTTP (token, record, access key) and decryption");

let previous = 0;
console.log(JSON.stringify(steps.map(([name, at]) => {
  const ms = at - previous;
  previous = at;
  return [name, Number(ms.toFixed(1))];
})));
