/**
 * HTTP transport of the SDK: JSON requests against an E3DB-compatible API, bearer tokens from
 * `POST /v1/auth/token` (HTTP Basic with the API key pair), refreshed 60 s before they expire and
 * once more when a request is answered 401. Failures become typed errors (`http_errors.ts`).
 *
 * @module
 */
import { ArcaError, ValidationError } from "../errors.ts";
import {
  type ApiCredentials,
  basicAuthorization,
  TOKEN_REQUEST_BODY,
} from "../protocol/credentials.ts";
import type { TokenResponse } from "../protocol/responses.ts";
import { parseTimestamp } from "../protocol/timestamps.ts";
import { errorFromResponse } from "./_http_errors.ts";
import { uploadBody } from "./_upload_body.ts";
import type { WireObject } from "./_wire_reader.ts";

/** Seconds before expiry at which a bearer token is replaced. */
export const TOKEN_REFRESH_MARGIN_SECONDS = 60;

/** How a {@linkcode Transport} authenticates. */
export interface TransportOptions {
  /** Base URL of the API, e.g. `http://127.0.0.1:8000` (trailing slashes are dropped). */
  apiUrl: string;
  /** API key pair: bearer tokens are fetched with it. */
  credentials?: ApiCredentials | undefined;
  /** A fixed bearer token (the admin API); used when no credentials are given. */
  bearerToken?: string | undefined;
  /** `fetch` to use (tests inject one); the global `fetch` by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch (tests inject one); `Date.now` by default. */
  now?: (() => number) | undefined;
}

/** How one request authenticates: with a bearer token, or with nothing. */
export type RequestAuth = "bearer" | "none";

/** Options of one request. */
export interface RequestOptions {
  /** A JSON body (serialised here), or `undefined` for none. */
  body?: unknown;
  /** `bearer` (default) or `none`. */
  auth?: RequestAuth;
  /** Extra request headers (e.g. `Arca-App-Name`). */
  headers?: Record<string, string> | undefined;
}

/** Options of a raw (non-JSON) request: see {@linkcode Transport.raw}. */
export interface RawRequestOptions {
  /** The body: a stream of bytes, sent once (no retry on 401). */
  body?: ReadableStream<Uint8Array> | undefined;
  /** Request headers (the bearer token is added). */
  headers?: Record<string, string> | undefined;
  /** Aborts the request (and a streamed answer). */
  signal?: AbortSignal | undefined;
}

/** A successful (2xx) response with its body parsed. */
export interface TransportResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The parsed JSON body, or `null` when the body was empty. */
  json: unknown;
}

interface BearerToken {
  value: string;
  /** Milliseconds since the epoch after which it is replaced. */
  refreshAt: number;
}

/**
 * Sends JSON requests to one API and manages the bearer token.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * import { Transport } from "./_transport.ts";
 * const transport = new Transport({
 *   apiUrl: "http://127.0.0.1:8000",
 *   credentials: { apiKeyId: "…", apiSecret: "…" },
 * });
 * const reply = await transport.request("GET", "/v1/storage/policy/outgoing");
 * console.log(reply.json);
 * ```
 */
export class Transport {
  /** The base URL, without a trailing slash. */
  readonly apiUrl: string;
  readonly #credentials: ApiCredentials | undefined;
  readonly #fixedToken: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token: BearerToken | undefined;
  #pendingToken: Promise<BearerToken> | undefined;

  /**
   * Creates a transport; validates the URL and the credentials.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Transport } from "./_transport.ts";
   * const transport = new Transport({ apiUrl: "http://127.0.0.1:8000/" });
   * assert.equal(transport.apiUrl, "http://127.0.0.1:8000");
   * ```
   */
  constructor(options: TransportOptions) {
    if (options === null || typeof options !== "object") {
      throw new ValidationError("Transport options must be an object");
    }
    this.apiUrl = normalizeApiUrl(options.apiUrl);
    if (options.credentials !== undefined) {
      const { apiKeyId, apiSecret } = options.credentials;
      if (typeof apiKeyId !== "string" || apiKeyId === "" || apiKeyId.includes(":")) {
        throw new ValidationError("API key id must be a non-empty string without ':'");
      }
      if (typeof apiSecret !== "string" || apiSecret === "") {
        throw new ValidationError("API secret must be a non-empty string");
      }
    }
    if (
      options.bearerToken !== undefined &&
      (typeof options.bearerToken !== "string" || options.bearerToken.trim() === "")
    ) {
      throw new ValidationError("Bearer token must be a non-empty string");
    }
    this.#credentials = options.credentials;
    this.#fixedToken = options.bearerToken;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Sends a request; returns the parsed 2xx response or throws the typed error for the status.
   * A bearer request answered 401 is retried once with a fresh token.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const reply = await transport.request("POST", "/v1/storage/search", { body: { count: 10 } });
   * ```
   */
  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TransportResponse> {
    if (typeof method !== "string" || !/^[A-Z]+$/.test(method)) {
      throw new ValidationError(`HTTP method must be upper case, got "${method}"`);
    }
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new ValidationError(`Request path must start with "/", got "${path}"`);
    }
    const auth = options.auth ?? "bearer";
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = new Headers({ accept: "application/json", ...options.headers });
    if (body !== undefined) headers.set("content-type", "application/json");
    const init = { method, headers, ...(body === undefined ? {} : { body }) };
    let response = await this.#send(path, init, auth);
    if (response.status === 401 && auth === "bearer" && this.#credentials !== undefined) {
      await response.body?.cancel();
      this.#token = undefined;
      response = await this.#send(path, init, auth);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return { status: response.status, headers: response.headers, json: await readJson(response) };
  }

  /**
   * Sends a bearer request whose body or answer is not JSON (byte streams, event streams) and
   * returns the 2xx response unread; any other status throws its typed error. A request without
   * a stream body is retried once on 401 with a fresh token.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const response = await transport.raw("GET", "/v1/arca/events/stream");
   * for await (const chunk of response.body!) console.log(chunk.length);
   * ```
   */
  async raw(method: string, path: string, options: RawRequestOptions = {}): Promise<Response> {
    const init: RequestInit = {
      method,
      headers: new Headers(options.headers),
      ...(options.body === undefined ? {} : { body: await uploadBody(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    let response = await this.#send(path, init, "bearer");
    if (response.status === 401 && !options.body && this.#credentials !== undefined) {
      await response.body?.cancel();
      this.#token = undefined;
      response = await this.#send(path, init, "bearer");
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /**
   * Starts fetching a bearer token now, when this transport has API credentials and no valid
   * token, so that the round trip overlaps other work (the client context loads its suite
   * meanwhile). The next request waits for it; a failure is left for that request to report.
   */
  prefetchToken(): void {
    if (this.#credentials === undefined) return;
    this.#bearer().catch(() => {});
  }

  /** Drops the cached bearer token, so the next request fetches a new one. */
  forgetToken(): void {
    this.#token = undefined;
  }

  async #send(path: string, init: RequestInit, auth: RequestAuth): Promise<Response> {
    const headers = new Headers(init.headers);
    if (auth === "bearer") headers.set("authorization", `Bearer ${await this.#bearer()}`);
    return await this.#fetchOrFail(`${this.apiUrl}${path}`, { ...init, headers });
  }

  async #fetchOrFail(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, init);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ArcaError(`Cannot reach ${this.apiUrl}: ${reason}`, { cause: error });
    }
  }

  async #bearer(): Promise<string> {
    if (this.#credentials === undefined) {
      if (this.#fixedToken === undefined) {
        throw new ValidationError("This request needs API credentials or a bearer token");
      }
      return this.#fixedToken;
    }
    if (this.#token !== undefined && this.#now() < this.#token.refreshAt) return this.#token.value;
    // One token request at a time, however many calls are waiting for it.
    this.#pendingToken ??= this.#fetchToken(this.#credentials).finally(() => {
      this.#pendingToken = undefined;
    });
    this.#token = await this.#pendingToken;
    return this.#token.value;
  }

  async #fetchToken(credentials: ApiCredentials): Promise<BearerToken> {
    const requested = this.#now();
    const response = await this.#fetchOrFail(`${this.apiUrl}/v1/auth/token`, {
      method: "POST",
      headers: {
        authorization: basicAuthorization(credentials),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: TOKEN_REQUEST_BODY,
    });
    if (!response.ok) throw await errorFromResponse(response);
    return parseTokenResponse(await readJson(response), requested);
  }
}

/**
 * Reads a token response. The lifetime comes from `expires_in` counted from when the request
 * was sent (immune to clock skew), else from `expires_at`.
 */
function parseTokenResponse(json: unknown, requestedAt: number): BearerToken {
  // Anything but an object with the fields below is refused field by field.
  const body = json as WireObject<TokenResponse> | null;
  const value = body?.access_token;
  if (typeof value !== "string" || value === "") {
    throw new ArcaError("Token response has no access_token");
  }
  const margin = TOKEN_REFRESH_MARGIN_SECONDS * 1000;
  if (typeof body?.expires_in === "number" && Number.isFinite(body.expires_in)) {
    return { value, refreshAt: requestedAt + body.expires_in * 1000 - margin };
  }
  if (typeof body?.expires_at === "string") {
    try {
      return { value, refreshAt: parseTimestamp(body.expires_at) / 1000 - margin };
    } catch (error) {
      throw new ArcaError("Token response has a malformed expires_at", { cause: error });
    }
  }
  throw new ArcaError("Token response has neither expires_in nor expires_at");
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArcaError(`Server sent a body that is not JSON (HTTP ${response.status})`, {
      cause: error,
    });
  }
}

/**
 * Checks an API base URL (http or https, no query or fragment) and drops trailing slashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeApiUrl } from "./_transport.ts";
 * assert.equal(normalizeApiUrl("https://api.example.com/"), "https://api.example.com");
 * ```
 */
export function normalizeApiUrl(apiUrl: string): string {
  if (typeof apiUrl !== "string" || apiUrl.trim() === "") {
    throw new ValidationError("API URL must be a non-empty string");
  }
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    throw new ValidationError(`API URL "${apiUrl}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(`API URL "${apiUrl}" must use http or https`);
  }
  if (url.username !== "" || url.password !== "") {
    // The URL is not echoed: it holds a secret.
    throw new ValidationError("API URL must not carry a user name or password");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ValidationError(`API URL "${apiUrl}" must not have a query or a fragment`);
  }
  return url.href.replace(/\/+$/, "");
}
