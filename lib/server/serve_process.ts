/**
 * The server as a process (`deno task serve`, `deno run server.ts`, and `deno serve server.ts`,
 * which runs the same code): settings from the environment, one clear line and exit code 1 when
 * the start fails, the request log at `info` unless `ARCA_LOG_LEVEL` says otherwise, and a
 * graceful shutdown on SIGTERM and SIGINT (`_shutdown.ts`).
 *
 * @module
 */
import type { EnvReader } from "../env_reader.ts";
import { serverOptionsFromEnv } from "./_options_from_env.ts";
import { shutdownOnSignals } from "./_shutdown.ts";
import { startupFailureLine } from "./_startup_failure.ts";
import { type RunningServer, startServer, type StartServerOptions } from "./start_server.ts";

/** The request log level of the server process when `ARCA_LOG_LEVEL` is not set. */
export const PROCESS_LOG_LEVEL = "info";

/**
 * Starts the server from `env` and handles its signals; on a failed start prints one line to
 * stderr and exits with code 1.
 *
 * @example
 * ```ts ignore
 * // Runs a server process until SIGTERM (server.ts's main).
 * await runServerProcess();
 * ```
 */
export async function runServerProcess(env: EnvReader = Deno.env): Promise<RunningServer> {
  let options: StartServerOptions = {};
  try {
    options = serverOptionsFromEnv(env);
    options.logLevel ??= PROCESS_LOG_LEVEL;
    // The signals are handled before the banner is printed: a caller that stops the server as
    // soon as it reads the banner gets a graceful shutdown, not Deno's default exit on SIGTERM.
    const starting = Promise.withResolvers<RunningServer>();
    shutdownOnSignals(
      { shutdown: async () => await (await starting.promise).shutdown() },
      { graceSeconds: options.shutdownSeconds },
    );
    startServer(options).then(starting.resolve, starting.reject);
    return await starting.promise;
  } catch (error) {
    console.error(startupFailureLine(error, options));
    Deno.exit(1);
  }
}
