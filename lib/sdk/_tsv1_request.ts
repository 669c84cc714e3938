/**
 * TSV1-signed HTTP requests, for the routes E3DB authenticates by signature rather than bearer
 * token: notes (`/v2/storage/notes`) and identity login. Each request is signed with a fresh
 * nonce at the current time; failures become Arca's typed errors.
 *
 * @module
 */
import type { CryptoSuite, KeyPair } from "../crypto/suite.ts";
import { signRequest } from "../crypto/tsv1.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import { errorFromResponse } from "./_http_errors.ts";
import { normalizeApiUrl } from "./_transport.ts";

/** Who signs, and where requests go. */
export interface Tsv1Signer {
  /** Base URL of the API. */
  apiUrl: string;
  /** The suite of the signing keys. */
  suite: CryptoSuite;
  /** The signing key pair. */
  signingKeys: KeyPair;
  /** The registered client id for `uid:`; absent or empty for an anonymous request. */
  clientId?: string | undefined;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: (() => number) | undefined;
}

/** The body and headers of one signed request. */
export interface Tsv1RequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** A successful (2xx) reply. */
export interface Tsv1Reply {
  /** The HTTP status. */
  status: number;
  /** The parsed JSON body, or `null` when empty. */
  json: unknown;
}

/**
 * Sends a TSV1-signed request to `pathOrUrl` (a path under the API, or a full URL the server
 * handed out, such as a login `action_url`); returns the 2xx reply or throws the typed error.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const reply = await tsv1Request(signer, "GET", `/v2/storage/notes?note_id=${id}`);
 * ```
 */
export async function tsv1Request(
  signer: Tsv1Signer,
  method: string,
  pathOrUrl: string,
  options: Tsv1RequestOptions = {},
): Promise<Tsv1Reply> {
  if (typeof method !== "string" || !/^[A-Z]+$/.test(method)) {
    throw new ValidationError(`HTTP method must be upper case, got "${method}"`);
  }
  const url = resolveUrl(signer.apiUrl, pathOrUrl);
  const now = (signer.now ?? Date.now)();
  const authorization = await signRequest(signer.suite, {
    method,
    url,
    signingKeys: signer.signingKeys,
    clientId: signer.clientId ?? "",
    timestamp: Math.floor(now / 1000),
  });
  const headers = new Headers({ accept: "application/json", ...options.headers, authorization });
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(options.form).toString();
  }
  let response: Response;
  try {
    response = await (signer.fetch ?? fetch)(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArcaError(`Cannot reach ${signer.apiUrl}: ${reason}`, { cause: error });
  }
  if (!response.ok) throw await errorFromResponse(response);
  const text = await response.text();
  if (text.trim() === "") return { status: response.status, json: null };
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch (error) {
    throw new ArcaError(`Server sent a body that is not JSON (HTTP ${response.status})`, {
      cause: error,
    });
  }
}

/** A path joins the API URL; a full URL must be on the API's origin (no signing for others). */
function resolveUrl(apiUrl: string, pathOrUrl: string): string {
  const base = normalizeApiUrl(apiUrl);
  if (typeof pathOrUrl !== "string" || pathOrUrl === "") {
    throw new ValidationError("Request path must be a non-empty string");
  }
  if (pathOrUrl.startsWith("/")) return `${base}${pathOrUrl}`;
  let url: URL;
  try {
    url = new URL(pathOrUrl);
  } catch {
    throw new ValidationError(`"${pathOrUrl}" is neither a path nor a URL`);
  }
  if (url.origin !== new URL(base).origin) {
    throw new ValidationError(`Refusing to send a signed request to "${url.origin}"`);
  }
  return url.href;
}
