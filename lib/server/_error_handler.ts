/**
 * The one place errors become responses. Only deliberate errors become 4xx answers:
 *
 * - {@linkcode HttpError}, the one HTTP exception type the server throws (request validation
 *   included: `readJson` raises a body that is not JSON, or does not match its schema, as a 400
 *   `HttpError` itself);
 * - the deliberate {@linkcode ArcaError} subclasses ({@linkcode ValidationError} 400,
 *   {@linkcode UnauthorizedError} 401, {@linkcode ForbiddenError} 403, {@linkcode NotFoundError}
 *   404, {@linkcode ConflictError} 409), the store's `QuotaExceededError` (413), and any
 *   `ArcaError` that carries an explicit status.
 *
 * Everything else (a `SyntaxError` from a corrupt stored row, a bare `ArcaError`, an
 * `IntegrityError` without a status, a `ZodError` outside request validation, a bug) is a 500
 * with the generic body `{"error": "Internal server error", "request_id": "…"}` and exactly one
 * log line on stderr carrying the same request id, the method, the route pattern, the error's
 * name and its stack frames. The log line never holds the error's message, the URL's values or
 * the request body: those may carry secrets or stored data.
 *
 * @module
 */
import type { Context } from "hono";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { randomUuid } from "../crypto/uuid.ts";
import {
  ArcaError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../errors.ts";
import { QuotaExceededError } from "../store/usage.ts";
import { errorBody } from "../protocol/error_body.ts";
import { HttpError } from "./_http_error.ts";
import { errorFields } from "./_log.ts";
import { requestIdOf } from "./_request_log.ts";

/** The message of every 500 answer. */
export const INTERNAL_ERROR_MESSAGE = "Internal server error";

/**
 * Turns any thrown error into a JSON error response (use as `app.onError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { handleError } from "./_error_handler.ts";
 * import { HttpError } from "./_http_error.ts";
 * const app = new Hono().onError(handleError);
 * app.get("/", () => { throw new HttpError(418, "Teapot"); });
 * const response = await app.request("/");
 * assert.equal(response.status, 418);
 * assert.deepEqual(await response.json(), { error: "Teapot" });
 * ```
 */
export function handleError(error: Error, c: Context): Response {
  const status = deliberateStatus(error);
  if (status !== undefined) return c.json(errorBody(error.message), status);
  const requestId = requestIdOf(c) ?? randomUuid();
  console.error(unexpectedErrorLine(requestId, c, error));
  return c.json({ ...errorBody(INTERNAL_ERROR_MESSAGE), request_id: requestId }, 500);
}

/**
 * The status a deliberate error is answered with, or `undefined` for an error nobody meant to
 * throw (answered with a 500).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArcaError, NotFoundError } from "../errors.ts";
 * import { deliberateStatus } from "./_error_handler.ts";
 * assert.equal(deliberateStatus(new NotFoundError("Record not found")), 404);
 * assert.equal(deliberateStatus(new ArcaError("Something failed")), undefined);
 * assert.equal(deliberateStatus(new SyntaxError("Unexpected token")), undefined);
 * ```
 */
export function deliberateStatus(error: unknown): ContentfulStatusCode | undefined {
  if (error instanceof HttpError) return error.status as ContentfulStatusCode;
  if (!(error instanceof ArcaError)) return undefined;
  if (error.status !== undefined && error.status >= 400 && error.status <= 599) {
    return error.status as ContentfulStatusCode;
  }
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof QuotaExceededError) return 413;
  return undefined;
}

/** One line, no message, no values: the request id, where it happened and the stack frames. */
function unexpectedErrorLine(requestId: string, c: Context, error: Error): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    level: "error",
    message: INTERNAL_ERROR_MESSAGE,
    request_id: requestId,
    method: c.req.method,
    route: routePath(c),
    ...errorFields(error),
  });
}

/**
 * The JSON 404 for unknown routes (use as `app.notFound`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { handleNotFound } from "./_error_handler.ts";
 * const app = new Hono().notFound(handleNotFound);
 * assert.equal((await app.request("/nope")).status, 404);
 * ```
 */
export function handleNotFound(c: Context): Response {
  return c.json(errorBody(`No route for ${c.req.method} ${c.req.path}`), 404);
}
