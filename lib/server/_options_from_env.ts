/**
 * The server's options from the environment (`ARCA_*` settings): each value parsed and checked
 * up front, so a bad setting stops the start with a message naming it.
 *
 * @module
 */
import { decodeBase64Url } from "../crypto/encoding.ts";
import type { EnvReader } from "../env_reader.ts";
import { ValidationError } from "../errors.ts";
import { isPostgresUrl } from "../store/postgres/store.ts";
import { addressReader } from "./_client_address.ts";
import { LOG_LEVELS, type LogLevel } from "./_log.ts";
import {
  type CallerLimits,
  MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS,
  MAX_MAX_KEY_FILE_BYTES,
  MIN_MAX_KEY_FILE_BYTES,
} from "./settings.ts";
import type { StartServerOptions } from "./start_server.ts";

/**
 * Reads server options from `ARCA_*` environment variables: `ARCA_DATA_DIR`, `ARCA_DATABASE_URL`
 * (`postgres://...`), `ARCA_DATABASE_POOL_SIZE`, `ARCA_BLOB_STORE` (`fs` or `postgres`),
 * `ARCA_HOST`, `ARCA_PORT`, `ARCA_PUBLIC_URL`, `ARCA_REGISTRATION_TOKEN`, `ARCA_ADMIN_TOKEN`,
 * `ARCA_MAX_BODY_BYTES`, `ARCA_RECORD_CACHE_BYTES`, `ARCA_SYNC` (`normal` or `full`),
 * `ARCA_CLIENT_QUOTA_BYTES`, `ARCA_MAX_FILE_BYTES`, `ARCA_CONSOLE` (`on` or `off`),
 * `ARCA_FILE_URL_KEY` (base64url, at least 32 bytes), and the caller limits `ARCA_TRUSTED_PROXIES`
 * (comma-separated addresses or CIDR blocks), `ARCA_ANONYMOUS_NOTE_MAX_BYTES`,
 * `ARCA_ANONYMOUS_NOTES_PER_MINUTE`, `ARCA_TSV1_NONCES_PER_KEY`,
 * `ARCA_TSV1_ANONYMOUS_NONCES_PER_ADDRESS`, `ARCA_KEY_FILE_ATTEMPTS_PER_USER`,
 * `ARCA_KEY_FILE_ATTEMPTS_PER_ADDRESS`, `ARCA_KEY_FILE_ATTEMPT_WINDOW_SECONDS`,
 * `ARCA_MAX_KEY_FILE_BYTES`, `ARCA_CONTAINER_INLINE_BYTES`, `ARCA_EVENT_STREAMS_PER_CLIENT`,
 * `ARCA_EVENT_HEARTBEAT_SECONDS`, `ARCA_EVENT_RETENTION_DAYS`, and the operation settings
 * `ARCA_LOG_LEVEL`, `ARCA_METRICS_PORT`, `ARCA_METRICS_HOST`, `ARCA_SHUTDOWN_SECONDS`. Bad values
 * throw {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverOptionsFromEnv } from "./start_server.ts";
 * const env = new Map([["ARCA_PORT", "9000"]]);
 * assert.equal(serverOptionsFromEnv(env).port, 9000);
 * ```
 */
export function serverOptionsFromEnv(env: EnvReader = Deno.env): StartServerOptions {
  const read = (name: string): string | undefined => {
    const value = env.get(name);
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  return {
    dataDir: read("ARCA_DATA_DIR"),
    ...definedOnly({
      databaseUrl: parseDatabaseUrl(read("ARCA_DATABASE_URL")),
      databasePoolSize: parseInteger(
        read("ARCA_DATABASE_POOL_SIZE"),
        "ARCA_DATABASE_POOL_SIZE",
        1,
        1000,
      ),
    }),
    hostname: read("ARCA_HOST"),
    port: parseInteger(read("ARCA_PORT"), "ARCA_PORT", 0, 65535),
    publicUrl: parsePublicUrl(read("ARCA_PUBLIC_URL")),
    registrationToken: read("ARCA_REGISTRATION_TOKEN"),
    adminToken: read("ARCA_ADMIN_TOKEN"),
    maxBodyBytes: parseInteger(read("ARCA_MAX_BODY_BYTES"), "ARCA_MAX_BODY_BYTES", 1024, 2 ** 40),
    recordCacheBytes: parseInteger(
      read("ARCA_RECORD_CACHE_BYTES"),
      "ARCA_RECORD_CACHE_BYTES",
      0,
      2 ** 40,
    ),
    ...definedOnly({
      sync: parseSync(read("ARCA_SYNC")),
      blobStore: parseBlobStore(read("ARCA_BLOB_STORE"), read("ARCA_DATABASE_URL")),
      clientQuotaBytes: parseInteger(
        read("ARCA_CLIENT_QUOTA_BYTES"),
        "ARCA_CLIENT_QUOTA_BYTES",
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      maxFileBytes: parseInteger(read("ARCA_MAX_FILE_BYTES"), "ARCA_MAX_FILE_BYTES", 1, 2 ** 40),
      console: parseSwitch(read("ARCA_CONSOLE"), "ARCA_CONSOLE"),
    }),
    ...fileUrlKeyOption(read("ARCA_FILE_URL_KEY")),
    ...definedOnly({
      logLevel: parseLogLevel(read("ARCA_LOG_LEVEL")),
      metricsPort: parseInteger(read("ARCA_METRICS_PORT"), "ARCA_METRICS_PORT", 0, 65535),
      metricsHostname: read("ARCA_METRICS_HOST"),
      shutdownSeconds: parseInteger(
        read("ARCA_SHUTDOWN_SECONDS"),
        "ARCA_SHUTDOWN_SECONDS",
        0,
        3600,
      ),
    }),
    ...callerLimitsFromEnv(read),
  };
}

/** The fields of `options` that are set (unset settings stay out of the options). */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function parseLogLevel(text: string | undefined): LogLevel | undefined {
  const level = text?.toLowerCase();
  if (level === undefined) return undefined;
  const known = LOG_LEVELS.find((name) => name === level);
  if (known !== undefined) return known;
  throw new ValidationError(
    `ARCA_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${text}"`,
  );
}

function parseSwitch(text: string | undefined, name: string): boolean | undefined {
  const value = text?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === "on") return true;
  if (value === "off") return false;
  throw new ValidationError(`${name} must be "on" or "off", got "${text}"`);
}

function parseSync(text: string | undefined): "normal" | "full" | undefined {
  const mode = text?.toLowerCase();
  if (mode === undefined || mode === "normal" || mode === "full") return mode;
  throw new ValidationError(`ARCA_SYNC must be "normal" or "full", got "${text}"`);
}

function parseBlobStore(
  text: string | undefined,
  databaseUrl: string | undefined,
): "fs" | "postgres" | undefined {
  const kind = text?.toLowerCase();
  if (kind === "postgres" && databaseUrl === undefined) {
    throw new ValidationError("ARCA_BLOB_STORE=postgres needs ARCA_DATABASE_URL");
  }
  if (kind === undefined || kind === "fs" || kind === "postgres") return kind;
  throw new ValidationError(`ARCA_BLOB_STORE must be "fs" or "postgres", got "${text}"`);
}

function parseDatabaseUrl(text: string | undefined): string | undefined {
  if (text === undefined || isPostgresUrl(text)) return text;
  throw new ValidationError(
    "ARCA_DATABASE_URL must be a PostgreSQL URL (postgres://user@host:port/database)",
  );
}

function parsePublicUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new ValidationError(`ARCA_PUBLIC_URL must be an http(s) URL, got "${text}"`);
  }
  return text;
}

function callerLimitsFromEnv(read: (name: string) => string | undefined): CallerLimits {
  const proxies = read("ARCA_TRUSTED_PROXIES")?.split(",").map((s) => s.trim())
    .filter((s) => s !== "");
  addressReader(proxies); // refuses a bad entry now, not on the first request
  const limit = (name: string, min: number) => parseInteger(read(name), name, min, 2 ** 40);
  const limits: CallerLimits = {
    trustedProxies: proxies,
    anonymousNoteMaxBytes: limit("ARCA_ANONYMOUS_NOTE_MAX_BYTES", 1024),
    anonymousNotesPerMinute: limit("ARCA_ANONYMOUS_NOTES_PER_MINUTE", 1),
    tsv1NoncesPerKey: limit("ARCA_TSV1_NONCES_PER_KEY", 1),
    tsv1AnonymousNoncesPerAddress: limit("ARCA_TSV1_ANONYMOUS_NONCES_PER_ADDRESS", 1),
    keyFileAttemptsPerUser: limit("ARCA_KEY_FILE_ATTEMPTS_PER_USER", 1),
    keyFileAttemptsPerAddress: limit("ARCA_KEY_FILE_ATTEMPTS_PER_ADDRESS", 1),
    keyFileAttemptWindowSeconds: parseInteger(
      read("ARCA_KEY_FILE_ATTEMPT_WINDOW_SECONDS"),
      "ARCA_KEY_FILE_ATTEMPT_WINDOW_SECONDS",
      1,
      MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS,
    ),
    maxKeyFileBytes: parseInteger(
      read("ARCA_MAX_KEY_FILE_BYTES"),
      "ARCA_MAX_KEY_FILE_BYTES",
      MIN_MAX_KEY_FILE_BYTES,
      MAX_MAX_KEY_FILE_BYTES,
    ),
    containerInlineBytes: parseInteger(
      read("ARCA_CONTAINER_INLINE_BYTES"),
      "ARCA_CONTAINER_INLINE_BYTES",
      1024,
      64 * 1024 * 1024,
    ),
    eventStreamsPerClient: parseInteger(
      read("ARCA_EVENT_STREAMS_PER_CLIENT"),
      "ARCA_EVENT_STREAMS_PER_CLIENT",
      1,
      1000,
    ),
    eventHeartbeatSeconds: parseInteger(
      read("ARCA_EVENT_HEARTBEAT_SECONDS"),
      "ARCA_EVENT_HEARTBEAT_SECONDS",
      1,
      3600,
    ),
    eventRetentionDays: parseInteger(
      read("ARCA_EVENT_RETENTION_DAYS"),
      "ARCA_EVENT_RETENTION_DAYS",
      1,
      36500,
    ),
  };
  return definedOnly(limits);
}

function fileUrlKeyOption(text: string | undefined): { fileUrlKey?: Uint8Array } {
  const key = parseFileUrlKey(text);
  return key === undefined ? {} : { fileUrlKey: key };
}

function parseFileUrlKey(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  const key = decodeBase64Url(text, "ARCA_FILE_URL_KEY");
  if (key.length < 32) {
    throw new ValidationError(`ARCA_FILE_URL_KEY must encode at least 32 bytes, got ${key.length}`);
  }
  return key;
}

function parseInteger(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
