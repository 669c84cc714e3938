/**
 * `arca serve`: runs the Arca server (settings from `ARCA_*` environment variables, overridden
 * by flags) until SIGINT or SIGTERM.
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, integerArg } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { serverModule } from "./_lazy.ts";

interface ServeFlags {
  port?: number;
  host?: string;
  dataDir?: string;
}

/**
 * Adds `serve` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { serveCommand } from "./_serve.ts";
 * const program = new Command("arca");
 * serveCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "serve");
 * ```
 */
export function serveCommand(program: Command, io: CliIo): void {
  program
    .command("serve")
    .description("run the Arca server (configured by ARCA_* environment variables)")
    .option("--port <port>", "port to listen on (0 picks a free one)", integerArg(0, 65535))
    .option("--host <host>", "interface to listen on (default 127.0.0.1)")
    .option("--data-dir <dir>", "data directory (default ./arca-data)")
    .action(async (flags: ServeFlags, command: Command) => {
      const context = commandContext(io, command);
      // Loaded only here, so other commands do not pay for the server's modules.
      const { serverOptionsFromEnv, startServer } = await serverModule();
      const options = serverOptionsFromEnv(io.env);
      const server = await startServer({
        ...options,
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.host === undefined ? {} : { hostname: flags.host }),
        ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
        print: (line) => context.options.json ? io.err(`${line}\n`) : io.out(`${line}\n`),
      });
      if (context.options.json) io.out(`${JSON.stringify({ url: server.url })}\n`);
      await Promise.race([io.stopSignal(), server.finished]);
      await server.shutdown();
    });
}
