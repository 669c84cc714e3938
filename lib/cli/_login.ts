/**
 * `arca login <username> --realm <realm>`: identity login with a password, saving the identity's
 * storage client as a profile (`~/.tozny/<profile>/e3db.json`, or the default file).
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, newProfilePath, profileLocation, suiteFor } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { readPassword } from "./_secret_input.ts";
import { identityModule, registrationModule } from "./_lazy.ts";

interface LoginFlags {
  realm: string;
  app?: string;
  apiUrl?: string;
  suite?: string;
  passwordStdin?: boolean;
  overwrite?: boolean;
  yes?: boolean;
}

/**
 * Adds `login` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { loginCommand } from "./_login.ts";
 * const program = new Command("arca");
 * loginCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "login");
 * ```
 */
export function loginCommand(program: Command, io: CliIo): void {
  program
    .command("login")
    .description("log in with a username and password and save the identity's client as a profile")
    .argument("<username>", "the identity's username")
    .requiredOption("--realm <realm>", "the realm")
    .option("--app <name>", "application name (default: account)")
    .option("--api-url <url>", "server URL (default: ARCA_API_URL or http://127.0.0.1:8000)")
    .option("--suite <suite>", "suite of the identity's keys: Sodium (default) or NIST")
    .option("--password-stdin", "read the password from standard input")
    .option("--overwrite", "replace an existing credential file (asks first)")
    .option("--yes", "with --overwrite: replace without asking")
    .action(async (username: string, flags: LoginFlags, command: Command) => {
      const context = commandContext(io, command);
      await newProfilePath(context, flags);
      const password = await readPassword(io, flags.passwordStdin === true, "Password: ");
      const { identityLogin } = await identityModule();
      const { defaultApiUrl } = await registrationModule();
      const identity = await identityLogin(username, password, flags.realm, flags.app, {
        apiUrl: flags.apiUrl ?? defaultApiUrl(io.env),
        suite: await suiteFor(io, flags.suite),
      });
      const written = await identity.client.config.write(context.options.profile, {
        ...profileLocation(context),
        overwrite: flags.overwrite === true,
      });
      const result = {
        username: identity.username,
        realm: identity.realm.name,
        clientId: identity.client.clientId,
        profile: context.options.profile ?? "",
        path: written,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["logged in", `${result.username} @ ${result.realm}`],
          ["client id", result.clientId],
          ["saved to", result.path],
        ]));
    });
}
