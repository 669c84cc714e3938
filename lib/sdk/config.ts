/**
 * Client credentials in E3DB's credential-file format (`~/.tozny/e3db.json`, profiles in
 * `~/.tozny/<profile>/e3db.json`), so a profile written by another E3DB tool works with Arca and
 * the other way round.
 *
 * The file is JSON with four-space indentation and `"version": "2"` as a string (Python compares
 * it with `"2"`); a number is accepted when reading. Arca adds one optional key, `crypto_suite`,
 * and only for NIST clients: Sodium files are exactly what E3DB writes, and E3DB tools ignore the
 * extra key (a NIST key's PEM shape tells the suite anyway).
 *
 * @module
 */
import type { SuiteName } from "../crypto/suite.ts";
import { parseSuiteName } from "../crypto/suites.ts";
import { type EnvReader, processEnv } from "../env_reader.ts";
import { ValidationError } from "../errors.ts";
import { isUuid } from "../protocol/ids.ts";
import { suiteOfKeyText } from "./key_text.ts";
import { normalizeApiUrl } from "./_transport.ts";
import { credentialFilePath, readCredentialJson, writeCredentialText } from "./_credential_file.ts";

/** The credential file as JSON (snake_case, as E3DB writes it). */
export interface CredentialFileJson {
  /** `"2"` with signing keys, `"1"` without. */
  version: "1" | "2";
  /** The client's id. */
  client_id: string;
  /** Basic-auth user name for `/v1/auth/token`. */
  api_key_id: string;
  /** Basic-auth password for `/v1/auth/token`. */
  api_secret: string;
  /** Usually empty. */
  client_email: string;
  /** Encryption public key (wire text). */
  public_key: string;
  /** Encryption private key (wire text). */
  private_key: string;
  /** Signing public key (wire text), version 2 only. */
  public_signing_key?: string;
  /** Signing private key (wire text), version 2 only. */
  private_signing_key?: string;
  /** Base URL of the API. */
  api_url: string;
  /** Arca only, and only `"NIST"`: absent means the suite follows the keys' shape. */
  crypto_suite?: "NIST";
}

/** The fields of a {@linkcode Config}. */
export interface ConfigFields {
  /** 2 when the client has signing keys, else 1. */
  version: 1 | 2;
  /** The client's id (a UUID). */
  clientId: string;
  /** Basic-auth user name for `/v1/auth/token`. */
  apiKeyId: string;
  /** Basic-auth password for `/v1/auth/token`. */
  apiSecret: string;
  /** E3DB's `client_email`; usually empty. */
  clientEmail: string;
  /** Encryption public key (wire text). */
  publicKey: string;
  /** Encryption private key (wire text). */
  privateKey: string;
  /** Signing public key (wire text); present when version is 2. */
  publicSigningKey: string | undefined;
  /** Signing private key (wire text); present when version is 2. */
  privateSigningKey: string | undefined;
  /** Base URL of the API, without a trailing slash. */
  apiUrl: string;
  /** The cipher suite the keys belong to. */
  cryptoSuite: SuiteName;
  /**
   * The suite of the signing keys: `cryptoSuite`, except in E3DB's NIST credential files, whose
   * P-384 encryption keys pair with Ed25519 signing keys (`"Sodium"` then).
   */
  signingSuite: SuiteName;
}

/**
 * Where credential files live: `home` replaces `$HOME` (tests use a temporary folder); `path`
 * names one credential file directly, in place of the profile and home.
 */
export interface ConfigPathOptions {
  /** The home folder; `$HOME` (or `%USERPROFILE%`) by default. */
  home?: string | undefined;
  /** An explicit credential file (such as `./e3db.json`); the profile and home are then unused. */
  path?: string | undefined;
}

/** Options of {@linkcode Config.write}. */
export interface ConfigWriteOptions extends ConfigPathOptions {
  /** Replace an existing file (default false: refuse). */
  overwrite?: boolean | undefined;
}

/** Environment variables {@linkcode Config.fromEnv} reads, by config field. */
export const CONFIG_ENV_NAMES = {
  clientId: "ARCA_CLIENT_ID",
  apiKeyId: "ARCA_API_KEY_ID",
  apiSecret: "ARCA_API_SECRET",
  clientEmail: "ARCA_CLIENT_EMAIL",
  publicKey: "ARCA_PUBLIC_KEY",
  privateKey: "ARCA_PRIVATE_KEY",
  publicSigningKey: "ARCA_PUBLIC_SIGNING_KEY",
  privateSigningKey: "ARCA_PRIVATE_SIGNING_KEY",
  apiUrl: "ARCA_API_URL",
  cryptoSuite: "ARCA_CRYPTO_SUITE",
} as const;

/** E3DB's own variable names, read when the Arca one is unset. */
const E3DB_ENV_FALLBACKS: Partial<Record<keyof typeof CONFIG_ENV_NAMES, string>> = {
  apiUrl: "DEFAULT_API_URL",
  cryptoSuite: "CRYPTO_SUITE",
};

/** The snake_case key and the camelCase key of each field, as accepted by `fromObject`. */
const FIELD_KEYS = {
  clientId: ["client_id", "clientId"],
  apiKeyId: ["api_key_id", "apiKeyId"],
  apiSecret: ["api_secret", "apiSecret"],
  clientEmail: ["client_email", "clientEmail"],
  publicKey: ["public_key", "publicKey"],
  privateKey: ["private_key", "privateKey"],
  publicSigningKey: ["public_signing_key", "publicSigningKey"],
  privateSigningKey: ["private_signing_key", "privateSigningKey"],
  apiUrl: ["api_url", "apiUrl"],
  cryptoSuite: ["crypto_suite", "cryptoSuite"],
  version: ["version", "version"],
} as const;

/**
 * A client's credentials: ids, API key pair, key pairs and API URL.
 *
 * @example Loading a profile and making a client
 * ```ts ignore
 * // Reads a credential file under ~/.tozny.
 * import { Client, Config } from "@arca/arca";
 * const config = await Config.load("work"); // ~/.tozny/work/e3db.json
 * const client = new Client(config);
 * ```
 */
export class Config implements Readonly<ConfigFields> {
  /** 2 when the client has signing keys, else 1. */
  readonly version: 1 | 2;
  /** The client's id (a UUID, lower case). */
  readonly clientId: string;
  /** Basic-auth user name for `/v1/auth/token`. */
  readonly apiKeyId: string;
  /** Basic-auth password for `/v1/auth/token`. A secret: never print it. */
  readonly apiSecret: string;
  /** E3DB's `client_email`; usually empty. */
  readonly clientEmail: string;
  /** Encryption public key (wire text). */
  readonly publicKey: string;
  /** Encryption private key (wire text). A secret. */
  readonly privateKey: string;
  /** Signing public key (wire text), when version is 2. */
  readonly publicSigningKey: string | undefined;
  /** Signing private key (wire text), when version is 2. A secret. */
  readonly privateSigningKey: string | undefined;
  /** Base URL of the API, without a trailing slash. */
  readonly apiUrl: string;
  /** The cipher suite of the keys. */
  readonly cryptoSuite: SuiteName;
  /**
   * The suite of the signing keys: `cryptoSuite`, except for E3DB's NIST credential files (P-384
   * encryption keys with Ed25519 signing keys), where it is `"Sodium"`.
   */
  readonly signingSuite: SuiteName;

  private constructor(fields: ConfigFields) {
    this.version = fields.version;
    this.clientId = fields.clientId;
    this.apiKeyId = fields.apiKeyId;
    this.apiSecret = fields.apiSecret;
    this.clientEmail = fields.clientEmail;
    this.publicKey = fields.publicKey;
    this.privateKey = fields.privateKey;
    this.publicSigningKey = fields.publicSigningKey;
    this.privateSigningKey = fields.privateSigningKey;
    this.apiUrl = fields.apiUrl;
    this.cryptoSuite = fields.cryptoSuite;
    this.signingSuite = fields.signingSuite;
    Object.freeze(this);
  }

  /**
   * Builds a config from an object with E3DB's snake_case keys (a parsed credential file) or the
   * JS SDK's camelCase keys. `version` may be `"2"`, `2`, `"1"` or `1`; without it, 2 is assumed
   * when both signing keys are present. A version-1 config ignores signing keys, as E3DB does.
   * Every field is validated; the suite is read from the keys' shape and must agree with
   * `crypto_suite` when that is given.
   *
   * @example
   * ```ts ignore
   * // Reads an e3db.json credential file.
   * import { Config } from "./config.ts";
   * const config = Config.fromObject(JSON.parse(await Deno.readTextFile("e3db.json")));
   * console.log(config.clientId);
   * ```
   */
  static fromObject(object: unknown): Config {
    if (object === null || typeof object !== "object" || Array.isArray(object)) {
      throw new ValidationError("Config must be an object");
    }
    const source = object as Record<string, unknown>;
    const pick = (field: keyof typeof FIELD_KEYS): unknown => {
      const [snake, camel] = FIELD_KEYS[field];
      return source[snake] ?? source[camel];
    };
    const text = (field: keyof typeof FIELD_KEYS, optional = false): string | undefined => {
      const value = pick(field);
      const name = FIELD_KEYS[field][0];
      if (value === undefined || value === null || value === "") {
        if (optional) return undefined;
        throw new ValidationError(`Config "${name}" is missing`);
      }
      if (typeof value !== "string") {
        throw new ValidationError(`Config "${name}" must be a string, got ${typeof value}`);
      }
      return value.trim();
    };

    const clientId = text("clientId")!;
    if (!isUuid(clientId)) {
      throw new ValidationError(`Config "client_id" must be a UUID, got "${clientId}"`);
    }
    const publicKey = text("publicKey")!;
    const privateKey = text("privateKey")!;
    const keySuite = suiteOfKeyText(publicKey, "public", 'Config "public_key"');
    requireSuite(suiteOfKeyText(privateKey, "private", 'Config "private_key"'), keySuite);

    const version = parseVersion(pick("version"));
    let publicSigningKey = text("publicSigningKey", true);
    let privateSigningKey = text("privateSigningKey", true);
    const resolvedVersion = version ??
      (publicSigningKey !== undefined && privateSigningKey !== undefined ? 2 : 1);
    let signingSuite = keySuite;
    if (resolvedVersion === 1) {
      publicSigningKey = undefined;
      privateSigningKey = undefined;
    } else {
      if (publicSigningKey === undefined || privateSigningKey === undefined) {
        throw new ValidationError(
          'Config version "2" needs "public_signing_key" and "private_signing_key"',
        );
      }
      signingSuite = suiteOfKeyText(
        publicSigningKey,
        "public signing",
        'Config "public_signing_key"',
      );
      requireSuite(
        suiteOfKeyText(privateSigningKey, "private signing", 'Config "private_signing_key"'),
        signingSuite,
      );
      requireSigningSuite(keySuite, signingSuite);
    }

    const declared = text("cryptoSuite", true);
    if (declared !== undefined && parseSuiteName(declared) !== keySuite) {
      throw new ValidationError(
        `Config "crypto_suite" is "${declared}", but the keys are ${keySuite} keys`,
      );
    }
    const apiKeyId = text("apiKeyId")!;
    if (apiKeyId.includes(":")) {
      throw new ValidationError('Config "api_key_id" must not contain ":"');
    }
    const email = pick("clientEmail");
    if (email !== undefined && email !== null && typeof email !== "string") {
      throw new ValidationError('Config "client_email" must be a string');
    }
    return new Config({
      version: resolvedVersion,
      clientId: clientId.toLowerCase(),
      apiKeyId,
      apiSecret: text("apiSecret")!,
      clientEmail: typeof email === "string" ? email : "",
      publicKey,
      privateKey,
      publicSigningKey,
      privateSigningKey,
      apiUrl: normalizeApiUrl(text("apiUrl")!),
      cryptoSuite: keySuite,
      signingSuite,
    });
  }

  /**
   * Builds a config from environment variables: `ARCA_CLIENT_ID`, `ARCA_API_KEY_ID`,
   * `ARCA_API_SECRET`, `ARCA_PUBLIC_KEY`, `ARCA_PRIVATE_KEY`, `ARCA_PUBLIC_SIGNING_KEY`,
   * `ARCA_PRIVATE_SIGNING_KEY`, `ARCA_API_URL` (or E3DB's `DEFAULT_API_URL`),
   * `ARCA_CLIENT_EMAIL` and `ARCA_CRYPTO_SUITE` (or E3DB's `CRYPTO_SUITE`; checked against the
   * keys). Signing keys are optional: without them the config is version 1.
   *
   * @example
   * ```ts ignore
   * // Needs ARCA_* credentials in the environment.
   * import { Config } from "./config.ts";
   * const config = Config.fromEnv(); // reads Deno.env
   * ```
   */
  static fromEnv(env: EnvReader = processEnv()): Config {
    if (env === null || typeof env !== "object" || typeof env.get !== "function") {
      throw new ValidationError("Environment must have a get(name) method");
    }
    const read = (field: keyof typeof CONFIG_ENV_NAMES): string | undefined => {
      const names = [CONFIG_ENV_NAMES[field], E3DB_ENV_FALLBACKS[field]];
      for (const name of names) {
        const value = name === undefined ? undefined : env.get(name)?.trim();
        if (value !== undefined && value !== "") return value;
      }
      return undefined;
    };
    const required = [
      "clientId",
      "apiKeyId",
      "apiSecret",
      "publicKey",
      "privateKey",
      "apiUrl",
    ] as const;
    const missing = required.filter((field) => read(field) === undefined)
      .map((field) => CONFIG_ENV_NAMES[field]);
    if (missing.length > 0) {
      throw new ValidationError(`Environment variable ${missing.join(", ")} is not set`);
    }
    const declared = read("cryptoSuite");
    const object: Record<string, string | undefined> = {
      client_id: read("clientId"),
      api_key_id: read("apiKeyId"),
      api_secret: read("apiSecret"),
      client_email: read("clientEmail"),
      public_key: read("publicKey"),
      private_key: read("privateKey"),
      public_signing_key: read("publicSigningKey"),
      private_signing_key: read("privateSigningKey"),
      api_url: read("apiUrl"),
      crypto_suite: declared,
    };
    return Config.fromObject(object);
  }

  /**
   * The path of a profile's credential file: `<home>/.tozny/e3db.json` for the default profile,
   * `<home>/.tozny/<profile>/e3db.json` otherwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Config } from "./config.ts";
   * assert.equal(Config.path("work", { home: "/home/ann" }), "/home/ann/.tozny/work/e3db.json");
   * assert.equal(Config.path(undefined, { path: "./e3db.json" }), "./e3db.json");
   * ```
   */
  static path(profile?: string, options: ConfigPathOptions = {}): string {
    return credentialFilePath(profile, options);
  }

  /**
   * Reads a profile's credential file (see {@linkcode Config.path}), or the file given as
   * `{ path }` — any E3DB credential file, such as one E3DB's Python SDK wrote.
   *
   * @example
   * ```ts ignore
   * // Reads a credential file under ~/.tozny, then one by its path.
   * import { Config } from "./config.ts";
   * const config = await Config.load(); // ~/.tozny/e3db.json
   * const other = await Config.load(undefined, { path: "./e3db.json" });
   * ```
   */
  static async load(profile?: string, options: ConfigPathOptions = {}): Promise<Config> {
    const path = Config.path(profile, options);
    const json = await readCredentialJson(path);
    try {
      return Config.fromObject(json);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(`Credential file "${path}": ${error.message}`, { cause: error });
    }
  }

  /**
   * Writes this config to a profile's credential file (mode 0600, its folder 0700) and returns
   * the path. Refuses to replace an existing file (a `ConflictError`) unless
   * `overwrite` is set.
   *
   * @example
   * ```ts ignore
   * // Writes a credential file under ~/.tozny.
   * const path = await config.write("work");
   * console.log(path); // ~/.tozny/work/e3db.json
   * ```
   */
  async write(profile?: string, options: ConfigWriteOptions = {}): Promise<string> {
    const path = Config.path(profile, options);
    const text = `${JSON.stringify(this.toJSON(), null, 4)}\n`;
    await writeCredentialText(path, text, options.overwrite === true);
    return path;
  }

  /**
   * The credential-file JSON: E3DB's keys and order, `version` as a string, `crypto_suite` only
   * for NIST.
   *
   * @example
   * ```ts ignore
   * // Needs a client's config (see Config.load).
   * console.log(JSON.stringify(config.toJSON(), null, 4));
   * ```
   */
  toJSON(): CredentialFileJson {
    const signing = this.publicSigningKey !== undefined && this.privateSigningKey !== undefined
      ? { public_signing_key: this.publicSigningKey, private_signing_key: this.privateSigningKey }
      : {};
    return {
      version: this.version === 2 ? "2" : "1",
      client_id: this.clientId,
      api_key_id: this.apiKeyId,
      api_secret: this.apiSecret,
      client_email: this.clientEmail,
      public_key: this.publicKey,
      private_key: this.privateKey,
      ...signing,
      api_url: this.apiUrl,
      ...(this.cryptoSuite === "NIST" ? { crypto_suite: "NIST" as const } : {}),
    };
  }

  /** Whether the config carries a signing key pair (version 2). */
  get hasSigningKeys(): boolean {
    return this.publicSigningKey !== undefined && this.privateSigningKey !== undefined;
  }
}

function parseVersion(value: unknown): 1 | 2 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "2" || value === 2) return 2;
  if (value === "1" || value === 1) return 1;
  throw new ValidationError(`Config "version" must be "1" or "2", got ${JSON.stringify(value)}`);
}

function requireSuite(actual: SuiteName, expected: SuiteName): void {
  if (actual !== expected) {
    throw new ValidationError(`Config mixes ${expected} and ${actual} keys`);
  }
}

/**
 * Signing keys follow the encryption keys' suite, with one exception: E3DB's Python SDK in NIST
 * mode pairs P-384 encryption keys with Ed25519 signing keys (spec §3.8), and Arca loads those.
 */
function requireSigningSuite(encryption: SuiteName, signing: SuiteName): void {
  if (signing === encryption || (encryption === "NIST" && signing === "Sodium")) return;
  throw new ValidationError(
    `Config mixes ${encryption} encryption keys and ${signing} signing keys ` +
      "(only NIST encryption keys may pair with Ed25519 signing keys, as E3DB's NIST files do)",
  );
}
