/**
 * `arca cache stats|purge`: the profile's user's local encrypted cache under `--root-dir`
 * (docs/cache.md). `stats` counts rows, cached containers, part files and bytes; `purge` erases
 * the user's whole partition (cached containers, the events cursor and the local key file; the
 * profile's credentials stay).
 *
 * @module
 */
import type { Command } from "commander";
import { commandContext } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { profileSession, type UserFlags, withAppOptions } from "./_user.ts";

/**
 * Adds `cache` and its commands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { cacheCommands } from "./_cache.ts";
 * const program = new Command("arca");
 * cacheCommands(program, processIo());
 * assert.deepEqual(program.commands[0]?.commands.map((c) => c.name()), ["stats", "purge"]);
 * ```
 */
export function cacheCommands(program: Command, io: CliIo): void {
  const cache = program.command("cache").description("the local encrypted cache");

  withAppOptions(cache.command("stats"))
    .description("what the profile's user keeps in the local cache")
    .action(async (flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const stats = await (await session.cache.store()).stats();
      await session.logout();
      printResult(io, context.options.json, stats, () =>
        renderPairs([
          ["rows", stats.rows],
          ["containers", stats.containers],
          ["part files", stats.partFiles],
          ["bytes", stats.bytes],
        ]));
    });

  withAppOptions(cache.command("purge"))
    .description("erase the profile's user's local partition (cache and local key file)")
    .action(async (flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      await session.logout({ purge: true });
      printResult(io, context.options.json, { purged: true }, () => "purged the local cache");
    });
}
