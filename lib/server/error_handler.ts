/**
 * The one place errors become responses: every failure is `{"error": "..."}` with a 4xx for
 * the caller's mistakes, and a bare 500 only for the server's own bugs.
 *
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import {
  ArcaError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../errors.ts";
import { errorBody } from "../protocol/error_body.ts";
import { HttpError } from "./http_error.ts";
import { formatZodError } from "./read_json.ts";

/**
 * Turns any thrown error into a JSON error response (use as `app.onError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { handleError } from "./error_handler.ts";
 * import { HttpError } from "./http_error.ts";
 * const app = new Hono().onError(handleError);
 * app.get("/", () => { throw new HttpError(418, "Teapot"); });
 * const response = await app.request("/");
 * assert.equal(response.status, 418);
 * assert.deepEqual(await response.json(), { error: "Teapot" });
 * ```
 */
export function handleError(error: Error, c: Context): Response {
  const [status, message] = describe(error);
  const deliberate = error instanceof HttpError || error instanceof ArcaError;
  if (status >= 500 && !deliberate) {
    console.error(`Unhandled server error on ${c.req.method} ${c.req.path}:`, error);
  }
  return c.json(errorBody(message), status as ContentfulStatusCode);
}

function describe(error: Error): [number, string] {
  if (error instanceof HttpError) return [error.status, error.message];
  if (error instanceof HTTPException) {
    return [error.status, error.message || (error.status === 413 ? "Payload too large" : "Error")];
  }
  if (error instanceof ZodError) return [400, formatZodError(error)];
  if (error instanceof SyntaxError) return [400, "Request body is not valid JSON"];
  if (error instanceof ArcaError) return [arcaStatus(error), error.message];
  return [500, "Internal server error"];
}

function arcaStatus(error: ArcaError): number {
  if (error.status !== undefined && error.status >= 400 && error.status <= 599) return error.status;
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return 500;
}

/**
 * The JSON 404 for unknown routes (use as `app.notFound`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { handleNotFound } from "./error_handler.ts";
 * const app = new Hono().notFound(handleNotFound);
 * assert.equal((await app.request("/nope")).status, 404);
 * ```
 */
export function handleNotFound(c: Context): Response {
  return c.json(errorBody(`No route for ${c.req.method} ${c.req.path}`), 404);
}
