/**
 * The `arca` command line: register clients, write, read, query and share encrypted records,
 * manage authorizers, run the server and administer it. Run `arca --help` for the commands.
 *
 * ```sh
 * deno run -A cli.ts register "$TOKEN" my-laptop --api-url http://127.0.0.1:8000
 * deno run -A cli.ts write contact --data '{"name":"Jon"}' --plain '{"house":"Stark"}'
 * ```
 *
 * @example
 * ```ts ignore
 * // Reads the credential file under ~/.tozny and exits the process.
 * import { runCli } from "@arca/arca/cli";
 * Deno.exit(await runCli(["profile", "show"]));
 * ```
 *
 * @module
 */
import { runCli } from "./lib/cli/main.ts";

export { runCli } from "./lib/cli/main.ts";
export type { CliIo } from "./lib/cli/io.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
