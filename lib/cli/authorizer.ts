/**
 * Authorizer commands: `arca authorizer add|remove|share|revoke|list`.
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, idArg, loadClient } from "./context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderTable } from "./output.ts";

/**
 * Adds `authorizer` and its subcommands to the program.
 *
 * @example
 * ```ts ignore
 * authorizerCommands(program, io);
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

  group
    .command("share")
    .description("as an authorizer, share <writer>'s <type> with <reader>")
    .argument("<writer>", "writer's client id", idArg)
    .argument("<type>", "record type")
    .argument("<reader>", "reader's client id", idArg)
    .action(
      async (writer: string, type: string, reader: string, _flags: unknown, command: Command) => {
        const context = commandContext(io, command);
        await (await loadClient(context)).shareOnBehalfOf(writer, type, reader);
        printResult(
          io,
          context.options.json,
          { writerId: writer, recordType: type, readerId: reader, shared: true },
          () => `Shared ${writer}'s "${type}" with ${reader}`,
        );
      },
    );

  group
    .command("revoke")
    .description("as an authorizer, stop sharing <writer>'s <type> with <reader>")
    .argument("<writer>", "writer's client id", idArg)
    .argument("<type>", "record type")
    .argument("<reader>", "reader's client id", idArg)
    .action(
      async (writer: string, type: string, reader: string, _flags: unknown, command: Command) => {
        const context = commandContext(io, command);
        await (await loadClient(context)).revokeOnBehalfOf(writer, type, reader);
        printResult(
          io,
          context.options.json,
          { writerId: writer, recordType: type, readerId: reader, revoked: true },
          () => `Revoked ${writer}'s "${type}" from ${reader}`,
        );
      },
    );

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
