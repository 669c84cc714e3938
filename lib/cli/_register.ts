/**
 * `arca register <token> <name>`: makes keys, registers a client, and writes the profile's
 * credential file. The file is checked first, so an existing profile is never left behind by
 * a registration that cannot be saved.
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, newProfilePath, profileLocation, suiteFor } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { clientModule, registrationModule } from "./_lazy.ts";

interface RegisterFlags {
  apiUrl?: string;
  suite?: string;
  backup?: boolean;
  overwrite?: boolean;
  yes?: boolean;
}

/**
 * Adds `register` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { registerCommand } from "./_register.ts";
 * const program = new Command("arca");
 * registerCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "register");
 * ```
 */
export function registerCommand(program: Command, io: CliIo): void {
  program
    .command("register")
    .description("register a client with a registration token and save it as a profile")
    .argument("<token>", "registration token")
    .argument("<name>", "client name")
    .option("--api-url <url>", "server URL (default: ARCA_API_URL or http://127.0.0.1:8000)")
    .option("--suite <suite>", "cipher suite: Sodium or NIST (default: ARCA_CRYPTO_SUITE)")
    .option("--backup", "back the credentials up for the account's backup client")
    .option("--overwrite", "replace an existing credential file (asks first)")
    .option("--yes", "with --overwrite: replace without asking")
    .action(async (token: string, name: string, flags: RegisterFlags, command: Command) => {
      const context = commandContext(io, command);
      const suite = await suiteFor(io, flags.suite);
      await newProfilePath(context, flags);
      const { Client } = await clientModule();
      const { defaultApiUrl } = await registrationModule();
      const keys = await Client.generateKeypair(suite);
      const signingKeys = await Client.generateSigningKeypair(suite);
      const registration = await Client.register(token, name, keys, {
        apiUrl: flags.apiUrl ?? defaultApiUrl(io.env),
        signingKeys,
        suite,
        backup: flags.backup === true,
      });
      const written = await registration.config.write(context.options.profile, {
        ...profileLocation(context),
        overwrite: flags.overwrite === true,
      });
      const result = {
        clientId: registration.clientId,
        name: registration.name,
        apiUrl: registration.apiUrl,
        suite: registration.suite,
        backedUp: registration.backedUp,
        profile: context.options.profile ?? "",
        path: written,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["client id", result.clientId],
          ["name", result.name],
          ["api url", result.apiUrl],
          ["suite", result.suite],
          ["backed up", result.backedUp ? "yes" : "no"],
          ["saved to", result.path],
        ]));
    });
}
