/**
 * What every command shares: the global options (`--profile`, `--config`, `--json`), the
 * profile's client, and parsing helpers for option values.
 *
 * Command modules load the SDK inside their actions, through `_lazy.ts`, so `arca --help` loads
 * only commander and the command table.
 *
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import type { SuiteName } from "../crypto/suite.ts";
import { ValidationError } from "../errors.ts";
import type { Client } from "../sdk/client.ts";
import type { Config, ConfigPathOptions } from "../sdk/config.ts";
import { isUuid } from "../protocol/ids.ts";
import { confirmOrAbort } from "./_confirm.ts";
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { clientModule, configModule, suitesModule } from "./_lazy.ts";

/** The options every command accepts. */
export interface GlobalOptions {
  /** Profile name (`--profile`, else `ARCA_PROFILE`, else the default profile). */
  profile: string | undefined;
  /** Print JSON instead of tables. */
  json: boolean;
  /** An explicit credential file (`--config`), in place of the profile. */
  config: string | undefined;
}

/** A command's view of the CLI: its io and global options. */
export interface CommandContext {
  /** Where output goes. */
  io: CliIo;
  /** `--profile` / `--json`. */
  options: GlobalOptions;
}

/**
 * Reads the global options as seen from `command` (they may come before or after the
 * subcommand).
 *
 * @example
 * ```ts ignore
 * // Runs in a command action: needs its `command`.
 * const context = commandContext(io, command);
 * ```
 */
export function commandContext(io: CliIo, command: Command): CommandContext {
  const all = command.optsWithGlobals<{ profile?: string; json?: boolean; config?: string }>();
  const fromEnv = io.env.get("ARCA_PROFILE")?.trim();
  const profile = all.profile ?? (fromEnv === "" ? undefined : fromEnv);
  return { io, options: { profile, json: all.json === true, config: all.config } };
}

/**
 * Where the command's credential file is: `--config FILE`, else the profile under the home
 * folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Config } from "../sdk/config.ts";
 * import { profileLocation } from "./_context.ts";
 * import { processIo } from "./io.ts";
 * const io = { ...processIo(), env: new Map([["HOME", "/home/jon"]]) };
 * const context = { io, options: { profile: undefined, json: false, config: "./e3db.json" } };
 * assert.equal(Config.path(context.options.profile, profileLocation(context)), "./e3db.json");
 * ```
 */
export function profileLocation(context: CommandContext): ConfigPathOptions {
  return { home: homeOf(context.io), path: context.options.config };
}

/**
 * The credential file of the command: `--config FILE`, else the profile's file.
 *
 * @example
 * ```ts ignore
 * // Runs in a command action.
 * const path = await profilePath(context);
 * ```
 */
export async function profilePath(context: CommandContext): Promise<string> {
  const { Config } = await configModule();
  return Config.path(context.options.profile, profileLocation(context));
}

/**
 * The home folder credential files live under (`HOME`, else `USERPROFILE`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { homeOf } from "./_context.ts";
 * import { processIo } from "./io.ts";
 * assert.equal(homeOf({ ...processIo(), env: new Map([["HOME", "/home/jon"]]) }), "/home/jon");
 * ```
 */
export function homeOf(io: CliIo): string | undefined {
  return io.env.get("HOME") ?? io.env.get("USERPROFILE");
}

/** How a command may treat an existing credential file: `--overwrite`, and `--yes` to not ask. */
export interface ReplaceFlags {
  /** Replace an existing file. */
  overwrite?: boolean | undefined;
  /** Replace without asking first. */
  yes?: boolean | undefined;
}

/**
 * Where a new profile's credential file goes (nothing is generated or sent before this check).
 * An existing file is a {@linkcode UsageError} that suggests another `--profile`; with
 * `--overwrite` the command asks first (its client's private keys are lost), unless `--yes`.
 *
 * @example
 * ```ts ignore
 * // Runs in a command action: reads the profile folder under ~/.tozny.
 * const path = await newProfilePath(context, flags);
 * ```
 */
export async function newProfilePath(
  context: CommandContext,
  flags: ReplaceFlags,
): Promise<string> {
  const path = await profilePath(context);
  if (!(await exists(path))) return path;
  if (flags.overwrite !== true) {
    throw new UsageError(
      `Profile file "${path}" already exists: save this one under another name with ` +
        "--profile NAME (or replace it with --overwrite, which loses its client's keys)",
    );
  }
  if (flags.yes !== true) {
    await confirmOrAbort(
      context.io,
      `Replace "${path}"? Its client's private keys are lost unless backed up. [y/N]`,
      "Not confirmed: nothing replaced (pass --yes to skip the question)",
    );
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Loads the profile's config.
 *
 * @example
 * ```ts ignore
 * // Runs in a command action: reads the profile under ~/.tozny.
 * const config = await loadConfig(context);
 * ```
 */
export async function loadConfig(context: CommandContext): Promise<Config> {
  const { Config } = await configModule();
  return await Config.load(context.options.profile, profileLocation(context));
}

/**
 * A client for the profile's credentials. The config is read first, then its cipher suites'
 * modules load: for Sodium, libsodium's WebAssembly then compiles on V8's background threads
 * while the SDK's modules load and run. The client is returned without waiting for the suites
 * to be ready, so its first bearer token is fetched meanwhile (its context waits for them before
 * any crypto, and reports a failure to load them).
 *
 * @example
 * ```ts ignore
 * // Runs in a command action: reads the profile under ~/.tozny.
 * const client = await loadClient(context);
 * ```
 */
export async function loadClient(context: CommandContext): Promise<Client> {
  const config = await loadConfig(context);
  const { loadSuiteModule } = await suitesModule();
  await Promise.all([loadSuiteModule(config.cryptoSuite), loadSuiteModule(config.signingSuite)]);
  const { Client } = await clientModule();
  return new Client(config);
}

/**
 * Commander parser for a JSON object of strings (`--data`, `--plain`); a bad value is a usage
 * error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonMapArg } from "./_context.ts";
 * assert.deepEqual(jsonMapArg('{"name":"Jon"}'), { name: "Jon" });
 * ```
 */
export function jsonMapArg(text: string): Record<string, string> {
  const value = jsonArg(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidArgumentError("Expected a JSON object of strings.");
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new InvalidArgumentError(`Value "${key}" must be a string, got ${typeof item}.`);
    }
  }
  return value as Record<string, string>;
}

/**
 * Commander parser for JSON text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonArg } from "./_context.ts";
 * assert.deepEqual(jsonArg("[1]"), [1]);
 * ```
 */
export function jsonArg(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError("Not valid JSON.");
  }
}

/**
 * Commander parser for a client or record id (a UUID).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idArg } from "./_context.ts";
 * assert.equal(
 *   idArg("0E8EB8C6-839F-46CA-9843-801C539E490F"),
 *   "0e8eb8c6-839f-46ca-9843-801c539e490f",
 * );
 * ```
 */
export function idArg(text: string): string {
  if (!isUuid(text)) throw new InvalidArgumentError("Expected a UUID.");
  return text.toLowerCase();
}

/**
 * Commander parser for repeatable ids (`--writer a --writer b`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idListArg } from "./_context.ts";
 * const first = idListArg("0e8eb8c6-839f-46ca-9843-801c539e490f", undefined);
 * assert.equal(first.length, 1);
 * ```
 */
export function idListArg(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), idArg(text)];
}

/**
 * Commander parser for repeatable strings (`--type a --type b`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listArg } from "./_context.ts";
 * assert.deepEqual(listArg("b", ["a"]), ["a", "b"]);
 * ```
 */
export function listArg(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text];
}

/**
 * Makes a commander parser for an integer in `[min, max]` (`--limit`, `--port`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integerArg } from "./_context.ts";
 * assert.equal(integerArg(1, 1000)("10"), 10);
 * ```
 */
export function integerArg(min: number, max: number): (text: string) => number {
  return (text: string) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    }
    return value;
  };
}

/**
 * The suite for new keys: `--suite`, else `ARCA_CRYPTO_SUITE` / `CRYPTO_SUITE`, else Sodium.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { suiteFor } from "./_context.ts";
 * import { processIo } from "./io.ts";
 * const io = { ...processIo(), env: new Map([["ARCA_CRYPTO_SUITE", "NIST"]]) };
 * assert.equal(await suiteFor(io, undefined), "NIST");
 * assert.equal(await suiteFor(io, "sodium"), "Sodium");
 * ```
 */
export async function suiteFor(io: CliIo, option: string | undefined): Promise<SuiteName> {
  const text = option ?? io.env.get("ARCA_CRYPTO_SUITE") ?? io.env.get("CRYPTO_SUITE");
  if (text === undefined || text.trim() === "") return "Sodium";
  const { parseSuiteName } = await suitesModule();
  try {
    return parseSuiteName(text);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}
