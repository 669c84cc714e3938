/**
 * Record commands: `arca write`, `arca read`, `arca update`, `arca delete`.
 *
 * @module
 */
import type { Command } from "commander";
import { NotFoundError } from "../errors.ts";
import type { Client } from "../sdk/client.ts";
import type { ArcaRecord } from "../sdk/record.ts";
import { commandContext, idArg, jsonMapArg, loadClient } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";

/**
 * A record as name/value rows: metadata, then `plain.<name>` and `data.<name>`.
 *
 * @example
 * ```ts ignore
 * // Needs a record read from a running Arca server.
 * console.log(renderPairs(recordRows(record)));
 * ```
 */
export function recordRows(record: ArcaRecord, withData = true): [string, unknown][] {
  const rows: [string, unknown][] = [
    ["record id", record.meta.recordId],
    ["type", record.meta.type],
    ["writer id", record.meta.writerId],
    ["version", record.meta.version],
    ["created", record.meta.created],
    ["last modified", record.meta.lastModified],
    ["signed", record.signature === undefined ? "no" : "yes"],
  ];
  for (const [name, value] of Object.entries(record.meta.plain)) {
    rows.push([`plain.${name}`, value]);
  }
  if (withData) {
    for (const [name, value] of Object.entries(record.data)) rows.push([`data.${name}`, value]);
  }
  return rows;
}

/** The current version of one of the caller's records, without decrypting it. */
async function currentVersion(client: Client, recordId: string): Promise<string> {
  const [found] = await client.query({ recordIds: [recordId], includeData: false, pageSize: 1 })
    .collect(1);
  if (found === undefined) throw new NotFoundError(`Record "${recordId}" not found`);
  return found.meta.version;
}

/**
 * Adds the record commands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { recordCommands } from "./_records.ts";
 * const program = new Command("arca");
 * recordCommands(program, processIo());
 * const names = program.commands.map((command) => command.name());
 * assert.deepEqual(names, ["write", "read", "update", "delete"]);
 * ```
 */
export function recordCommands(program: Command, io: CliIo): void {
  program
    .command("write")
    .description("encrypt and write a record")
    .argument("<type>", "record type")
    .requiredOption("--data <json>", "fields to encrypt, a JSON object of strings", jsonMapArg)
    .option("--plain <json>", "clear, searchable metadata, a JSON object of strings", jsonMapArg)
    .option("--no-sign", "do not sign the record")
    .action(
      async (
        type: string,
        flags: { data: Record<string, string>; plain?: Record<string, string>; sign: boolean },
        command: Command,
      ) => {
        const context = commandContext(io, command);
        const client = await loadClient(context);
        const record = await client.write(type, flags.data, flags.plain ?? {}, {
          sign: flags.sign,
        });
        printResult(io, context.options.json, record, () => renderPairs(recordRows(record, false)));
      },
    );

  program
    .command("read")
    .description("read and decrypt a record")
    .argument("<id>", "record id", idArg)
    .action(async (id: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      const record = await (await loadClient(context)).read(id);
      printResult(io, context.options.json, record, () => renderPairs(recordRows(record)));
    });

  program
    .command("update")
    .description("replace a record's data (and plain metadata)")
    .argument("<id>", "record id", idArg)
    .requiredOption("--data <json>", "new fields, a JSON object of strings", jsonMapArg)
    .option("--plain <json>", "new clear metadata (default: keep the current)", jsonMapArg)
    .option("--version <version>", "fail unless this is still the record's version")
    .action(
      async (
        id: string,
        flags: { data: Record<string, string>; plain?: Record<string, string>; version?: string },
        command: Command,
      ) => {
        const context = commandContext(io, command);
        const client = await loadClient(context);
        const current = await client.read(id);
        const record = await client.update({
          meta: {
            recordId: current.meta.recordId,
            type: current.meta.type,
            version: flags.version ?? current.meta.version,
            plain: flags.plain ?? current.meta.plain,
          },
          data: flags.data,
        });
        printResult(io, context.options.json, record, () => renderPairs(recordRows(record, false)));
      },
    );

  program
    .command("delete")
    .description("delete a record")
    .argument("<id>", "record id", idArg)
    .option("--version <version>", "fail unless this is still the record's version")
    .action(async (id: string, flags: { version?: string }, command: Command) => {
      const context = commandContext(io, command);
      const client = await loadClient(context);
      const version = flags.version ?? await currentVersion(client, id);
      await client.delete(id, version);
      printResult(io, context.options.json, { deleted: id, version }, () => `Deleted ${id}`);
    });
}
