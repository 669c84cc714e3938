/**
 * Identity administration under `arca admin` (bearer `ARCA_ADMIN_TOKEN`):
 * `arca admin realm create|list` and `arca admin identity register|delete`. Registration derives
 * the identity's keys from the password on this machine; the server sees public keys only.
 *
 * @module
 */
import type { Command } from "commander";
import { adminApiUrl } from "./_admin.ts";
import { type CommandContext, commandContext, suiteFor } from "./_context.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs, renderTable } from "./_output.ts";
import { readPassword } from "./_secret_input.ts";
import { identityAdminModule } from "./_lazy.ts";

async function adminOptions(
  io: CliIo,
  command: Command,
): Promise<[{ apiUrl: string; adminToken: string }, CommandContext]> {
  const context = commandContext(io, command);
  const adminToken = io.env.get("ARCA_ADMIN_TOKEN")?.trim();
  if (adminToken === undefined || adminToken === "") {
    throw new UsageError("Set ARCA_ADMIN_TOKEN to the server's admin token");
  }
  const flags = command.optsWithGlobals<{ apiUrl?: string }>();
  return [{ apiUrl: await adminApiUrl(context, flags.apiUrl), adminToken }, context];
}

/**
 * Adds `realm` and `identity` under the program's `admin` command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { adminCommands } from "./_admin.ts";
 * import { identityAdminCommands } from "./_identity_admin.ts";
 * const program = new Command("arca");
 * adminCommands(program, processIo());
 * identityAdminCommands(program, processIo());
 * const admin = program.commands.find((command) => command.name() === "admin");
 * const names = admin?.commands.map((command) => command.name());
 * assert.deepEqual(names?.slice(-2), ["realm", "identity"]);
 * ```
 */
export function identityAdminCommands(program: Command, io: CliIo): void {
  const admin = program.commands.find((command) => command.name() === "admin");
  if (admin === undefined) throw new Error("identityAdminCommands needs the admin command first");

  const realm = admin.command("realm").description("identity realms");
  realm
    .command("create")
    .description("create a realm")
    .argument("<name>", "realm name (letters, digits, '_' and '-')")
    .action(async (name: string, _flags: unknown, command: Command) => {
      const [options, context] = await adminOptions(io, command);
      const { createRealm } = await identityAdminModule();
      const made = await createRealm(name, options);
      printResult(
        io,
        context.options.json,
        made,
        () =>
          renderPairs([["realm", made.name], ["domain", made.domain], [
            "broker id",
            made.brokerId,
          ]]),
      );
    });
  realm
    .command("list")
    .description("list realms")
    .action(async (_flags: unknown, command: Command) => {
      const [options, context] = await adminOptions(io, command);
      const { listRealms } = await identityAdminModule();
      const realms = await listRealms(options);
      printResult(
        io,
        context.options.json,
        realms,
        () =>
          renderTable(
            ["realm", "domain", "broker id"],
            realms.map((r) => [r.name, r.domain, r.brokerId]),
          ),
      );
    });

  const identity = admin.command("identity").description("identities in a realm");
  identity
    .command("register")
    .description("register an identity (its password never leaves this machine)")
    .argument("<realm>", "realm name")
    .argument("<username>", "username")
    .option("--password-stdin", "read the password from standard input")
    .option("--suite <suite>", "suite of the identity's keys: Sodium (default) or NIST")
    .option("--app <name>", "application name recorded for the identity (default: account)")
    .action(
      async (
        realmName: string,
        username: string,
        flags: { passwordStdin?: boolean; suite?: string; app?: string },
        command: Command,
      ) => {
        const [options, context] = await adminOptions(io, command);
        const password = await readPassword(io, flags.passwordStdin === true, "New password: ");
        const { registerIdentity } = await identityAdminModule();
        const made = await registerIdentity({
          ...options,
          realmName,
          username,
          password,
          appName: flags.app,
          suite: flags.suite === undefined ? "Sodium" : await suiteFor(io, flags.suite),
        });
        const result = {
          identityId: made.identityId,
          realm: made.realm.name,
          username: made.username,
          clientId: made.clientId,
          noteId: made.noteId,
        };
        printResult(io, context.options.json, result, () =>
          renderPairs([
            ["identity id", result.identityId],
            ["identity", `${result.username} @ ${result.realm}`],
            ["client id", result.clientId],
            ["credential note", result.noteId],
          ]));
      },
    );
  identity
    .command("delete")
    .description("delete an identity with its storage client and that client's data")
    .argument("<realm>", "realm name")
    .argument("<username>", "username")
    .action(async (realmName: string, username: string, _flags: unknown, command: Command) => {
      const [options, context] = await adminOptions(io, command);
      const { deleteIdentity } = await identityAdminModule();
      await deleteIdentity(realmName, username, options);
      printResult(io, context.options.json, { deleted: username }, () => `Deleted ${username}`);
    });
}
