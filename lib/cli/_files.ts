/**
 * File commands: `arca file put|get`, streaming through the v3 format with a progress bar on a
 * terminal (quiet otherwise, and with `--json`).
 *
 * ```sh
 * arca file put documents ./report.pdf --plain '{"name":"report.pdf"}'
 * tar c photos | arca file put backups -          # from standard input
 * arca file get <record id> ./report-copy.pdf
 * ```
 *
 * @module
 */
import { basename } from "node:path";
import type { Command } from "commander";
import type { ArcaRecord } from "../sdk/record.ts";
import { commandContext, idArg, jsonMapArg, loadClient } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { formatBytes, printResult, renderPairs } from "./_output.ts";

/**
 * A file record as name/value rows.
 *
 * @example
 * ```ts ignore
 * // Needs a record read from a running Arca server.
 * console.log(renderPairs(fileRows(record)));
 * ```
 */
export function fileRows(record: ArcaRecord): [string, unknown][] {
  const fileMeta = record.meta.fileMeta ?? {};
  const size = typeof fileMeta.size === "number" ? fileMeta.size : undefined;
  const rows: [string, unknown][] = [
    ["record id", record.meta.recordId],
    ["type", record.meta.type],
    ["writer id", record.meta.writerId],
    ["version", record.meta.version],
    ["created", record.meta.created],
    ["encrypted size", size === undefined ? "" : `${formatBytes(size)} (${size} bytes)`],
    ["checksum (MD5)", fileMeta.checksum],
    ["blob name (server)", fileMeta.file_name],
  ];
  for (const [name, value] of Object.entries(record.meta.plain)) {
    rows.push([`plain.${name}`, value]);
  }
  return rows;
}

/** A record without its short-lived signed URL (which is single-use anyway). */
function withoutUrl(record: ArcaRecord): ArcaRecord {
  if (record.meta.fileMeta === undefined) return record;
  const { file_url: _url, ...fileMeta } = record.meta.fileMeta;
  return { ...record, meta: { ...record.meta, fileMeta } };
}

/**
 * Adds the `file` command group to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { fileCommands } from "./_files.ts";
 * const program = new Command("arca");
 * fileCommands(program, processIo());
 * assert.equal(program.commands[0]?.name(), "file");
 * ```
 */
export function fileCommands(program: Command, io: CliIo): void {
  const file = program.command("file").description("encrypted large files");

  file
    .command("put")
    .description("encrypt and upload a file (a path, or - for standard input)")
    .argument("<type>", "record type")
    .argument("<path>", "file to upload, or - for standard input")
    .option("--plain <json>", "clear, searchable metadata, a JSON object of strings", jsonMapArg)
    .action(
      async (type: string, path: string, flags: { plain?: Record<string, string> }, command) => {
        const context = commandContext(io, command as Command);
        const client = await loadClient(context);
        const source = path === "-" ? Deno.stdin.readable : path;
        const { progressDisplay } = await import("./_progress_bar.ts");
        const display = progressDisplay(io, context.options.json);
        let record: ArcaRecord;
        try {
          record = await client.writeFile(type, source, flags.plain ?? {}, {
            onProgress: (progress) => display.update(progress),
          });
        } finally {
          display.finish();
        }
        const stored = withoutUrl(record);
        const name = path === "-" ? "(standard input)" : basename(path);
        printResult(
          io,
          context.options.json,
          { ...stored, file: name },
          () => renderPairs([["file", name], ...fileRows(stored)]),
        );
      },
    );

  file
    .command("get")
    .description("download, check and decrypt a file")
    .argument("<id>", "record id", idArg)
    .argument("<path>", "where to write the plaintext (replaced only when complete)")
    .action(async (id: string, path: string, _flags: unknown, command) => {
      const context = commandContext(io, command as Command);
      const client = await loadClient(context);
      const { progressDisplay } = await import("./_progress_bar.ts");
      const display = progressDisplay(io, context.options.json);
      let record: ArcaRecord;
      try {
        record = await client.readFile(id, path, {
          onProgress: (progress) => display.update(progress),
        });
      } finally {
        display.finish();
      }
      const stored = withoutUrl(record);
      const written = (await Deno.stat(path)).size;
      printResult(
        io,
        context.options.json,
        { ...stored, path, bytes: written },
        () =>
          renderPairs([...fileRows(stored), ["written to", path], ["plaintext bytes", written]]),
      );
    });
}
