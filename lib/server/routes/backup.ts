/**
 * `POST /v1/account/backup/{registration_token}/{client_id}`: a client reports that it wrote
 * its credential backup record. Works with or without a bearer token (Python sends one, JS
 * does not); with one, it must belong to that client.
 *
 * @module
 */
import { Hono } from "hono";
import { hashSecret } from "../../crypto/secrets.ts";
import { isUuid } from "../../protocol/ids.ts";
import type { Deps, OptionalBearerEnv } from "../env.ts";
import { HttpError } from "../_http_error.ts";

/**
 * The backup route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", backupRoutes(deps));
 * ```
 */
export function backupRoutes(deps: Deps): Hono<OptionalBearerEnv> {
  const routes = new Hono<OptionalBearerEnv>();
  routes.post("/v1/account/backup/:token/:clientId", async (c) => {
    const clientIdParam = c.req.param("clientId");
    if (!isUuid(clientIdParam)) throw new HttpError(404, "Client not found");
    const clientId = clientIdParam.toLowerCase();
    const caller = c.get("clientId");
    if (caller !== undefined && caller !== clientId) {
      throw new HttpError(403, "A client may report only its own backup");
    }
    const token = await deps.store.registrationTokens.findByHash(
      await hashSecret(c.req.param("token")),
    );
    if (token === undefined || token.revoked) {
      throw new HttpError(401, "Registration token is not valid");
    }
    const client = await deps.store.clients.get(clientId);
    if (client === undefined || client.accountId !== token.accountId) {
      throw new HttpError(404, "Client not found");
    }
    await deps.store.clients.markBackedUp(clientId, deps.clock());
    return c.json({}, 200);
  });
  return routes;
}
