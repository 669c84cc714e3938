/**
 * `GET /healthz`: 200 with the schema version when the store answers.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../env.ts";

/**
 * The health route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", healthRoutes(deps));
 * ```
 */
export function healthRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", async (c) => {
    return c.json({ status: "ok", schema_version: await deps.store.schemaVersion() }, 200);
  });
  return routes;
}
