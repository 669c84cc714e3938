/**
 * `/v1/storage/access_keys/{writer_id}/{user_id}/{reader_id}/{record_type}`: encrypted access
 * keys. GET (only the reader; 404 when none), PUT → 201 and DELETE → 204 (the writer, or an
 * authorizer it granted for the type). The caller of a PUT is recorded as the authorizer, and
 * its public key is what readers get back to open the EAK.
 *
 * A writer's own EAK (writer = user = reader) is create-only: a PUT when one exists answers 409,
 * so two devices of one client creating a type's key at once cannot replace each other's key
 * (the loser fetches the winner's). EAKs for other readers may be replaced as before.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { accessKeyPutSchema } from "../../protocol/schemas.ts";
import type { GrantKey } from "../../store/grant_key.ts";
import { assertMayManageAccessKey } from "../_authorization.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { typeParam, uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";
import { accessKeyJson } from "../_wire.ts";

const PATH = "/v1/storage/access_keys/:writerId/:userId/:readerId/:type";

function grantKey(c: Context<BearerEnv>, badStatus: 400 | 404): GrantKey {
  return {
    writerId: uuidParam(c, "writerId", badStatus),
    userId: uuidParam(c, "userId", badStatus),
    readerId: uuidParam(c, "readerId", badStatus),
    type: typeParam(c),
  };
}

/** Whether `key` is a writer's access key for its own use (writer = user = reader). */
function isOwnAccessKey(key: GrantKey): boolean {
  return key.writerId === key.userId && key.userId === key.readerId;
}

/**
 * The access-key routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", accessKeyRoutes(deps));
 * ```
 */
export function accessKeyRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.get(PATH, async (c) => {
    const key = grantKey(c, 404);
    if (key.readerId !== c.get("clientId")) {
      throw new HttpError(403, "Only the reader may fetch an access key");
    }
    const accessKey = await deps.store.accessKeys.get(key);
    if (accessKey === undefined) throw new HttpError(404, "No access key");
    const authorizer = await deps.store.clients.get(accessKey.authorizerId);
    if (authorizer === undefined) throw new HttpError(404, "No access key");
    return c.json(accessKeyJson(accessKey, authorizer), 200);
  });

  routes.put(PATH, async (c) => {
    const key = grantKey(c, 400);
    const callerId = c.get("clientId");
    const body = await readJson(c, accessKeyPutSchema);
    const stored = await deps.store.transaction(async (tx) => {
      await assertMayManageAccessKey(tx, callerId, key);
      if (await tx.clients.get(key.readerId) === undefined) {
        throw new HttpError(404, "Reader client not found");
      }
      if (isOwnAccessKey(key) && await tx.accessKeys.get(key) !== undefined) {
        throw new HttpError(
          409,
          `The writer's own access key for type "${key.type}" already exists; fetch it instead`,
        );
      }
      const row = { ...key, eak: body.eak, authorizerId: callerId, created: deps.clock() };
      await tx.accessKeys.put(row);
      return { row, authorizer: await tx.clients.get(callerId) };
    });
    if (stored.authorizer === undefined) throw new HttpError(401, "Caller no longer exists");
    return c.json(accessKeyJson(stored.row, stored.authorizer), 201);
  });

  routes.delete(PATH, async (c) => {
    const key = grantKey(c, 400);
    const callerId = c.get("clientId");
    await deps.store.transaction(async (tx) => {
      await assertMayManageAccessKey(tx, callerId, key);
      await tx.accessKeys.delete(key);
    });
    return c.body(null, 204);
  });

  return routes;
}
