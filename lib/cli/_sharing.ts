/**
 * Sharing commands: `arca share <type> <reader>`, `arca revoke <type> <reader>`,
 * `arca sharing [--incoming|--outgoing]`.
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext, idArg, loadClient } from "./_context.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderTable } from "./_output.ts";

/**
 * Adds the sharing commands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { sharingCommands } from "./_sharing.ts";
 * const program = new Command("arca");
 * sharingCommands(program, processIo());
 * const names = program.commands.map((command) => command.name());
 * assert.deepEqual(names, ["share", "revoke", "sharing"]);
 * ```
 */
export function sharingCommands(program: Command, io: CliIo): void {
  program
    .command("share")
    .description("share your records of a type with a reader")
    .argument("<type>", "record type")
    .argument("<reader>", "reader's client id", idArg)
    .action(async (type: string, reader: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      await (await loadClient(context)).share(type, reader);
      printResult(
        io,
        context.options.json,
        { shared: type, readerId: reader },
        () => `Shared "${type}" with ${reader}`,
      );
    });

  program
    .command("revoke")
    .description("stop sharing your records of a type with a reader")
    .argument("<type>", "record type")
    .argument("<reader>", "reader's client id", idArg)
    .action(async (type: string, reader: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      await (await loadClient(context)).revoke(type, reader);
      printResult(
        io,
        context.options.json,
        { revoked: type, readerId: reader },
        () => `Revoked "${type}" from ${reader}`,
      );
    });

  program
    .command("sharing")
    .description("list what you share and what is shared with you")
    .option("--incoming", "only types shared with you")
    .option("--outgoing", "only types you share")
    .action(async (flags: { incoming?: boolean; outgoing?: boolean }, command: Command) => {
      const context = commandContext(io, command);
      if (flags.incoming === true && flags.outgoing === true) {
        throw new UsageError("Use --incoming or --outgoing, not both");
      }
      const client = await loadClient(context);
      const outgoing = flags.incoming === true ? undefined : await client.outgoingSharing();
      const incoming = flags.outgoing === true ? undefined : await client.incomingSharing();
      const value = outgoing === undefined ? incoming : incoming === undefined ? outgoing : {
        outgoing,
        incoming,
      };
      printResult(io, context.options.json, value, () => {
        const parts: string[] = [];
        if (outgoing !== undefined) {
          parts.push(
            "Outgoing (you share):",
            renderTable(
              ["record type", "reader id", "reader name"],
              outgoing.map((share) => [share.recordType, share.readerId, share.readerName]),
            ),
          );
        }
        if (incoming !== undefined) {
          parts.push(
            "Incoming (shared with you):",
            renderTable(
              ["record type", "writer id", "writer name"],
              incoming.map((share) => [share.recordType, share.writerId, share.writerName]),
            ),
          );
        }
        return parts.join("\n");
      });
    });
}
