/**
 * Arca's admin API under `/v1/arca/admin` (bearer = the configured admin token; 404 when none
 * is configured): registration tokens (create one-time or reusable, list, revoke) and clients
 * (list; disable and enable → 200 with the client; delete → 204; unknown client → 404).
 *
 * @module
 */
import { Hono } from "hono";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import {
  type AdminClientJson,
  adminTokenCreateSchema,
  type IssuedRegistrationTokenJson,
  type RegistrationTokenJson,
} from "../../protocol/admin.ts";
import type { ClientRow } from "../../store/clients.ts";
import type { RegistrationTokenRow } from "../../store/registration_tokens.ts";
import { createRegistrationToken } from "../_bootstrap.ts";
import { deleteClient, setClientDisabled } from "../_client_lifecycle.ts";
import type { AppEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";
import { publicKeyJson, signingKeyJson } from "../_wire.ts";

/**
 * The admin routes (mount behind `requireAdmin`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", adminRoutes(deps));
 * ```
 */
export function adminRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post("/v1/arca/admin/tokens", async (c) => {
    const text = await c.req.text();
    const body = text.trim() === ""
      ? adminTokenCreateSchema.parse({})
      : await readJson(c, adminTokenCreateSchema);
    const issued = await createRegistrationToken(
      deps.store,
      { oneTime: body.one_time, name: body.name },
      deps.clock(),
    );
    c.header("Cache-Control", "no-store");
    const answer: IssuedRegistrationTokenJson = { ...tokenJson(issued.row), token: issued.token };
    return c.json(answer, 201);
  });

  routes.get("/v1/arca/admin/tokens", async (c) => {
    return c.json((await deps.store.registrationTokens.list()).map(tokenJson), 200);
  });

  routes.delete("/v1/arca/admin/tokens/:tokenId", async (c) => {
    const tokenId = uuidParam(c, "tokenId", 404);
    if (!(await deps.store.registrationTokens.revoke(tokenId))) {
      throw new HttpError(404, "Registration token not found");
    }
    return c.body(null, 204);
  });

  routes.get("/v1/arca/admin/clients", async (c) => {
    return c.json((await deps.store.clients.list()).map(clientJson), 200);
  });

  for (const action of ["disable", "enable"] as const) {
    routes.post(`/v1/arca/admin/clients/:clientId/${action}`, async (c) => {
      const clientId = uuidParam(c, "clientId", 404);
      const client = await setClientDisabled(deps, clientId, action === "disable");
      if (client === undefined) throw new HttpError(404, "Client not found");
      return c.json(clientJson(client), 200);
    });
  }

  routes.delete("/v1/arca/admin/clients/:clientId", async (c) => {
    const clientId = uuidParam(c, "clientId", 404);
    if (!(await deleteClient(deps, clientId))) throw new HttpError(404, "Client not found");
    return c.body(null, 204);
  });

  return routes;
}

function tokenJson(row: RegistrationTokenRow): RegistrationTokenJson {
  return {
    token_id: row.tokenId,
    name: row.name,
    one_time: row.oneTime,
    uses: row.uses,
    revoked: row.revoked,
    created: formatTimestamp(row.created),
  };
}

function clientJson(client: ClientRow): AdminClientJson {
  return {
    client_id: client.clientId,
    name: client.name,
    public_key: publicKeyJson(client),
    signing_key: signingKeyJson(client),
    created: formatTimestamp(client.created),
    backed_up: client.backedUp === null ? null : formatTimestamp(client.backedUp),
    disabled: client.disabled === true,
  };
}
