/**
 * The CLI's command groups, one module each, and the top-level commands each adds. `arca <name>`
 * loads and builds only the group that has `<name>`; anything else (`--help`, `help`, an unknown
 * or missing command) builds them all, so help and "did you mean" see every command. In the
 * bundled CLI each group is a chunk of its own, loaded on demand.
 *
 * @module
 */
import type { Command } from "commander";
import type { CliIo } from "./io.ts";

/** Adds a group's commands to the program. */
export type RegisterCommands = (program: Command, io: CliIo) => void;

/** A command group: its top-level command names and how to load what adds them. */
export interface CommandGroup {
  /** The top-level commands the group adds, in its order. */
  names: readonly string[];
  /** Loads the group's module. */
  load(): Promise<RegisterCommands>;
}

/** Every group, in the order `arca --help` lists their commands. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ["register"], load: async () => (await import("./_register.ts")).registerCommand },
  { names: ["profile"], load: async () => (await import("./_profile.ts")).profileCommands },
  {
    names: ["client", "keys"],
    load: async () => (await import("./_client_keys.ts")).clientKeyCommands,
  },
  {
    names: ["write", "read", "update", "delete"],
    load: async () => (await import("./_records.ts")).recordCommands,
  },
  { names: ["file"], load: async () => (await import("./_files.ts")).fileCommands },
  { names: ["query"], load: async () => (await import("./_query.ts")).queryCommand },
  { names: ["search"], load: async () => (await import("./_search.ts")).searchCommand },
  {
    names: ["share", "revoke", "sharing"],
    load: async () => (await import("./_sharing.ts")).sharingCommands,
  },
  {
    names: ["authorizer"],
    load: async () => (await import("./_authorizer.ts")).authorizerCommands,
  },
  { names: ["serve"], load: async () => (await import("./_serve.ts")).serveCommand },
  {
    names: ["admin"],
    load: async () => {
      const [{ adminCommands }, { identityAdminCommands }] = await Promise.all([
        import("./_admin.ts"),
        import("./_identity_admin.ts"),
      ]);
      return (program, io) => {
        adminCommands(program, io);
        identityAdminCommands(program, io); // Adds `admin realm` and `admin identity`.
      };
    },
  },
  { names: ["note"], load: async () => (await import("./_notes.ts")).noteCommands },
  { names: ["login"], load: async () => (await import("./_login.ts")).loginCommand },
  { names: ["user"], load: async () => (await import("./_user.ts")).userCommands },
  {
    names: ["container", "access"],
    load: async () => (await import("./_containers.ts")).containerCommands,
  },
  { names: ["cache"], load: async () => (await import("./_cache.ts")).cacheCommands },
  { names: ["events"], load: async () => (await import("./_events.ts")).eventsCommand },
];

/** The root's options that take a value: the word after them is not a command. */
const OPTIONS_WITH_VALUE = new Set(["--profile", "--config"]);

/**
 * The command named in `args` (the first word that is neither an option nor an option's value),
 * if any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandNameOf } from "./_command_groups.ts";
 * assert.equal(commandNameOf(["--profile", "read", "--json", "write", "x"]), "write");
 * assert.equal(commandNameOf(["--help"]), undefined);
 * ```
 */
export function commandNameOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/**
 * The groups to build for `args`: the one that has the named command, else all of them (also
 * when `args` is not given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COMMAND_GROUPS, groupsFor } from "./_command_groups.ts";
 * assert.deepEqual(groupsFor(["read", "some-id"]).map((group) => group.names[0]), ["write"]);
 * assert.equal(groupsFor(["--help"]), COMMAND_GROUPS);
 * ```
 */
export function groupsFor(args?: readonly string[]): readonly CommandGroup[] {
  const name = args === undefined ? undefined : commandNameOf(args);
  const group = COMMAND_GROUPS.find((candidate) => candidate.names.includes(name ?? ""));
  return group === undefined ? COMMAND_GROUPS : [group];
}
