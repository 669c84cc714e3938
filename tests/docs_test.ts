// The docs keep up with the code: the README's examples table lists every example, and
// docs/cli.md shows every command of the CLI.
import assert from "node:assert/strict";
import type { Command } from "commander";
import { buildProgram } from "../lib/cli/main.ts";
import { processIo } from "../lib/cli/io.ts";

const root = new URL("..", import.meta.url);

Deno.test("docs: the README's examples table lists every example", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const examples: string[] = [];
  for await (const entry of Deno.readDir(new URL("examples/", root))) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")) {
      examples.push(entry.name);
    }
  }
  assert.ok(examples.length >= 9);
  for (const name of examples) {
    assert.match(readme, new RegExp(`^\\| \`examples/${name.replace(".", "\\.")}\` +\\|`, "m"));
  }
});

function leafPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return child.commands.length === 0 ? [path] : leafPaths(child, path);
  });
}

Deno.test("docs: docs/cli.md shows every command of the CLI", async () => {
  const doc = await Deno.readTextFile(new URL("docs/cli.md", root));
  const paths = leafPaths(await buildProgram(processIo()));
  assert.ok(paths.length > 40, `${paths.length} commands`);
  const missing = paths.map((path) => `arca ${path.join(" ")}`)
    .filter((line) => !doc.includes(line));
  assert.deepEqual(missing, []);
});
