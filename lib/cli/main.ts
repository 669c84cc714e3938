/**
 * The `arca` command: builds the command tree (one file per command group) and runs it. Exit
 * codes: 0 success, 1 failure, 2 usage error. Failures print one line on standard error — never
 * a stack trace, never a secret.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { adminCommands } from "./_admin.ts";
import { authorizerCommands } from "./_authorizer.ts";
import { cacheCommands } from "./_cache.ts";
import { clientKeyCommands } from "./_client_keys.ts";
import { containerCommands } from "./_containers.ts";
import { errorLine, EXIT_OK, EXIT_USAGE, exitCodeFor } from "./_errors.ts";
import { eventsCommand } from "./_events.ts";
import { fileCommands } from "./_files.ts";
import { identityAdminCommands } from "./_identity_admin.ts";
import { type CliIo, processIo } from "./io.ts";
import { loginCommand } from "./_login.ts";
import { noteCommands } from "./_notes.ts";
import { loadTables } from "./_output.ts";
import { profileCommands } from "./_profile.ts";
import { queryCommand } from "./_query.ts";
import { searchCommand } from "./_search.ts";
import { recordCommands } from "./_records.ts";
import { registerCommand } from "./_register.ts";
import { serveCommand } from "./_serve.ts";
import { sharingCommands } from "./_sharing.ts";
import { userCommands } from "./_user.ts";

/**
 * Builds the `arca` program, writing through `io`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildProgram } from "./main.ts";
 * import { processIo } from "./io.ts";
 * const program = buildProgram(processIo());
 * assert.equal(program.name(), "arca");
 * ```
 */
export function buildProgram(io: CliIo): Command {
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
    .showSuggestionAfterError(true)
    .hook("preAction", loadTables);
  registerCommand(program, io);
  profileCommands(program, io);
  clientKeyCommands(program, io);
  recordCommands(program, io);
  fileCommands(program, io);
  queryCommand(program, io);
  searchCommand(program, io);
  sharingCommands(program, io);
  authorizerCommands(program, io);
  serveCommand(program, io);
  adminCommands(program, io);
  identityAdminCommands(program, io);
  noteCommands(program, io);
  loginCommand(program, io);
  userCommands(program, io);
  containerCommands(program, io);
  cacheCommands(program, io);
  eventsCommand(program, io);
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
  const program = buildProgram(io);
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
