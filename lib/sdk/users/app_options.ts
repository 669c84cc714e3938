/**
 * The options of an Arca application (`Arca.initialize`), checked once: where the server is,
 * where local files go, the suite and key-file KDF cost of new users, and validators.
 *
 * @module
 */
import type { KeyFileKdf } from "../../crypto/key_file.ts";
import type { SuiteName } from "../../crypto/suite.ts";
import { parseSuiteName, suiteNameFromEnv } from "../../crypto/suites.ts";
import { ValidationError } from "../../errors.ts";
import { MAX_NAME_LENGTH } from "../../protocol/name_limits.ts";
import { defaultApiUrl } from "../registration.ts";
import { normalizeApiUrl } from "../_transport.ts";
import type { Validators } from "./validators.ts";

/**
 * Where an application keeps users' data (docs/cache.md): `"server"` keeps nothing local;
 * `"ofs"` keeps everything in the local encrypted cache under `rootDir`, with no server at all;
 * `"server_cache_ofs"` (the default) reads the cache first, then the server, and writes to the
 * server, then the cache.
 */
export type Provider = "server" | "ofs" | "server_cache_ofs";

/** The providers, in the order the documentation lists them. */
export const PROVIDERS: readonly Provider[] = ["server", "ofs", "server_cache_ofs"];

/** Options of `Arca.initialize` and the module-level `initialize`. */
export interface ArcaOptions {
  /** The server's base URL; `ARCA_API_URL` or `http://127.0.0.1:8000` by default. */
  serverUrl?: string | undefined;
  /** The application's name: new users' clients are registered under it (default `arca-user`). */
  appName?: string | undefined;
  /** Where local files go (key files and the cache: `<rootDir>/arca/cache/`); default `.`. */
  rootDir?: string | undefined;
  /** Where data lives; see {@linkcode Provider} (default `"server_cache_ofs"`). */
  provider?: Provider | undefined;
  /** The suite of new users' keys; `ARCA_CRYPTO_SUITE` or Sodium by default. */
  suite?: SuiteName | undefined;
  /**
   * The key-file KDF cost of new users, and the least cost accepted from a key file or the
   * server. Defaults: Argon2id 3 passes and 256 MiB; PBKDF2-SHA384 600,000 iterations.
   */
  keyFileKdf?: KeyFileKdf | undefined;
  /** Validators of this application (before the global ones). */
  validators?: Validators | undefined;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch, for cached accesses' expiry; `Date.now` by default. */
  now?: (() => number) | undefined;
}

/** The checked options an application and its sessions share. */
export interface AppSettings {
  /** The registration token new users register with (`""` when the app only logs users in). */
  readonly apiKey: string;
  /** Normalized server URL. */
  readonly serverUrl: string;
  /** Client name of new users. */
  readonly appName: string;
  /** Local root folder. */
  readonly rootDir: string;
  /** The provider. */
  readonly provider: Provider;
  /** Suite of new users. */
  readonly suite: SuiteName;
  /** KDF cost of new key files, and the minimum accepted. */
  readonly keyFileKdf: KeyFileKdf | undefined;
  /** The application's validators. */
  readonly validators: Validators | undefined;
  /** `fetch` for every request. */
  readonly fetch: typeof fetch | undefined;
  /** The clock of expiry checks (ms since the epoch). */
  readonly now: () => number;
}

/** The client name new users register with when no `appName` is given. */
export const DEFAULT_USER_CLIENT_NAME = "arca-user";

/**
 * Checks the options of `Arca.initialize`; {@linkcode ValidationError} for a malformed one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appSettings } from "./app_options.ts";
 * const settings = appSettings("token", { serverUrl: "http://127.0.0.1:8000/", suite: "NIST" });
 * assert.equal(settings.serverUrl, "http://127.0.0.1:8000");
 * assert.equal(settings.provider, "server_cache_ofs");
 * assert.equal(settings.rootDir, ".");
 * ```
 */
export function appSettings(apiKey: unknown, options: ArcaOptions = {}): AppSettings {
  if (typeof apiKey !== "string") {
    throw new ValidationError("API key (a registration token) must be a string");
  }
  if (options === null || typeof options !== "object") {
    throw new ValidationError("Options must be an object");
  }
  const appName = options.appName ?? DEFAULT_USER_CLIENT_NAME;
  if (typeof appName !== "string" || appName.trim() === "" || appName.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`appName must be 1-${MAX_NAME_LENGTH} characters`);
  }
  const rootDir = options.rootDir ?? ".";
  if (typeof rootDir !== "string" || rootDir === "") {
    throw new ValidationError("rootDir must be a non-empty string");
  }
  const provider = options.provider ?? "server_cache_ofs";
  if (!PROVIDERS.includes(provider)) {
    throw new ValidationError(`provider must be one of ${PROVIDERS.join(", ")}`);
  }
  const kdf = options.keyFileKdf;
  if (kdf !== undefined && (kdf === null || typeof kdf !== "object")) {
    throw new ValidationError("keyFileKdf must be an object { opslimit?, memlimit?, iterations? }");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new ValidationError("fetch must be a function");
  }
  if (options.now !== undefined && typeof options.now !== "function") {
    throw new ValidationError("now must be a function returning milliseconds since the epoch");
  }
  return {
    apiKey,
    serverUrl: normalizeApiUrl(options.serverUrl ?? defaultApiUrl()),
    appName,
    rootDir,
    provider,
    suite: options.suite === undefined ? suiteNameFromEnv() : parseSuiteName(options.suite),
    keyFileKdf: kdf,
    validators: options.validators,
    fetch: options.fetch,
    now: options.now ?? Date.now,
  };
}
