/**
 * `arca events [--follow]`: the profile user's events. Without `--from`, those new since the
 * previous call (the cursor under the root folder); `--follow` then keeps the live stream open
 * until Ctrl-C, printing each event as it comes (one JSON line each with `--json`).
 *
 * @module
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type {
  ContainerEvent,
  EventAction,
  EventFilter,
  EventType,
} from "../sdk/containers/container_types.ts";
import { EVENT_ACTIONS, EVENT_TYPES } from "../protocol/events.ts";
import { commandContext, idArg, integerArg } from "./_context.ts";
import type { CliIo } from "./io.ts";
import { renderTable } from "./_output.ts";
import { profileSession, type UserFlags, withAppOptions } from "./_user.ts";

interface EventFlags extends UserFlags {
  type?: EventType;
  containerType?: string;
  containerId?: string;
  action?: EventAction;
  from?: number;
  follow?: boolean;
}

function choiceArg<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    if (!choices.includes(text as T)) {
      throw new InvalidArgumentError(`Expected one of ${choices.join(", ")}.`);
    }
    return text as T;
  };
}

function eventRow(event: ContainerEvent): unknown[] {
  return [
    event.eventId,
    event.date.toISOString(),
    event.type,
    event.action,
    event.containerId ?? "",
    event.relatedUserId ?? "",
  ];
}

const HEAD = ["event id", "date", "type", "action", "container id", "related user"];

/**
 * Adds the `events` command to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { eventsCommand } from "./_events.ts";
 * const program = new Command("arca");
 * eventsCommand(program, processIo());
 * assert.equal(program.commands[0]?.name(), "events");
 * ```
 */
export function eventsCommand(program: Command, io: CliIo): void {
  withAppOptions(program.command("events"))
    .description("your container and key-file events (new since the last call, or --from)")
    .option("--type <type>", "container or key_file", choiceArg(EVENT_TYPES))
    .option("--container-type <type>", "only containers of this type")
    .option("--container-id <id>", "only this container", idArg)
    .option("--action <action>", "accessed, added, deleted or updated", choiceArg(EVENT_ACTIONS))
    .option("--from <event id>", "start at this event id (0: all)", integerArg(0, 2 ** 53 - 1))
    .option("--follow", "then keep printing events as they happen (Ctrl-C stops)")
    .action(async (flags: EventFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const filter: EventFilter = {
        type: flags.type,
        containerType: flags.containerType,
        containerId: flags.containerId,
        action: flags.action,
      };
      const stored = await session.containers.getEvents({
        ...filter,
        startingEventId: flags.from,
      });
      const json = context.options.json;
      if (flags.follow !== true) {
        io.out(
          json ? `${JSON.stringify(stored)}\n` : `${renderTable(HEAD, stored.map(eventRow))}\n`,
        );
        return;
      }
      const print = (event: ContainerEvent) =>
        io.out(json ? `${JSON.stringify(event)}\n` : `${eventRow(event).join("  ")}\n`);
      stored.forEach(print);
      const last = stored.at(-1)?.eventId;
      const subscription = session.events.subscribe({
        ...filter,
        ...(last === undefined ? {} : { startingEventId: last + 1 }),
      });
      io.stopSignal().then(() => subscription.close());
      for await (const event of subscription) print(event);
    });
}
