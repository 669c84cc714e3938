/**
 * Settings of the HTTP app (not of the process: see `start_server.ts` for the environment).
 *
 * @module
 */

/** Default largest request body: 16 MiB (E3DB clients send 3 MB records). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Lifetime of a bearer token in seconds (E3DB's `expires_in`). */
export const BEARER_TOKEN_SECONDS = 3600;

/** What `createApp` may be told. Every field is optional. */
export interface ServerSettings {
  /** Bearer token of the admin API; the admin API answers 404 when unset. */
  adminToken?: string | undefined;
  /** Largest accepted request body in bytes (default {@linkcode DEFAULT_MAX_BODY_BYTES}). */
  maxBodyBytes?: number | undefined;
  /** The public base URL (e.g. `https://arca.example.com`), for URLs the server hands out. */
  publicUrl?: string | undefined;
}
