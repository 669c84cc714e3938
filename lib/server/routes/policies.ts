/**
 * Sharing policies: `PUT /v1/storage/policy/{user}/{writer}/{reader}/{type}` (201; allow/deny
 * read, authorizer and edit), `DELETE /v1/storage/policy/{user}/{writer}/{reader}` (remove the
 * authorizer permission on every type, 200), and the lists `outgoing`, `incoming`, `proxies`
 * and `granted` with client names.
 *
 * @module
 */
import { Hono } from "hono";
import type {
  AuthorizerPolicyJson,
  IncomingPolicyJson,
  OutgoingPolicyJson,
} from "../../protocol/responses.ts";
import { type ParsedPolicyPut, policyPutSchema } from "../../protocol/schemas.ts";
import type { GrantKey } from "../../store/grant_key.ts";
import type { PolicyRow } from "../../store/policies.ts";
import type { Store } from "../../store/store.ts";
import { assertMayPutPolicy } from "../_authorization.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { typeParam, uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";

type Action = "read" | "authorizer" | "edit";

/**
 * The policy routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", policyRoutes(deps));
 * ```
 */
export function policyRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.get("/v1/storage/policy/outgoing", async (c) => {
    const callerId = c.get("clientId");
    const rows = await deps.store.policies.list({ writerId: callerId, canRead: true });
    const names = await clientNames(deps.store, rows.map((row) => row.readerId));
    const body: OutgoingPolicyJson[] = rows
      .filter((row) => row.readerId !== callerId)
      .map((row) => ({
        reader_id: row.readerId,
        reader_name: names.get(row.readerId) ?? "",
        record_type: row.type,
      }));
    return c.json(body, 200);
  });

  routes.get("/v1/storage/policy/incoming", async (c) => {
    const callerId = c.get("clientId");
    const rows = await deps.store.policies.list({ readerId: callerId, canRead: true });
    const names = await clientNames(deps.store, rows.map((row) => row.writerId));
    const body: IncomingPolicyJson[] = rows
      .filter((row) => row.writerId !== callerId)
      .map((row) => ({
        writer_id: row.writerId,
        writer_name: names.get(row.writerId) ?? "",
        record_type: row.type,
      }));
    return c.json(body, 200);
  });

  routes.get("/v1/storage/policy/proxies", async (c) => {
    const rows = await deps.store.policies.list({
      writerId: c.get("clientId"),
      canAuthorize: true,
    });
    return c.json(rows.map(authorizerJson), 200);
  });

  routes.get("/v1/storage/policy/granted", async (c) => {
    const rows = await deps.store.policies.list({
      readerId: c.get("clientId"),
      canAuthorize: true,
    });
    return c.json(rows.map(authorizerJson), 200);
  });

  routes.put("/v1/storage/policy/:userId/:writerId/:readerId/:type", async (c) => {
    const callerId = c.get("clientId");
    const key: GrantKey = {
      userId: uuidParam(c, "userId"),
      writerId: uuidParam(c, "writerId"),
      readerId: uuidParam(c, "readerId"),
      type: typeParam(c),
    };
    const body = await readJson(c, policyPutSchema);
    const policy = await deps.store.transaction(async (tx) => {
      await assertMayPutPolicy(tx, callerId, key, actionsOf(body));
      if (await tx.clients.get(key.readerId) === undefined) {
        throw new HttpError(404, "Reader client not found");
      }
      if (await tx.clients.get(key.writerId) === undefined) {
        throw new HttpError(404, "Writer client not found");
      }
      const current = await tx.policies.get(key);
      const next = applyPolicy(current, key, body, callerId, deps.clock());
      await tx.policies.put(next);
      return next;
    });
    return c.json({
      user_id: policy.userId,
      writer_id: policy.writerId,
      reader_id: policy.readerId,
      record_type: policy.type,
      read: policy.canRead,
      authorizer: policy.canAuthorize,
      edit: policy.canEdit,
    }, 201);
  });

  routes.delete("/v1/storage/policy/:userId/:writerId/:readerId", async (c) => {
    const userId = uuidParam(c, "userId");
    const writerId = uuidParam(c, "writerId");
    const readerId = uuidParam(c, "readerId");
    if (c.get("clientId") !== writerId) {
      throw new HttpError(403, "Only the writer may remove an authorizer");
    }
    await deps.store.policies.removeAuthorizer(userId, writerId, readerId);
    return c.body(null, 200);
  });

  return routes;
}

function actionsOf(body: ParsedPolicyPut): Set<Action> {
  const actions = new Set<Action>();
  for (const item of [...body.allow, ...body.deny]) {
    for (const name of Object.keys(item) as Action[]) actions.add(name);
  }
  return actions;
}

/** Applies allows, then denies (deny wins when both name an action). */
function applyPolicy(
  current: PolicyRow | undefined,
  key: GrantKey,
  body: ParsedPolicyPut,
  callerId: string,
  now: number,
): PolicyRow {
  const flags: Record<Action, boolean> = {
    read: current?.canRead ?? false,
    authorizer: current?.canAuthorize ?? false,
    edit: current?.canEdit ?? false,
  };
  for (const item of body.allow) {
    for (const name of Object.keys(item) as Action[]) flags[name] = true;
  }
  for (const item of body.deny) {
    for (const name of Object.keys(item) as Action[]) flags[name] = false;
  }
  return {
    ...key,
    canRead: flags.read,
    canAuthorize: flags.authorizer,
    canEdit: flags.edit,
    authorizedBy: callerId,
    updated: now,
  };
}

function authorizerJson(row: PolicyRow): AuthorizerPolicyJson {
  return {
    authorizer_id: row.readerId,
    writer_id: row.writerId,
    user_id: row.userId,
    record_type: row.type,
    authorized_by: row.authorizedBy,
  };
}

async function clientNames(store: Store, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const client = await store.clients.get(id);
    if (client !== undefined) names.set(id, client.name);
  }
  return names;
}
