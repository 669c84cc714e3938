/**
 * `arca profile show`: the profile's public settings. Secrets (API secret, private keys) are
 * never printed.
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, loadConfig, profilePath } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";

/**
 * Adds `profile show` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { profileCommands } from "./_profile.ts";
 * const program = new Command("arca");
 * profileCommands(program, processIo());
 * assert.equal(program.commands[0]?.name(), "profile");
 * ```
 */
export function profileCommands(program: Command, io: CliIo): void {
  const profile = program.command("profile").description("inspect credential profiles");
  profile
    .command("show")
    .description("show the profile's client id, keys and server (never its secrets)")
    .action(async (_flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      const config = await loadConfig(context);
      const result = {
        profile: context.options.profile ?? "",
        path: await profilePath(context),
        clientId: config.clientId,
        apiKeyId: config.apiKeyId,
        clientEmail: config.clientEmail,
        apiUrl: config.apiUrl,
        version: config.version,
        suite: config.cryptoSuite,
        publicKey: config.publicKey,
        publicSigningKey: config.publicSigningKey ?? null,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["profile", result.profile === "" ? "(default)" : result.profile],
          ["path", result.path],
          ["client id", result.clientId],
          ["api key id", result.apiKeyId],
          ["api url", result.apiUrl],
          ["version", String(result.version)],
          ["suite", result.suite],
          ["public key", result.publicKey],
          ["public signing key", result.publicSigningKey ?? "(none)"],
        ]));
    });
}
