/**
 * HTTP failures → Arca's error classes. The server's `{"error": "..."}` message becomes the
 * error's message; the status is kept on {@linkcode ArcaError.status}.
 *
 * @module
 */
import {
  ArcaError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  ValidationError,
} from "../errors.ts";
import { type ErrorBody, isErrorBody } from "../protocol/error_body.ts";

/**
 * The error class for an HTTP status: 400/413/422 → {@linkcode ValidationError}, 401 →
 * {@linkcode UnauthorizedError}, 403 → {@linkcode ForbiddenError}, 404 → {@linkcode NotFoundError},
 * 409 → {@linkcode ConflictError}, 429 → {@linkcode RateLimitError}, anything else →
 * {@linkcode ArcaError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorForStatus } from "./_http_errors.ts";
 * const error = errorForStatus(409, "Record version is stale");
 * assert.equal(error.name, "ConflictError");
 * assert.equal(error.status, 409);
 * ```
 */
export function errorForStatus(status: number, message: string): ArcaError {
  if (!Number.isInteger(status)) throw new TypeError(`Status must be an integer, got ${status}`);
  const options = { status };
  switch (status) {
    case 400:
    case 413:
    case 422:
      return new ValidationError(message, options);
    case 401:
      return new UnauthorizedError(message, options);
    case 403:
      return new ForbiddenError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 409:
      return new ConflictError(message, options);
    case 429:
      return new RateLimitError(message, options);
    default:
      return new ArcaError(message, options);
  }
}

/**
 * The message to report for a failed response: the server's `error` text when its body is an
 * error body, else a generic line naming the status.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorMessage } from "./_http_errors.ts";
 * assert.equal(errorMessage(404, '{"error":"Record not found"}'), "Record not found");
 * assert.equal(errorMessage(502, "<html>"), "Server answered HTTP 502");
 * assert.equal(
 *   errorMessage(500, '{"error":"Internal server error","request_id":"r1"}'),
 *   "Internal server error (request id r1)",
 * );
 * ```
 */
export function errorMessage(status: number, bodyText: string): string {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isErrorBody(body) && body.error.trim() !== "") return oneLine(withRequestId(body));
  } catch {
    // Not JSON: fall through to the generic message.
  }
  return `Server answered HTTP ${status}`;
}

/** The server's message, naming the request id a 500 carries so it can be found in the log. */
function withRequestId(body: ErrorBody): string {
  const id = body.request_id;
  return typeof id === "string" && id !== "" ? `${body.error} (request id ${id})` : body.error;
}

/** Collapses whitespace so a message always prints as one line, and caps its length. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

/**
 * Reads a failed response's body and turns it into the matching error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorFromResponse } from "./_http_errors.ts";
 * const response = new Response('{"error":"Not shared with you"}', { status: 403 });
 * const error = await errorFromResponse(response);
 * assert.equal(error.name, "ForbiddenError");
 * assert.equal(error.message, "Not shared with you");
 * ```
 */
export async function errorFromResponse(response: Response): Promise<ArcaError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    text = "";
  }
  const message = errorMessage(response.status, text);
  if (response.status === 429) {
    return new RateLimitError(message, {
      status: 429,
      retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")),
    });
  }
  return errorForStatus(response.status, message);
}

/** A `Retry-After` given in seconds (the only form Arca's server sends), else `undefined`. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\d{1,9}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}
