/**
 * Settings of the HTTP app (not of the process: see `start_server.ts` for the environment).
 *
 * @module
 */
import type { LogLevel } from "./_log.ts";

/** Default largest request body: 16 MiB (E3DB clients send 3 MB records). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Lifetime of a bearer token in seconds (E3DB's `expires_in`). */
export const BEARER_TOKEN_SECONDS = 3600;

/** How long a signed upload URL may be used after `POST /v1/storage/files`, in seconds. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** How long a signed download URL may be used after it is issued, in seconds. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;

/** How long an upload may stay uncommitted before the sweep drops it and its bytes, in seconds. */
export const PENDING_FILE_SECONDS = 24 * 3600;

/**
 * How often the server's housekeeping runs (file sweep; expired tokens, notes, sessions), in
 * seconds.
 */
export const HOUSEKEEPING_SECONDS = 60;

/** Default storage quota of one client: 10 GiB of records and files (`ARCA_CLIENT_QUOTA_BYTES`). */
export const DEFAULT_CLIENT_QUOTA_BYTES = 10 * 1024 ** 3;

/** Default largest file: 5 GiB (`ARCA_MAX_FILE_BYTES`). */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 ** 3;

/**
 * The log level of an app built in code (`createApp`, `startServer`) when none is given: only
 * warnings and errors. A server started from the environment logs requests (`ARCA_LOG_LEVEL`,
 * default `info`).
 */
export const DEFAULT_APP_LOG_LEVEL: LogLevel = "warn";

/** What `createApp` may be told. Every field is optional. */
export interface ServerSettings extends CallerLimits {
  /**
   * The request log's level (default {@linkcode DEFAULT_APP_LOG_LEVEL}): `info` writes one line
   * per request, `off` nothing (see docs/server.md, Logs).
   */
  logLevel?: LogLevel | undefined;
  /**
   * Bearer token of the admin API and `/metrics`; they answer 404 when neither it nor
   * `adminTokenHash` is set.
   */
  adminToken?: string | undefined;
  /** The digest (`hashSecret`) of the admin token, when only that is kept (`adminToken` wins). */
  adminTokenHash?: string | undefined;
  /** Largest accepted request body in bytes (default {@linkcode DEFAULT_MAX_BODY_BYTES}). */
  maxBodyBytes?: number | undefined;
  /** The public base URL (e.g. `https://arca.example.com`), for URLs the server hands out. */
  publicUrl?: string | undefined;
  /**
   * HMAC key (at least 32 bytes) signing file URLs. Default: random per process, which is fine
   * for one server; instances behind one load balancer must share it (`ARCA_FILE_URL_KEY`).
   */
  fileUrlKey?: Uint8Array | undefined;
  /**
   * Storage quota of each client in bytes: its records' stored bytes plus its files (default
   * {@linkcode DEFAULT_CLIENT_QUOTA_BYTES}; 0 means unlimited). A write past it is a 413.
   */
  clientQuotaBytes?: number | undefined;
  /**
   * Largest file in bytes, announced or not (default {@linkcode DEFAULT_MAX_FILE_BYTES}). A
   * larger one is a 413.
   */
  maxFileBytes?: number | undefined;
  /**
   * Whether `GET /console` serves the web console (default true; `ARCA_CONSOLE=off` turns it
   * off and its routes answer 404). See docs/console.md.
   */
  console?: boolean | undefined;
}

/**
 * The quota limit of a write under `settings`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quotaLimit } from "./settings.ts";
 * assert.deepEqual(quotaLimit({ clientQuotaBytes: 0 }), { quotaBytes: 0 });
 * assert.deepEqual(quotaLimit({}), { quotaBytes: 10 * 1024 ** 3 });
 * ```
 */
export function quotaLimit(settings: ServerSettings): { quotaBytes: number } {
  return { quotaBytes: settings.clientQuotaBytes ?? DEFAULT_CLIENT_QUOTA_BYTES };
}

/**
 * The largest file under `settings`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxFileBytes } from "./settings.ts";
 * assert.equal(maxFileBytes({ maxFileBytes: 1000 }), 1000);
 * ```
 */
export function maxFileBytes(settings: ServerSettings): number {
  return settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
}

/** Default largest anonymous note: 64 KiB of note JSON. */
export const DEFAULT_ANONYMOUS_NOTE_MAX_BYTES = 64 * 1024;

/** Default anonymous notes one address may write per minute. */
export const DEFAULT_ANONYMOUS_NOTES_PER_MINUTE = 30;

/** Default live TSV1 nonces one signing key may hold in the replay cache. */
export const DEFAULT_TSV1_NONCES_PER_KEY = 1_000;

/** Default live TSV1 nonces the anonymous callers of one address may hold in the replay cache. */
export const DEFAULT_TSV1_ANONYMOUS_NONCES_PER_ADDRESS = 5_000;

/** Default key file downloads by passphrase proof per user id per window. */
export const DEFAULT_KEY_FILE_ATTEMPTS_PER_USER = 10;

/** Default key file downloads by passphrase proof per client address per window. */
export const DEFAULT_KEY_FILE_ATTEMPTS_PER_ADDRESS = 30;

/** Default window of the key file download throttle, in seconds (15 minutes). */
export const DEFAULT_KEY_FILE_ATTEMPT_WINDOW_SECONDS = 15 * 60;

/**
 * Longest window of the key file download throttle, in seconds (one day): housekeeping forgets
 * attempts older than this.
 */
export const MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS = 24 * 3600;

/** Default largest key file: 64 KiB. */
export const DEFAULT_MAX_KEY_FILE_BYTES = 64 * 1024;

/** Smallest value `ARCA_MAX_KEY_FILE_BYTES` may take (a key file is about 1 KiB). */
export const MIN_MAX_KEY_FILE_BYTES = 1024;

/** Largest value `ARCA_MAX_KEY_FILE_BYTES` may take: 1 MiB. */
export const MAX_MAX_KEY_FILE_BYTES = 1024 * 1024;
/**
 * Live TSV1 nonces all anonymous callers together may hold (half the SQLite store's in-memory
 * replay cache, so registered callers always keep room).
 */
export const TSV1_ANONYMOUS_NONCES = 100_000;

/** Default largest sealed container content sent or answered inline: 1 MiB. */
export const DEFAULT_CONTAINER_INLINE_BYTES = 1024 * 1024;

/** How long an announced container upload waits for its bytes before it is swept. */
export const CONTAINER_UPLOAD_SECONDS = 3600;

/** Default live event streams per client. */
export const DEFAULT_EVENT_STREAMS_PER_CLIENT = 4;

/** Default seconds between two heartbeats of an event stream. */
export const DEFAULT_EVENT_HEARTBEAT_SECONDS = 15;

/** Default days an event is kept. */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;

/** Limits on callers, each with a safe default (see docs/server.md). */
export interface CallerLimits {
  /**
   * Proxies whose `X-Forwarded-For` is believed: IP addresses or CIDR blocks
   * (`ARCA_TRUSTED_PROXIES`; default none).
   */
  trustedProxies?: readonly string[] | undefined;
  /** Largest anonymous note in bytes (default {@linkcode DEFAULT_ANONYMOUS_NOTE_MAX_BYTES}). */
  anonymousNoteMaxBytes?: number | undefined;
  /** Anonymous notes per address per minute (default {@linkcode DEFAULT_ANONYMOUS_NOTES_PER_MINUTE}). */
  anonymousNotesPerMinute?: number | undefined;
  /** Live nonces per TSV1 signing key (default {@linkcode DEFAULT_TSV1_NONCES_PER_KEY}). */
  tsv1NoncesPerKey?: number | undefined;
  /**
   * Live nonces of anonymous TSV1 callers per address (default
   * {@linkcode DEFAULT_TSV1_ANONYMOUS_NONCES_PER_ADDRESS}).
   */
  tsv1AnonymousNoncesPerAddress?: number | undefined;
  /**
   * Key file downloads by passphrase proof per user id per window (default
   * {@linkcode DEFAULT_KEY_FILE_ATTEMPTS_PER_USER}).
   */
  keyFileAttemptsPerUser?: number | undefined;
  /**
   * Key file downloads by passphrase proof per client address per window (default
   * {@linkcode DEFAULT_KEY_FILE_ATTEMPTS_PER_ADDRESS}).
   */
  keyFileAttemptsPerAddress?: number | undefined;
  /**
   * The key file download throttle's window in seconds (default
   * {@linkcode DEFAULT_KEY_FILE_ATTEMPT_WINDOW_SECONDS}, at most
   * {@linkcode MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS}).
   */
  keyFileAttemptWindowSeconds?: number | undefined;
  /** Largest key file in bytes (default {@linkcode DEFAULT_MAX_KEY_FILE_BYTES}). */
  maxKeyFileBytes?: number | undefined;
  /**
   * Largest sealed container content sent or answered inline, in bytes (default
   * {@linkcode DEFAULT_CONTAINER_INLINE_BYTES}; `ARCA_CONTAINER_INLINE_BYTES`).
   */
  containerInlineBytes?: number | undefined;
  /**
   * Live event streams per client (default {@linkcode DEFAULT_EVENT_STREAMS_PER_CLIENT};
   * `ARCA_EVENT_STREAMS_PER_CLIENT`).
   */
  eventStreamsPerClient?: number | undefined;
  /**
   * Seconds between event stream heartbeats (default
   * {@linkcode DEFAULT_EVENT_HEARTBEAT_SECONDS}; `ARCA_EVENT_HEARTBEAT_SECONDS`).
   */
  eventHeartbeatSeconds?: number | undefined;
  /**
   * Days events are kept (default {@linkcode DEFAULT_EVENT_RETENTION_DAYS};
   * `ARCA_EVENT_RETENTION_DAYS`).
   */
  eventRetentionDays?: number | undefined;
}
