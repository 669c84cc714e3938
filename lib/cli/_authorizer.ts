/**
 * Authorizer commands: `arca authorizer add|remove|share|revoke|list`.
 *
 * @module
 */
import type { Command } from "commander";
import type { Client } from "../sdk/client.ts";
import { commandContext, idArg, loadClient } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderTable } from "./_output.ts";

/**
 * Adds `authorizer` and its subcommands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { authorizerCommands } from "./_authorizer.ts";
 * const program = new Command("arca");
 * authorizerCommands(program, processIo());
 * assert.equal(program.commands[0]?.name(), "authorizer");
 * ```
 */
export function authorizerCommands(program: Command, io: CliIo): void {
  const group = program
    .command("authorizer")
    .description("let other clients share your records, or share as an authorizer");

  group
    .command("add")
    .description("let <authorizer> share your records of <type>")
    .argument("<authorizer>", "authorizer's client id", idArg)
    .argument("<type>", "record type")
    .action(async (authorizer: string, type: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      await (await loadClient(context)).addAuthorizer(authorizer, type);
      printResult(
        io,
        context.options.json,
        { authorizerId: authorizer, recordType: type, added: true },
        () => `${authorizer} may now share your "${type}" records`,
      );
    });

  group
    .command("remove")
    .description("remove <authorizer> for <type>, or for every type")
    .argument("<authorizer>", "authorizer's client id", idArg)
    .argument("[type]", "record type (default: all)")
    .action(
      async (authorizer: string, type: string | undefined, _flags: unknown, command: Command) => {
        const context = commandContext(io, command);
        await (await loadClient(context)).removeAuthorizer(authorizer, type);
        printResult(
          io,
          context.options.json,
          { authorizerId: authorizer, recordType: type ?? null, removed: true },
          () => `Removed authorizer ${authorizer}${type === undefined ? "" : ` for "${type}"`}`,
        );
      },
    );

  onBehalfCommand(group, io, {
    name: "share",
    description: "as an authorizer, share <writer>'s <type> with <reader>",
    run: (client, writer, type, reader) => client.shareOnBehalfOf(writer, type, reader),
    outcome: "shared",
    message: (writer, type, reader) => `Shared ${writer}'s "${type}" with ${reader}`,
  });
  onBehalfCommand(group, io, {
    name: "revoke",
    description: "as an authorizer, stop sharing <writer>'s <type> with <reader>",
    run: (client, writer, type, reader) => client.revokeOnBehalfOf(writer, type, reader),
    outcome: "revoked",
    message: (writer, type, reader) => `Revoked ${writer}'s "${type}" from ${reader}`,
  });

  group
    .command("list")
    .description("list the authorizers you granted and the writers that granted you")
    .action(async (_flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      const client = await loadClient(context);
      const proxies = await client.proxies();
      const granted = await client.authorizersGranted();
      printResult(io, context.options.json, { proxies, granted }, () =>
        [
          "Authorizers you granted:",
          renderTable(
            ["authorizer id", "record type"],
            proxies.map((grant) => [grant.authorizerId, grant.recordType]),
          ),
          "Writers that made you an authorizer:",
          renderTable(
            ["writer id", "record type"],
            granted.map((grant) => [grant.writerId, grant.recordType]),
          ),
        ].join("\n"));
    });
}

/** One of the two commands an authorizer runs for a writer: `share` or `revoke`. */
interface OnBehalfCommand {
  name: string;
  description: string;
  run(client: Client, writer: string, type: string, reader: string): Promise<void>;
  /** The JSON result's flag: `shared` or `revoked`. */
  outcome: string;
  message(writer: string, type: string, reader: string): string;
}

function onBehalfCommand(group: Command, io: CliIo, spec: OnBehalfCommand): void {
  group
    .command(spec.name)
    .description(spec.description)
    .argument("<writer>", "writer's client id", idArg)
    .argument("<type>", "record type")
    .argument("<reader>", "reader's client id", idArg)
    .action(
      async (writer: string, type: string, reader: string, _flags: unknown, command: Command) => {
        const context = commandContext(io, command);
        await spec.run(await loadClient(context), writer, type, reader);
        printResult(
          io,
          context.options.json,
          { writerId: writer, recordType: type, readerId: reader, [spec.outcome]: true },
          () => spec.message(writer, type, reader),
        );
      },
    );
}
