/**
 * `GET /v1/storage/clients/{client_id}`: a client's public keys. A malformed id is a 404, not
 * a 400 (Python raises its lookup error only for 404).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { clientInfoJson } from "../_wire.ts";

/**
 * The client-info route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", clientRoutes(deps));
 * ```
 */
export function clientRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/v1/storage/clients/:clientId", async (c) => {
    const client = await deps.store.clients.get(uuidParam(c, "clientId", 404));
    if (client === undefined) throw new HttpError(404, "Client not found");
    return c.json(clientInfoJson(client), 200);
  });
  return routes;
}
