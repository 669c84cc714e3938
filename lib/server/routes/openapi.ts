/**
 * `GET /openapi.json`: the server's OpenAPI 3.1 document (no authentication), built once.
 *
 * @module
 */
import { Hono } from "hono";
import { buildOpenApiDocument } from "../_openapi_document.ts";
import type { AppEnv } from "../env.ts";

/** The path of the OpenAPI document. */
export const OPENAPI_PATH = "/openapi.json";

let documentText: string | undefined;

/**
 * The `GET /openapi.json` route.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openApiRoutes } from "./openapi.ts";
 * const response = await openApiRoutes().request("/openapi.json");
 * assert.equal((await response.json()).openapi, "3.1.0");
 * ```
 */
export function openApiRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(OPENAPI_PATH, (c) => {
    documentText ??= JSON.stringify(buildOpenApiDocument());
    return c.body(documentText, 200, { "content-type": "application/json" });
  });
  return routes;
}
