/**
 * Path parameters: UUID segments parsed with the status E3DB expects for a bad one.
 *
 * @module
 */
import type { Context } from "hono";
import { isUuid } from "../protocol/ids.ts";
import { MAX_NAME_LENGTH } from "../protocol/schemas.ts";
import { HttpError } from "./_http_error.ts";

/**
 * The path parameter `name` as a lower-case UUID. A malformed value is answered with
 * `badStatus`: 404 where E3DB treats a bad id as "no such thing" (lookups), 400 elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { handleError } from "./_error_handler.ts";
 * import { uuidParam } from "./_params.ts";
 * const app = new Hono().onError(handleError);
 * app.get("/records/:recordId", (c) => c.text(uuidParam(c, "recordId", 404)));
 * const ok = await app.request("/records/794253A4-310B-449D-9D8D-4575E8923F40");
 * assert.equal(await ok.text(), "794253a4-310b-449d-9d8d-4575e8923f40");
 * assert.equal((await app.request("/records/nope")).status, 404);
 * ```
 */
export function uuidParam(c: Context, name: string, badStatus: 400 | 404 = 400): string {
  const value = c.req.param(name);
  if (!isUuid(value)) {
    throw new HttpError(
      badStatus,
      badStatus === 404 ? `No such ${name}: "${value}"` : `${name} must be a UUID, got "${value}"`,
    );
  }
  return value.toLowerCase();
}

/**
 * The record-type path parameter: non-empty, at most {@linkcode MAX_NAME_LENGTH} characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { typeParam } from "./_params.ts";
 * const app = new Hono();
 * app.get("/types/:type", (c) => c.text(typeParam(c)));
 * assert.equal(await (await app.request("/types/contact")).text(), "contact");
 * ```
 */
export function typeParam(c: Context, name = "type"): string {
  const value = c.req.param(name);
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new HttpError(400, `Record type must be 1-${MAX_NAME_LENGTH} characters`);
  }
  return value;
}
