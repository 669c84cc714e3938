/**
 * The server's one HTTP exception type: route handlers, middleware and request validation throw
 * it on purpose with an HTTP status and a message that becomes the `{"error": "..."}` body.
 * (Hono's own `HTTPException` is not used: no Hono middleware in the app is left to throw it.)
 *
 * @module
 */

/**
 * An error with the HTTP status to answer with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError } from "./_http_error.ts";
 * const error = new HttpError(404, "Record not found");
 * assert.equal(error.status, 404);
 * assert.equal(error.message, "Record not found");
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status (4xx for the caller's mistakes). */
  readonly status: number;

  /**
   * Creates an error answered with `status` and `{"error": message}`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HttpError } from "./_http_error.ts";
   * assert.equal(new HttpError(409, "Record version is stale").status, 409);
   * ```
   */
  constructor(status: number, message: string) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HTTP error status must be 400-599, got ${status}`);
    }
    this.name = "HttpError";
    this.status = status;
  }
}
