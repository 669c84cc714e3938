/**
 * The error body every Arca endpoint answers with on failure: `{"error": "..."}`. E3DB's
 * Python SDK recognises a query error only by that key, so it is always present.
 *
 * @module
 */

/** The JSON body of an error response. */
export interface ErrorBody {
  /** A sentence-case message; offending values are quoted. */
  error: string;
  /**
   * On a 500 only: the id of the server's one log line about the failure (the message is then
   * always "Internal server error").
   */
  request_id?: string;
}

/**
 * Builds an error body.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorBody } from "./error_body.ts";
 * assert.equal(
 *   JSON.stringify(errorBody("after_index must be >= 0")),
 *   '{"error":"after_index must be >= 0"}',
 * );
 * ```
 */
export function errorBody(message: string): ErrorBody {
  return { error: String(message) };
}

/**
 * Whether a parsed JSON value is an error body.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isErrorBody } from "./error_body.ts";
 * assert.equal(isErrorBody({ error: "Not found" }), true);
 * assert.equal(isErrorBody({ results: [] }), false);
 * ```
 */
export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as { error?: unknown }).error === "string";
}
