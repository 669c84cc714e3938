/**
 * `GET /metrics`: the server's metrics in the Prometheus text format (mount behind
 * `requireAdmin`: only the admin token reads them). `ARCA_METRICS_PORT` serves the same text on a
 * listener of its own for a scraper ({@linkcode serveMetrics}).
 *
 * @module
 */
import { Hono } from "hono";
import type { Store } from "../../store/store.ts";
import type { AppEnv, Deps } from "../env.ts";
import type { ServerMetrics } from "../_metrics.ts";

/** The path of the metrics, on the app and on the metrics listener. */
export const METRICS_PATH = "/metrics";

/** The content type of the Prometheus text exposition format. */
const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * The metrics route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it behind requireAdmin.
 * app.route("/", metricsRoutes(deps));
 * ```
 */
export function metricsRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(METRICS_PATH, () => metricsResponse(deps.metrics, deps.store));
  return routes;
}

/**
 * The metrics of `metrics` and `store` as a response.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "../../store/sqlite/store.ts";
 * import { ServerMetrics } from "../_metrics.ts";
 * import { metricsResponse } from "./metrics.ts";
 * const store = await openSqliteStore(":memory:");
 * const text = await metricsResponse(new ServerMetrics(), store).text();
 * assert.match(text, /^arca_store_queue_depth \d+$/m);
 * await store.close();
 * ```
 */
export function metricsResponse(metrics: ServerMetrics, store: Store): Response {
  return new Response(metrics.render(store.runtimeStats?.() ?? {}), {
    status: 200,
    headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
  });
}
