/**
 * The CLI's on-demand modules (`lib/cli/_lazy.ts`): every one exists, `deno task compile` holds
 * the server (the one module the bundle imports from the repository), every loader loads its
 * module, and no command file imports the SDK or the server through a literal `import("…")`
 * (Deno would load that graph at start-up, see `_lazy.ts`).
 */
import assert from "node:assert/strict";
import { Command } from "commander";
import * as lazy from "../lib/cli/_lazy.ts";
import { COMMAND_GROUPS, groupsFor } from "../lib/cli/_command_groups.ts";
import { buildProgram } from "../lib/cli/main.ts";
import { processIo } from "../lib/cli/io.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("CLI lazy modules: each exists, and deno task compile holds the server", async () => {
  for (const path of lazy.LAZY_MODULES) {
    assert.ok((await Deno.stat(new URL(path, ROOT))).isFile, `${path} does not exist`);
  }
  // The compiled binary is the bundle (dist/cli/arca.js), which loads its chunks by computed
  // specifiers (build/cli.ts), so the task includes dist/cli/; the server is imported from the
  // repository, so the task names it.
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const task = String(config.tasks.compile);
  assert.match(task, / dist\/cli\/arca\.js$/);
  const included = [...task.matchAll(/--include (\S+)/g)].map((m) => m[1]);
  assert.ok(included.includes("server.ts"), "deno task compile does not --include server.ts");
  assert.ok(included.includes("dist/cli/"), "deno task compile does not --include dist/cli/");
});

Deno.test("CLI lazy modules: each loader loads its module", async () => {
  const loaded = await Promise.all([
    lazy.adminClientModule().then((m) => m.AdminClient),
    lazy.clientModule().then((m) => m.Client),
    lazy.configModule().then((m) => m.Config),
    lazy.identityAdminModule().then((m) => m.createRealm),
    lazy.identityModule().then((m) => m.identityLogin),
    lazy.keyTextModule().then((m) => m.suiteOfKeyText),
    lazy.notesModule().then((m) => m.readAnonymousNote),
    lazy.registrationModule().then((m) => m.defaultApiUrl),
    lazy.searchModule().then((m) => m.Search),
    lazy.suitesModule().then((m) => m.getSuite),
    lazy.usersAppModule().then((m) => m.Arca),
    lazy.serverModule().then((m) => m.startServer),
  ]);
  assert.equal(loaded.length, lazy.LAZY_MODULES.length);
  for (const value of loaded) assert.equal(typeof value, "function");
});

Deno.test("CLI command files import the SDK and the server only through _lazy.ts", async () => {
  for await (const entry of Deno.readDir(new URL("lib/cli/", ROOT))) {
    const source = await Deno.readTextFile(new URL(`lib/cli/${entry.name}`, ROOT));
    const literal = [...source.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)]
      .map((match) => match[1]!)
      .filter((specifier) => /^\.\.\/|\/server\.ts$/.test(specifier));
    assert.deepEqual(literal, [], `lib/cli/${entry.name} imports ${literal.join(", ")} literally`);
  }
});

Deno.test("CLI command groups: each adds the commands it names, in the order of arca --help", async () => {
  const names: string[] = [];
  for (const group of COMMAND_GROUPS) {
    const program = new Command("arca");
    (await group.load())(program, processIo());
    assert.deepEqual(program.commands.map((command) => command.name()), group.names);
    names.push(...group.names);
  }
  const full = await buildProgram(processIo());
  assert.deepEqual(full.commands.map((command) => command.name()), names);
});

Deno.test("CLI command groups: arca <name> builds only the group of <name>", async () => {
  const cases: [string[], string[]][] = [
    [["read", "x"], ["write", "read", "update", "delete"]],
    [["--profile", "read", "--json", "container", "get", "x"], ["container", "access"]],
    [["--config=e3db.json", "admin", "realm", "create", "x"], ["admin"]],
  ];
  for (const [args, names] of cases) {
    const program = await buildProgram(processIo(), args);
    assert.deepEqual(program.commands.map((command) => command.name()), names, args.join(" "));
  }
  for (const args of [[], ["--help"], ["help", "read"], ["reed"], ["--profile"], ["--", "read"]]) {
    assert.equal(groupsFor(args), COMMAND_GROUPS, `arca ${args.join(" ")} builds every group`);
  }
});
