/**
 * The `arca` command: builds the command tree (one file per command group, only the named
 * command's group when there is one) and runs it. Exit codes: 0 success, 1 failure, 2 usage
 * error. Failures print one line on standard error — never a stack trace, never a secret.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { groupsFor } from "./_command_groups.ts";
import { errorLine, EXIT_OK, EXIT_USAGE, exitCodeFor } from "./_errors.ts";
import { type CliIo, processIo } from "./io.ts";

/**
 * Builds the `arca` program, writing through `io`: every command, or with `args` only the
 * group of the command they name (`_command_groups.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildProgram } from "./main.ts";
 * import { processIo } from "./io.ts";
 * const program = await buildProgram(processIo());
 * assert.equal(program.name(), "arca");
 * assert.equal(program.commands.length > 20, true);
 * const read = await buildProgram(processIo(), ["read", "some-id"]);
 * assert.deepEqual(read.commands.map((command) => command.name()), ["write", "read", "update", "delete"]);
 * ```
 */
export async function buildProgram(io: CliIo, args?: readonly string[]): Promise<Command> {
  const program = new Command("arca")
    .description("Arca: an end-to-end encrypted data store (E3DB compatible)")
    .option(
      "--profile <name>",
      "credential profile (default: ARCA_PROFILE, else ~/.tozny/e3db.json)",
    )
    .option("--config <file>", "an explicit credential file (E3DB's e3db.json format)")
    .option("--json", "print JSON instead of tables")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`arca: ${text}`),
    })
    .showSuggestionAfterError(true);
  const groups = await Promise.all(groupsFor(args).map((group) => group.load()));
  for (const register of groups) register(program, io);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/**
 * Runs `arca` with `args` (without the program name) and returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./main.ts";
 * const out: string[] = [];
 * const code = await runCli(["--help"], {
 *   out: (text) => out.push(text),
 *   err: () => {},
 *   env: { get: () => undefined },
 *   stopSignal: () => new Promise(() => {}),
 * });
 * assert.equal(code, 0);
 * assert.match(out.join(""), /^Usage: arca/);
 * ```
 */
export async function runCli(args: string[], io: CliIo = processIo()): Promise<number> {
  const program = await buildProgram(io, args);
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help text).
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.err(`${errorLine(error)}\n`);
    return exitCodeFor(error);
  }
}
