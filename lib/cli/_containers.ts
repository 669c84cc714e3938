/**
 * `arca container create|get|update|delete|list` and `arca access grant|revoke|show`: secured
 * containers as the profile's user (`arca user create|login` saved it). Content comes from a
 * file, standard input (`-`) or `--text`; large content streams with a progress bar on a
 * terminal.
 *
 * ```sh
 * arca container create ./photo.jpg --type photo --header '{"name":"photo.jpg"}' --access <bob>
 * arca container get <id> --output ./copy.jpg
 * arca access grant <id> <carol> --permissions container.download,container.decrypt
 * ```
 *
 * @module
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { Permissions } from "../protocol/permissions.ts";
import type { Container } from "../sdk/container.ts";
import type { ContentInput, Portion } from "../sdk/containers/container_types.ts";
import { PORTIONS } from "../sdk/containers/container_types.ts";
import { commandContext, idArg, integerArg, jsonArg, listArg } from "./_context.ts";
import { UsageError } from "./_errors.ts";
import { ValidationError } from "../errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs, renderTable } from "./_output.ts";
import { profileSession, type UserFlags, withAppOptions } from "./_user.ts";

interface ContainerFlags extends UserFlags {
  text?: string;
  header?: unknown;
  type?: string;
  access?: string[];
  portion?: Portion;
  output?: string;
  limit?: number;
  after?: string;
  permissions?: number;
  expires?: Date;
  cached?: boolean;
}

/** Largest content `get` shows inline (as text) without `--output`. */
const SHOWN_CONTENT_BYTES = 64 * 1024;

/**
 * Commander parser of `--permissions`: an integer 0..127 or permission names joined by commas.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionsArg } from "./_containers.ts";
 * assert.equal(permissionsArg("11"), 11);
 * assert.equal(permissionsArg("container.download,container.decrypt"), 3);
 * ```
 */
export function permissionsArg(text: string): number {
  try {
    if (/^\d+$/.test(text.trim())) return new Permissions(Number(text)).bits;
    return Permissions.fromNames(text.split(",").map((name) => name.trim()) as never).bits;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function dateArg(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("Expected an ISO date.");
  return date;
}

function portionArg(text: string): Portion {
  if (!PORTIONS.includes(text as Portion)) {
    throw new InvalidArgumentError(`Expected one of ${PORTIONS.join(", ")}.`);
  }
  return text as Portion;
}

/** `--access id` or `--access id=permissions`, repeatable. */
function accessOption(entries: string[]): Record<string, { permissions?: number }> {
  const access: Record<string, { permissions?: number }> = {};
  for (const entry of entries) {
    const [id, bits] = entry.split("=", 2);
    access[idArg(id!)] = bits === undefined ? {} : { permissions: permissionsArg(bits) };
  }
  return access;
}

async function contentSource(
  io: CliIo,
  path: string | undefined,
  text: string | undefined,
): Promise<ContentInput | undefined> {
  if (path !== undefined && text !== undefined) {
    throw new UsageError("Give the content as a path or with --text, not both");
  }
  if (text !== undefined) return text;
  if (path === undefined) return undefined;
  if (path === "-") return io.stdin === undefined ? Deno.stdin.readable : await io.stdin();
  return (await Deno.open(path, { read: true })).readable;
}

async function contentLength(path: string | undefined): Promise<number | undefined> {
  if (path === undefined || path === "-") return undefined;
  return (await Deno.stat(path)).size;
}

/** A container's metadata as JSON (times as ISO text, access entries as their wire form). */
function metadataJson(container: Container): Record<string, unknown> {
  return {
    id: container.id,
    type: container.type,
    version: container.version,
    createdAt: container.createdAt?.toISOString() ?? null,
    createdBy: container.createdBy,
    modifiedAt: container.modifiedAt?.toISOString() ?? null,
    modifiedBy: container.modifiedBy,
    length: container.length,
    access: (container.access ?? []).map((entry) => entry.toJSON()),
  };
}

/** The container as JSON and as rows; content shown when small and UTF-8 text. */
async function containerView(
  container: Container,
  showContent: boolean,
): Promise<{ json: Record<string, unknown>; rows: [string, unknown][] }> {
  const { content, header } = container;
  let text: string | null = null;
  if (showContent && content !== null && (container.length ?? 0) <= SHOWN_CONTENT_BYTES) {
    try {
      text = await content.text();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error; // Not UTF-8: not shown.
    }
  }
  const json = metadataJson(container);
  const rows: [string, unknown][] = [
    ["container id", json.id],
    ["type", json.type ?? ""],
    ["version", json.version],
    ["created", `${json.createdAt} by ${json.createdBy}`],
    ["modified", `${json.modifiedAt} by ${json.modifiedBy}`],
    ["length", json.length],
    ["access", (container.access ?? []).map((entry) => entry.userId).join(", ")],
    ["header", header === null ? "" : JSON.stringify(header)],
  ];
  if (text !== null) rows.push(["content", text]);
  return { json: { ...json, header, ...(text === null ? {} : { content: text }) }, rows };
}

/**
 * Adds the `container` and `access` command groups to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { containerCommands } from "./_containers.ts";
 * const program = new Command("arca");
 * containerCommands(program, processIo());
 * assert.deepEqual(program.commands.map((c) => c.name()), ["container", "access"]);
 * ```
 */
export function containerCommands(program: Command, io: CliIo): void {
  const container = program.command("container").description("secured containers");

  withAppOptions(container.command("create"))
    .description("seal and store content (a path, - for standard input, or --text)")
    .argument("[path]", "content file, or - for standard input")
    .option("--text <text>", "the content as text")
    .option("--header <json>", "a JSON header, sealed apart from the content", jsonArg)
    .option("--type <type>", "clear type")
    .option("--access <id[=permissions]>", "give a user access (repeatable)", listArg)
    .action(async (path: string | undefined, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const content = await contentSource(io, path, flags.text);
      if (content === undefined) throw new UsageError("Give the content: a path, - or --text");
      const [session] = await profileSession(context, flags);
      const { progressDisplay } = await import("./_progress_bar.ts");
      const display = progressDisplay(io, context.options.json);
      let made: Container;
      try {
        made = await session.containers.create(content, {
          header: flags.header,
          type: flags.type,
          length: await contentLength(path),
          access: flags.access === undefined ? undefined : accessOption(flags.access),
          onProgress: (progress) => display.update(progress),
        });
      } finally {
        display.finish();
      }
      const view = await containerView(made, false);
      printResult(io, context.options.json, view.json, () => renderPairs(view.rows));
    });

  withAppOptions(container.command("get"))
    .description("fetch and open a container (content shown when small, or written to --output)")
    .argument("<id>", "container id", idArg)
    .option("--portion <portion>", "all, content, header or metadata (default all)", portionArg)
    .option("--output <path>", "write the content to this file (- for standard output)")
    .option("--cached", "server_cache_ofs: read the local cache first (default: the server)")
    .action(async (id: string, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const { progressDisplay } = await import("./_progress_bar.ts");
      const display = progressDisplay(io, context.options.json || flags.output === "-");
      let found: Container;
      try {
        found = await session.containers.get(id, {
          portion: flags.portion,
          // One-shot commands see no events, so the cache is read only when asked.
          forceRefresh: flags.cached !== true,
          onProgress: (progress) => display.update(progress),
        });
        if (flags.output !== undefined && found.content !== null) {
          await writeContent(found, flags.output);
        }
      } finally {
        display.finish();
      }
      if (flags.output === "-") return;
      const view = await containerView(found, flags.output === undefined);
      printResult(io, context.options.json, view.json, () => renderPairs(view.rows));
    });

  withAppOptions(container.command("update"))
    .description("change a container: new content or header (re-keys it), type")
    .argument("<id>", "container id", idArg)
    .argument("[path]", "new content file, or - for standard input")
    .option("--text <text>", "new content as text")
    .option("--header <json>", "a new JSON header", jsonArg)
    .option("--type <type>", "a new type")
    .action(
      async (id: string, path: string | undefined, flags: ContainerFlags, command: Command) => {
        const context = commandContext(io, command);
        const content = await contentSource(io, path, flags.text);
        const [session] = await profileSession(context, flags);
        const { progressDisplay } = await import("./_progress_bar.ts");
        const display = progressDisplay(io, context.options.json);
        let updated: Container;
        try {
          updated = await session.containers.update(id, {
            content,
            header: flags.header,
            type: flags.type,
            length: await contentLength(path),
            onProgress: (progress) => display.update(progress),
          });
        } finally {
          display.finish();
        }
        const view = await containerView(updated, false);
        printResult(io, context.options.json, view.json, () => renderPairs(view.rows));
      },
    );

  withAppOptions(container.command("delete"))
    .description("remove your access (the server deletes the container when nobody has any)")
    .argument("<id>", "container id", idArg)
    .action(async (id: string, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      await session.containers.delete(id);
      printResult(io, context.options.json, { id, deleted: true }, () => `deleted ${id}`);
    });

  withAppOptions(container.command("list"))
    .description("list the containers you can reach")
    .option("--type <type>", "only this type")
    .option("--limit <n>", "most containers (1..1000)", integerArg(1, 1000))
    .option("--after <id>", "continue after this container id", idArg)
    .action(async (flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const page = await session.containers.list({
        type: flags.type,
        limit: flags.limit,
        after: flags.after,
      });
      const json = { containers: page.containers.map(metadataJson), next: page.next };
      printResult(io, context.options.json, json, () =>
        renderTable(
          ["container id", "type", "version", "length", "modified"],
          page.containers.map((item) => [
            item.id,
            item.type ?? "",
            item.version,
            item.length,
            item.modifiedAt?.toISOString() ?? "",
          ]),
        ) + (page.next === null ? "" : `\nmore: --after ${page.next}`));
    });

  accessCommands(program, io);
}

async function writeContent(container: Container, output: string): Promise<void> {
  const stream = container.content!.stream();
  if (output === "-") {
    await stream.pipeTo(Deno.stdout.writable, { preventClose: true });
    return;
  }
  const temporary = `${output}.${crypto.randomUUID()}.part`;
  try {
    await stream.pipeTo((await Deno.open(temporary, { write: true, createNew: true })).writable);
    await Deno.rename(temporary, output);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

function accessRows(container: Container): unknown[][] {
  return (container.access ?? []).map((entry) => [
    entry.userId,
    entry.permissions.toString(),
    entry.expiration === null ? "never" : new Date(entry.expiration / 1000).toISOString(),
  ]);
}

function accessCommands(program: Command, io: CliIo): void {
  const access = program.command("access").description("who may use a container");
  const show = (context: ReturnType<typeof commandContext>, container: Container) =>
    printResult(
      io,
      context.options.json,
      (container.access ?? []).map((entry) => entry.toJSON()),
      () => renderTable(["user id", "permissions", "expires"], accessRows(container)),
    );

  withAppOptions(access.command("show"))
    .description("a container's access list (only your own entry without access.view)")
    .argument("<id>", "container id", idArg)
    .action(async (id: string, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      show(context, await session.containers.get(id, { portion: "metadata" }));
    });

  withAppOptions(access.command("grant"))
    .description("give a user access, or change it (default permissions: the others' default)")
    .argument("<id>", "container id", idArg)
    .argument("<user>", "user id", idArg)
    .option("--permissions <bits>", "an integer 0..127 or names joined by commas", permissionsArg)
    .option("--expires <date>", "when the access ends (ISO date)", dateArg)
    .action(async (id: string, user: string, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const current = await session.containers.get(id, { portion: "metadata" });
      const kept = (current.access ?? []).filter((entry) => entry.userId !== user);
      const granted = {
        userId: user,
        permissions: flags.permissions ?? Permissions.othersDefault().bits,
        expiration: flags.expires ?? null,
      };
      show(context, await session.containers.update(id, { access: [...kept, granted] }));
    });

  withAppOptions(access.command("revoke"))
    .description("take a user's access away (new content or header is then sealed without it)")
    .argument("<id>", "container id", idArg)
    .argument("<user>", "user id", idArg)
    .action(async (id: string, user: string, flags: ContainerFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const current = await session.containers.get(id, { portion: "metadata" });
      const kept = (current.access ?? []).filter((entry) => entry.userId !== user);
      if (kept.length === (current.access ?? []).length) {
        throw new UsageError(`User ${user} has no access to container ${id}`);
      }
      show(context, await session.containers.update(id, { access: kept }));
    });
}
