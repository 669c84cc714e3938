/**
 * The request body limit: 413 with a JSON error for a body over the limit.
 *
 * Hono's `bodyLimit` opens the request's body stream on every request, and once that stream
 * exists `Deno.serve` can no longer hand the body over in one piece, which costs an HTTP
 * request about 15 µs. A body with a `Content-Length` (and no `Transfer-Encoding`) is framed
 * by the HTTP server to exactly that length, so the header alone decides; a GET or HEAD with
 * neither header has no body; anything else (a chunked body, or an HTTP/2 body without a length)
 * goes through Hono's counting stream.
 *
 * Hono's `bodyLimit` is given an `onError` that answers the 413 itself; without one it would
 * throw Hono's `HTTPException`, which the error handler does not know (the server's one HTTP
 * exception type is `HttpError`) and would answer as a 500.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorBody } from "../protocol/error_body.ts";

const DIGITS = /^\d+$/;

/**
 * Rejects request bodies larger than `maxBytes` with 413 `{"error": ...}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { limitBody } from "./_body_limit.ts";
 * const app = new Hono();
 * app.use("*", limitBody(4));
 * app.post("/", (c) => c.text("ok"));
 * assert.equal((await app.request("/", { method: "POST", body: "1234" })).status, 200);
 * assert.equal((await app.request("/", { method: "POST", body: "12345" })).status, 413);
 * ```
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = errorBody(`Request body is larger than ${maxBytes} bytes`);
  const counted = bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(tooLarge, 413) });
  return (c, next) => {
    const length = c.req.header("content-length");
    const chunked = c.req.header("transfer-encoding") !== undefined;
    if (!chunked && length !== undefined && DIGITS.test(length)) {
      return Number(length) > maxBytes ? Promise.resolve(c.json(tooLarge, 413)) : next();
    }
    const bodiless = c.req.method === "GET" || c.req.method === "HEAD";
    if (!chunked && length === undefined && bodiless) return next();
    return counted(c, next);
  };
}
