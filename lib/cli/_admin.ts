/**
 * Admin commands against `/v1/arca/admin` (bearer `ARCA_ADMIN_TOKEN`): `arca admin token
 * create|list|revoke`, `arca admin clients [list]` and `arca admin clients disable|enable|delete
 * <id>` (`delete` asks for confirmation unless `--yes`).
 *
 * @module
 */
import type { Command } from "commander";
import { NotFoundError } from "../errors.ts";
import type { AdminClient } from "../sdk/admin_client.ts";
import { type CommandContext, commandContext, idArg, loadConfig } from "./_context.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs, renderTable } from "./_output.ts";
import { confirmOrAbort } from "./_confirm.ts";
import { adminClientModule, registrationModule } from "./_lazy.ts";

/**
 * The admin API's URL: `--api-url`, else `ARCA_API_URL` / `DEFAULT_API_URL`, else the profile's
 * `api_url`, else `http://127.0.0.1:8000`.
 *
 * @example
 * ```ts ignore
 * // Runs in a command action: needs its context and the profile under ~/.tozny.
 * const apiUrl = await adminApiUrl(context, flags.apiUrl);
 * ```
 */
export async function adminApiUrl(
  context: CommandContext,
  flag: string | undefined,
): Promise<string> {
  if (flag !== undefined) return flag;
  for (const name of ["ARCA_API_URL", "DEFAULT_API_URL"]) {
    const value = context.io.env.get(name)?.trim();
    if (value !== undefined && value !== "") return value;
  }
  try {
    return (await loadConfig(context)).apiUrl;
  } catch (error) {
    if (error instanceof NotFoundError) {
      return (await registrationModule()).DEFAULT_API_URL;
    }
    throw error;
  }
}

async function adminClient(io: CliIo, command: Command): Promise<[AdminClient, CommandContext]> {
  const context = commandContext(io, command);
  const adminToken = io.env.get("ARCA_ADMIN_TOKEN")?.trim();
  if (adminToken === undefined || adminToken === "") {
    throw new UsageError("Set ARCA_ADMIN_TOKEN to the server's admin token");
  }
  const flags = command.optsWithGlobals<{ apiUrl?: string }>();
  const apiUrl = await adminApiUrl(context, flags.apiUrl);
  const { AdminClient } = await adminClientModule();
  return [new AdminClient({ apiUrl, adminToken }), context];
}

/**
 * Adds `admin` and its subcommands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { adminCommands } from "./_admin.ts";
 * const program = new Command("arca");
 * adminCommands(program, processIo());
 * assert.equal(program.commands[0]?.name(), "admin");
 * ```
 */
export function adminCommands(program: Command, io: CliIo): void {
  const admin = program
    .command("admin")
    .description("administer a server (needs ARCA_ADMIN_TOKEN)")
    .option("--api-url <url>", "server URL (default: ARCA_API_URL, the profile's, or local)");
  const token = admin.command("token").description("registration tokens");

  token
    .command("create")
    .description("make a registration token (one-time unless --reusable)")
    .option("--name <name>", "a label for the token")
    .option("--reusable", "allow any number of registrations")
    .action(async (flags: { name?: string; reusable?: boolean }, command: Command) => {
      const [client, context] = await adminClient(io, command);
      const issued = await client.createToken({
        name: flags.name,
        oneTime: flags.reusable !== true,
      });
      printResult(io, context.options.json, issued, () =>
        renderPairs([
          ["token id", issued.tokenId],
          ["name", issued.name],
          ["one time", issued.oneTime ? "yes" : "no"],
          ["token (shown only now)", issued.token],
        ]));
    });

  token
    .command("list")
    .description("list registration tokens")
    .action(async (_flags: unknown, command: Command) => {
      const [client, context] = await adminClient(io, command);
      const tokens = await client.listTokens();
      printResult(io, context.options.json, tokens, () =>
        renderTable(
          ["token id", "name", "one time", "uses", "revoked", "created"],
          tokens.map((t) => [
            t.tokenId,
            t.name,
            t.oneTime ? "yes" : "no",
            String(t.uses),
            t.revoked ? "yes" : "no",
            t.created,
          ]),
        ));
    });

  token
    .command("revoke")
    .description("revoke a registration token")
    .argument("<id>", "token id", idArg)
    .action(async (id: string, _flags: unknown, command: Command) => {
      const [client, context] = await adminClient(io, command);
      await client.revokeToken(id);
      printResult(io, context.options.json, { revoked: id }, () => `Revoked token ${id}`);
    });

  const clients = admin.command("clients").description("registered clients");

  clients
    .command("list", { isDefault: true })
    .description("list registered clients (the default)")
    .action(async (_flags: unknown, command: Command) => {
      const [client, context] = await adminClient(io, command);
      const list = await client.listClients();
      printResult(io, context.options.json, list, () =>
        renderTable(
          ["client id", "name", "key type", "created", "backed up", "disabled"],
          list.map((c) => [
            c.clientId,
            c.name,
            c.publicKeyType,
            c.created,
            c.backedUp ?? "",
            c.disabled ? "yes" : "no",
          ]),
        ));
    });

  for (const action of ["disable", "enable"] as const) {
    clients
      .command(action)
      .description(
        action === "disable"
          ? "refuse every request of a client, ending its tokens at once"
          : "let a disabled client log in again (with new tokens)",
      )
      .argument("<id>", "client id", idArg)
      .action(async (id: string, _flags: unknown, command: Command) => {
        const [client, context] = await adminClient(io, command);
        const changed = action === "disable"
          ? await client.disableClient(id)
          : await client.enableClient(id);
        printResult(
          io,
          context.options.json,
          changed,
          () => `${action === "disable" ? "Disabled" : "Enabled"} client ${id}`,
        );
      });
  }

  clients
    .command("delete")
    .description("delete a client with its tokens, records, files, keys and policies")
    .argument("<id>", "client id", idArg)
    .option("--yes", "do not ask for confirmation")
    .action(async (id: string, flags: { yes?: boolean }, command: Command) => {
      const [client, context] = await adminClient(io, command);
      if (flags.yes !== true) await confirmDeletion(io, id);
      await client.deleteClient(id);
      printResult(io, context.options.json, { deleted: id }, () => `Deleted client ${id}`);
    });
}

/** Asks on the terminal (or reads a line from standard input); anything but y/yes aborts. */
async function confirmDeletion(io: CliIo, id: string): Promise<void> {
  await confirmOrAbort(io, `Delete client ${id} and all its data? This cannot be undone. [y/N]`);
}
