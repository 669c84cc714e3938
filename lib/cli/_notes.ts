/**
 * Note commands: `arca note write|read|delete`, as the profile's client.
 *
 * ```sh
 * arca note write --to-key <pk> --to-signing-key <spk> --data '{"secret":"x"}' --max-views 1
 * echo '{"secret":"x"}' | arca note write --to-key <pk> --to-signing-key <spk>
 * arca note write --to-key <pk> --to-signing-key <spk> --file letter.txt --field letter
 * arca note read <id>            arca note read --name <name>            arca note delete <id>
 * arca note write --anonymous ...  arca note read <id> --anonymous --keys keys.json
 * ```
 *
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import type { Note, NoteOptions } from "../sdk/notes.ts";
import { commandContext, idArg, jsonMapArg, loadClient } from "./_context.ts";
import { readNoteKeys, writerNoteKeys } from "./_note_keys.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { readStdin } from "./_secret_input.ts";
import { notesModule, registrationModule } from "./_lazy.ts";

interface WriteFlags {
  toKey: string;
  toSigningKey: string;
  data?: Record<string, string>;
  file?: string;
  field?: string;
  name?: string;
  maxViews?: number;
  expiresIn?: number;
  type?: string;
  plain?: Record<string, string>;
  replace?: boolean;
  anonymous?: boolean;
  keys?: string;
  apiUrl?: string;
}

interface ReadFlags {
  name?: string;
  anonymous?: boolean;
  keys?: string;
  apiUrl?: string;
}

function integerArg(min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`Expected an integer of at least ${min}.`);
    }
    return value;
  };
}

/** The note's fields: `--data`, else a file or standard input (JSON, or raw with `--field`). */
async function noteData(io: CliIo, flags: WriteFlags): Promise<Record<string, string>> {
  if (flags.data !== undefined) {
    if (flags.file !== undefined) throw new UsageError("Give --data or --file, not both");
    return flags.data;
  }
  const text = flags.file === undefined || flags.file === "-"
    ? await readStdin(io)
    : await Deno.readTextFile(flags.file);
  if (flags.field !== undefined) return { [flags.field]: text };
  try {
    return jsonMapArg(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Note data must be a JSON object of strings (or use --field): ${reason}`);
  }
}

function noteRows(note: Note, withData: boolean): [string, unknown][] {
  const rows: [string, unknown][] = [
    ["note id", note.noteId],
    ["name", note.idString],
    ["writer", note.clientId ?? "(anonymous)"],
    [
      "views",
      note.maxViews === -1 ? `${note.views} (unlimited)` : `${note.views} of ${note.maxViews}`,
    ],
    ["expires", note.expiration ?? "never"],
    ["created", note.createdAt],
  ];
  for (const [name, value] of Object.entries(note.plain)) rows.push([`plain.${name}`, value]);
  if (withData) {
    for (const [name, value] of Object.entries(note.data)) rows.push([`data.${name}`, value]);
  }
  return rows;
}

async function readAnonymously(
  io: CliIo,
  id: string | undefined,
  flags: ReadFlags,
): Promise<Note> {
  if (flags.keys === undefined) throw new UsageError("--anonymous needs --keys FILE");
  const keys = await readNoteKeys(flags.keys);
  const { readAnonymousNote, readAnonymousNoteByName } = await notesModule();
  const { defaultApiUrl } = await registrationModule();
  const options = { apiUrl: flags.apiUrl ?? defaultApiUrl(io.env) };
  return id === undefined
    ? await readAnonymousNoteByName(flags.name!, keys, options)
    : await readAnonymousNote(id, keys, options);
}

/**
 * Adds `note` and its subcommands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { noteCommands } from "./_notes.ts";
 * const program = new Command("arca");
 * noteCommands(program, processIo());
 * assert.equal(program.commands[0]?.name(), "note");
 * ```
 */
export function noteCommands(program: Command, io: CliIo): void {
  const note = program.command("note").description("one-way encrypted notes");

  note
    .command("write")
    .description("encrypt and write a note for a recipient's keys")
    .requiredOption("--to-key <key>", "the recipient's encryption public key")
    .requiredOption("--to-signing-key <key>", "the recipient's signing public key")
    .option("--data <json>", "fields, a JSON object of strings", jsonMapArg)
    .option("--file <path>", "read the fields from a file ('-' for standard input)")
    .option("--field <name>", "take the file or standard input as-is, as this one field")
    .option("--name <name>", "a global name to read the note by")
    .option("--max-views <n>", "reads before it is burned (-1: unlimited)", integerArg(-1))
    .option("--expires-in <seconds>", "expire after this many seconds", integerArg(1))
    .option("--type <type>", "a free-form type")
    .option("--plain <json>", "clear metadata, a JSON object of strings", jsonMapArg)
    .option("--replace", "replace the note with this --name")
    .option("--anonymous", "write without a profile (fresh writer keys unless --keys)")
    .option("--keys <file>", "with --anonymous: the writer's keys (arca keys generate --json)")
    .option("--api-url <url>", "with --anonymous: server URL (default: ARCA_API_URL)")
    .action(async (flags: WriteFlags, command: Command) => {
      const context = commandContext(io, command);
      const data = await noteData(io, flags);
      const options: NoteOptions = {
        ...(flags.name === undefined ? {} : { idString: flags.name }),
        ...(flags.maxViews === undefined ? {} : { maxViews: flags.maxViews }),
        ...(flags.expiresIn === undefined
          ? {}
          : { expiration: new Date(Date.now() + flags.expiresIn * 1000) }),
        ...(flags.type === undefined ? {} : { type: flags.type }),
        ...(flags.plain === undefined ? {} : { plain: flags.plain }),
      };
      let written: Note;
      if (flags.anonymous === true) {
        if (flags.replace === true) {
          throw new UsageError("--replace needs a profile, not --anonymous");
        }
        const { writeAnonymousNote } = await notesModule();
        const { defaultApiUrl } = await registrationModule();
        written = await writeAnonymousNote(
          data,
          flags.toKey,
          flags.toSigningKey,
          await writerNoteKeys(flags.keys, flags.toKey),
          { apiUrl: flags.apiUrl ?? defaultApiUrl(io.env), note: options },
        );
        const { data: _data, ...shown } = written;
        printResult(io, context.options.json, shown, () => renderPairs(noteRows(written, false)));
        return;
      }
      const client = await loadClient(context);
      if (flags.replace === true) {
        if (flags.name === undefined) throw new UsageError("--replace needs --name");
        written = await client.replaceNote(data, flags.toKey, flags.toSigningKey, {
          ...options,
          idString: flags.name,
        });
      } else {
        written = await client.writeNote(data, flags.toKey, flags.toSigningKey, options);
      }
      const { data: _data, ...shown } = written;
      printResult(io, context.options.json, shown, () => renderPairs(noteRows(written, false)));
    });

  note
    .command("read")
    .description("read and decrypt a note (counts one view)")
    .argument("[id]", "note id", idArg)
    .option("--name <name>", "read the note with this name instead")
    .option("--anonymous", "read without a profile, with the key pairs of --keys")
    .option("--keys <file>", "with --anonymous: the reader's keys (arca keys generate --json)")
    .option("--api-url <url>", "with --anonymous: server URL (default: ARCA_API_URL)")
    .action(async (id: string | undefined, flags: ReadFlags, command: Command) => {
      const context = commandContext(io, command);
      if ((id === undefined) === (flags.name === undefined)) {
        throw new UsageError("Give a note id or --name, not both");
      }
      const read = flags.anonymous === true
        ? await readAnonymously(io, id, flags)
        : id === undefined
        ? await (await loadClient(context)).readNoteByName(flags.name!)
        : await (await loadClient(context)).readNote(id);
      printResult(io, context.options.json, read, () => renderPairs(noteRows(read, true)));
    });

  note
    .command("delete")
    .description("delete a note")
    .argument("<id>", "note id", idArg)
    .action(async (id: string, _flags: unknown, command: Command) => {
      const context = commandContext(io, command);
      await (await loadClient(context)).deleteNote(id);
      printResult(io, context.options.json, { deleted: id }, () => `Deleted note ${id}`);
    });
}
