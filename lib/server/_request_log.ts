/**
 * The request log and the request id. Every request gets an id: the caller's `X-Request-Id` when it
 * is 1 to 128 characters of `A-Z a-z 0-9 . _ : -`, else a fresh UUID; the answer carries it back in
 * `X-Request-Id`. After the answer, one JSON line at `info` (a 500 also has its own `error` line
 * with the same request id, `_error_handler.ts`):
 * `{"time", "level", "message": "request", "request_id", "method", "route", "status",
 * "duration_ms", "client_id"?}`. `route` is the pattern that answered (`/v1/storage/records/:id`),
 * never the concrete path or its query; `client_id` is set when a bearer token authenticated the
 * caller. No header, body or token is ever logged.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Log } from "./_log.ts";
import type { ServerMetrics } from "./_metrics.ts";

/** A request id a caller may choose: 1 to 128 characters, letters, digits and `._:-`. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * The caller's request id when it is acceptable, else a fresh UUID.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptedRequestId } from "./_request_log.ts";
 * assert.equal(acceptedRequestId("job-42"), "job-42");
 * assert.notEqual(acceptedRequestId("bad id\n"), "bad id\n");
 * assert.notEqual(acceptedRequestId("x".repeat(129)).length, 129);
 * ```
 */
export function acceptedRequestId(given: string | undefined): string {
  return given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
}

/**
 * The id of the request `c` answers, once {@linkcode logRequests} has seen it.
 *
 * @example
 * ```ts ignore
 * // Inside a handler of the Arca app.
 * const id = requestIdOf(c);
 * ```
 */
export function requestIdOf(c: Context): string | undefined {
  return requestIds.get(c.req.raw);
}

/**
 * The route pattern that answered `c` (call after `next()`): never the concrete path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { answeringRoute } from "./_request_log.ts";
 * const app = new Hono();
 * let route = "";
 * app.use("*", async (c, next) => { await next(); route = answeringRoute(c); });
 * app.get("/records/:id", (c) => c.text("ok"));
 * await app.request("/records/42");
 * assert.equal(route, "/records/:id");
 * ```
 */
export function answeringRoute(c: Context): string {
  return routePath(c) || "*";
}

/**
 * The middleware: sets the request id, answers it in `X-Request-Id`, writes one line per request
 * and counts it in `metrics`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { createLog } from "./_log.ts";
 * import { logRequests } from "./_request_log.ts";
 * const lines: string[] = [];
 * const app = new Hono();
 * app.use("*", logRequests(createLog("info", { out: (l) => lines.push(l) })));
 * app.get("/records/:id", (c) => c.text("ok"));
 * const reply = await app.request("/records/42", { headers: { "x-request-id": "r-1" } });
 * assert.equal(reply.headers.get("x-request-id"), "r-1");
 * const line = JSON.parse(lines[0]!);
 * assert.deepEqual([line.request_id, line.route, line.status], ["r-1", "/records/:id", 200]);
 * ```
 */
export function logRequests(log: Log, metrics?: ServerMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(c.req.header("x-request-id"));
    requestIds.set(c.req.raw, requestId);
    await next();
    try {
      c.res.headers.set("x-request-id", requestId);
    } catch {
      // Immutable headers (a response passed through as is): the id is still logged.
    }
    const status = c.res.status;
    const route = answeringRoute(c);
    const milliseconds = performance.now() - started;
    metrics?.observeRequest(c.req.method, route, status, milliseconds / 1000);
    if (!log.enabled("info")) return;
    const clientId = (c.get as (key: string) => unknown)("clientId");
    log.write("info", {
      message: "request",
      request_id: requestId,
      method: c.req.method,
      route,
      status,
      duration_ms: Math.round(milliseconds * 1000) / 1000,
      client_id: typeof clientId === "string" ? clientId : undefined, // JSON leaves undefined out
    });
  };
}
