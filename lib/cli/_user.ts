/**
 * `arca user create|login <id>|reminder <id>|change-credentials|delete|keys <id>`: users with
 * key files. `create` and `login` save the user's client as a profile (like `register` and
 * `login`), so every other command works as that user; `change-credentials`, `delete` and
 * `keys` act as the profile's user. Passwords and passphrases are typed without echo, or read
 * one per line from standard input with `--secrets-stdin`; never from arguments.
 *
 * @module
 */
import { join } from "node:path";
import type { Command } from "commander";
import type { KeyFileKdf } from "../crypto/key_file.ts";
import type { Arca } from "../sdk/users/app.ts";
import type { Provider } from "../sdk/users/app_options.ts";
import type { Config } from "../sdk/config.ts";
import type { Session } from "../sdk/users/session.ts";
import { confirmOrAbort } from "./_confirm.ts";
import {
  type CommandContext,
  commandContext,
  homeOf,
  idArg,
  jsonArg,
  loadConfig,
  newProfilePath,
  profileLocation,
  profilePath,
  suiteFor,
} from "./_context.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { printResult, renderPairs } from "./_output.ts";
import { readSecrets } from "./_secret_input.ts";
import { registrationModule, usersAppModule } from "./_lazy.ts";

/** The flags of `arca user` commands (and of the commands that act as the profile's user). */
export interface UserFlags {
  apiUrl?: string;
  rootDir?: string;
  provider?: string;
  suite?: string;
  keyFileKdf?: KeyFileKdf;
  secretsStdin?: boolean;
  overwrite?: boolean;
  reminder?: string;
  token?: string;
  passphrase?: boolean;
  passphraseOnly?: boolean;
  yes?: boolean;
}

function kdfArg(text: string): KeyFileKdf {
  return jsonArg(text) as KeyFileKdf;
}

/** The options every `arca user` command takes (and the container, access and event ones). */
export function withAppOptions(command: Command): Command {
  return command
    .option("--api-url <url>", "server URL (default: ARCA_API_URL or http://127.0.0.1:8000)")
    .option(
      "--root-dir <dir>",
      "where the local key files and cache go (default: ARCA_ROOT_DIR or ~/.arca)",
    )
    .option(
      "--provider <provider>",
      "server, ofs or server_cache_ofs (default: ARCA_PROVIDER or server_cache_ofs)",
    )
    .option(
      "--key-file-kdf <json>",
      'key file KDF cost and accepted minimum, e.g. {"opslimit":3} (default: ARCA_KEY_FILE_KDF)',
      kdfArg,
    );
}

async function cliApp(io: CliIo, flags: UserFlags, apiKey = ""): Promise<Arca> {
  const home = homeOf(io);
  const kdfText = io.env.get("ARCA_KEY_FILE_KDF");
  const { Arca } = await usersAppModule();
  const { defaultApiUrl } = await registrationModule();
  return await Arca.initialize(apiKey, {
    serverUrl: flags.apiUrl ?? defaultApiUrl(io.env),
    rootDir: flags.rootDir ?? io.env.get("ARCA_ROOT_DIR") ??
      (home === undefined ? "." : join(home, ".arca")),
    provider: (flags.provider ?? io.env.get("ARCA_PROVIDER") ?? undefined) as Provider | undefined,
    suite: await suiteFor(io, flags.suite),
    keyFileKdf: flags.keyFileKdf ??
      (kdfText === undefined || kdfText === "" ? undefined : kdfArg(kdfText)),
  });
}

/** The profile's user as a session (the credentials `create` or `login` saved). */
export async function profileSession(
  context: CommandContext,
  flags: UserFlags,
): Promise<[Session, Config]> {
  const config = await loadConfig(context);
  const app = await cliApp(context.io, { ...flags, apiUrl: flags.apiUrl ?? config.apiUrl });
  return [app.resume(config), config];
}

async function saveProfile(
  context: CommandContext,
  session: Session,
  overwrite: boolean,
): Promise<string> {
  return await session.client.config.write(context.options.profile, {
    ...profileLocation(context),
    overwrite,
  });
}

function loginSecrets(flags: UserFlags): { prompts: string[]; names: string[] } {
  if (flags.passphraseOnly === true) return { prompts: ["Passphrase: "], names: ["passphrase"] };
  if (flags.passphrase === true) {
    return { prompts: ["Password: ", "Passphrase: "], names: ["password", "passphrase"] };
  }
  return { prompts: ["Password: "], names: ["password"] };
}

/**
 * Adds `user` and its commands to the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "commander";
 * import { processIo } from "./io.ts";
 * import { userCommands } from "./_user.ts";
 * const program = new Command("arca");
 * userCommands(program, processIo());
 * const names = program.commands[0]?.commands.map((command) => command.name());
 * assert.deepEqual(names, ["create", "login", "reminder", "change-credentials", "delete", "keys"]);
 * ```
 */
export function userCommands(program: Command, io: CliIo): void {
  const user = program.command("user").description("users with password-sealed key files");

  withAppOptions(user.command("create"))
    .description("create a user (keys, registration, key file) and save it as a profile")
    .option("--token <token>", "registration token (default: ARCA_REGISTRATION_TOKEN)")
    .option("--reminder <text>", "public reminder of the passphrase (default: empty)")
    .option("--suite <suite>", "cipher suite: Sodium or NIST (default: ARCA_CRYPTO_SUITE)")
    .option("--secrets-stdin", "read the password and the passphrase, one per line, from stdin")
    .option("--overwrite", "replace an existing credential file (asks first)")
    .option("--yes", "with --overwrite: replace without asking")
    .action(async (flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const token = flags.token ?? io.env.get("ARCA_REGISTRATION_TOKEN");
      if (token === undefined || token.trim() === "") {
        throw new UsageError("Give the registration token with --token or ARCA_REGISTRATION_TOKEN");
      }
      await newProfilePath(context, flags);
      const [password, passphrase] = await readSecrets(io, flags.secretsStdin === true, [
        "Password: ",
        "Passphrase: ",
      ]);
      const app = await cliApp(io, flags, token);
      const session = await app.users.create(password!, flags.reminder ?? "", passphrase!);
      const path = await saveProfile(context, session, flags.overwrite === true);
      const result = {
        userId: session.userId,
        suite: session.client.config.cryptoSuite,
        apiUrl: session.client.config.apiUrl,
        checksum: session.checksum,
        keyFile: app.localKeyFilePath(session.userId) ?? "",
        profile: context.options.profile ?? "",
        path,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["user id", result.userId],
          ["suite", result.suite],
          ["checksum", result.checksum],
          ["key file", result.keyFile],
          ["saved to", result.path],
        ]));
    });

  withAppOptions(user.command("login"))
    .description("log in with the password (local key file) or the passphrase (server copy)")
    .argument("<id>", "user id", idArg)
    .option("--passphrase", "also ask for the passphrase (to fetch the server's key file)")
    .option("--passphrase-only", "ask only for the passphrase (recovers the password)")
    .option("--secrets-stdin", "read the secrets, one per line (password first), from stdin")
    .option("--overwrite", "replace an existing credential file (asks first)")
    .option("--yes", "with --overwrite: replace without asking")
    .action(async (id: string, flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      await newProfilePath(context, flags);
      const { prompts, names } = loginSecrets(flags);
      const secrets = await readSecrets(io, flags.secretsStdin === true, prompts);
      const credentials = Object.fromEntries(names.map((name, index) => [name, secrets[index]]));
      const app = await cliApp(io, flags);
      const session = await app.login(id, credentials);
      const path = await saveProfile(context, session, flags.overwrite === true);
      const result = {
        userId: session.userId,
        checksum: session.checksum,
        keyFile: app.localKeyFilePath(session.userId) ?? "",
        profile: context.options.profile ?? "",
        path,
      };
      printResult(io, context.options.json, result, () =>
        renderPairs([
          ["logged in", result.userId],
          ["checksum", result.checksum],
          ["key file", result.keyFile],
          ["saved to", result.path],
        ]));
    });

  withAppOptions(user.command("reminder"))
    .description("print a user's public passphrase reminder")
    .argument("<id>", "user id", idArg)
    .action(async (id: string, flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const reminder = await (await cliApp(io, flags)).users.getBackupReminder(id);
      printResult(io, context.options.json, { userId: id, reminder }, () => reminder);
    });

  withAppOptions(user.command("change-credentials"))
    .description("re-seal the profile user's key file under a new password and passphrase")
    .option("--reminder <text>", "a new public reminder (default: keep the current one)")
    .option("--secrets-stdin", "read the new password and passphrase, one per line, from stdin")
    .action(async (flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const [password, passphrase] = await readSecrets(io, flags.secretsStdin === true, [
        "New password: ",
        "New passphrase: ",
      ]);
      await session.changeCredentials(password!, passphrase!, flags.reminder);
      const result = { userId: session.userId, checksum: session.checksum };
      printResult(
        io,
        context.options.json,
        result,
        () => renderPairs([["user id", result.userId], ["new checksum", result.checksum]]),
      );
    });

  withAppOptions(user.command("delete"))
    .description("delete the profile's user for good (client, key file, tokens, shares)")
    .option("--yes", "do not ask for confirmation")
    .action(async (flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const id = session.userId;
      if (flags.yes !== true) {
        await confirmOrAbort(
          io,
          `Delete user ${id} and all its data? This cannot be undone. [y/N]`,
        );
      }
      await session.delete();
      await Deno.remove(await profilePath(context)).catch(
        (error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        },
      );
      printResult(io, context.options.json, { deleted: id }, () => `Deleted user ${id}`);
    });

  withAppOptions(user.command("keys"))
    .description("print a user's public keys")
    .argument("<id>", "user id", idArg)
    .action(async (id: string, flags: UserFlags, command: Command) => {
      const context = commandContext(io, command);
      const [session] = await profileSession(context, flags);
      const keys = await session.keys.get(id);
      printResult(io, context.options.json, keys, () =>
        renderPairs([
          ["user id", keys.userId],
          ["public key", `${keys.publicKeyType} ${keys.publicKey}`],
          [
            "signing key",
            keys.signingKey === null ? "" : `${keys.signingKeyType} ${keys.signingKey}`,
          ],
        ]));
    });
}
