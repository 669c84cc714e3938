/**
 * `arca client info <id>` (another client's public keys, as the server holds them) and
 * `arca keys generate [--suite]` (fresh key pairs as wire text, for registering elsewhere).
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, idArg, loadClient, suiteFor } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { clientModule } from "./_lazy.ts";

/**
 * Adds `client info` and `keys generate` to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { clientKeyCommands } from "./_client_keys.ts";
 * const program = new Command("arca");
 * clientKeyCommands(program, processIo());
 * assert.deepEqual(program.commands.map((c) => c.name()), ["client", "keys"]);
 * ```
 */
export function clientKeyCommands(program: Command, io: CliIo): void {
  program
    .command("client")
    .description("look up other clients")
    .command("info")
    .description("a client's public keys and whether it is validated")
    .argument("<client-id>", "the client's id", idArg)
    .action(async (clientId: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      const info = await (await loadClient(context)).clientInfo(clientId);
      printResult(io, context.options.json, info, () =>
        renderPairs([
          ["client id", info.clientId],
          [`public key (${info.publicKeyType})`, info.publicKey],
          [
            `signing key (${info.signingKeyType ?? "none"})`,
            info.signingKey ?? "(none)",
          ],
          ["validated", info.validated ? "yes" : "no"],
        ]));
    });
  program
    .command("keys")
    .description("key pairs")
    .command("generate")
    .description("print a fresh encryption key pair and signing key pair (wire text)")
    .option("--suite <suite>", "cipher suite: Sodium or NIST (default: ARCA_CRYPTO_SUITE)")
    .action(async (flags: { suite?: string }, command: Command) => {
      const context = commandContext(io, command);
      const suite = await suiteFor(io, flags.suite);
      const { Client } = await clientModule();
      const encryption = await Client.generateKeypair(suite);
      const signing = await Client.generateSigningKeypair(suite);
      const result = {
        suite,
        publicKey: encryption.publicKey,
        privateKey: encryption.privateKey,
        publicSigningKey: signing.publicKey,
        privateSigningKey: signing.privateKey,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["suite", suite],
          ["public key", result.publicKey],
          ["private key", result.privateKey],
          ["public signing key", result.publicSigningKey],
          ["private signing key", result.privateSigningKey],
        ]));
    });
}
