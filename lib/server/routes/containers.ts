/**
 * `/v1/arca/containers` (docs/containers.md, "Wire protocol"), behind bearer authentication:
 *
 * - `POST /v1/arca/containers` creates a container (201), inline or announced for a PUT;
 * - `GET /v1/arca/containers` lists the containers the caller can reach, by id;
 * - `GET /v1/arca/containers/{id}` answers the caller's view (`?content=inline` adds small
 *   content) and writes `accessed` events;
 * - `PATCH /v1/arca/containers/{id}` changes the type, the access list, or makes a new sealed
 *   version (re-key);
 * - `DELETE /v1/arca/containers/{id}` removes the caller's own access (the container and its
 *   bytes go with the last one).
 *
 * The content bytes are in `container_content.ts`. Every permission is checked here, against
 * the caller's live entry; an expired entry, like no entry, is a 404.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import {
  CONTAINER_NOT_FOUND_MESSAGE,
  containerCreateSchema,
  type ContainerJson,
  type ContainerListResponse,
  CONTAINERS_PATH,
  containerUpdateSchema,
} from "../../protocol/containers.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import type { ContainerRow } from "../../store/containers.ts";
import type { Store } from "../../store/store.ts";
import { containerEvent, type EventContext } from "../_container_events.ts";
import {
  accessInputs,
  appNameOf,
  contentInput,
  deleteDroppedContent,
  inlineLimit,
  pendingChangeText,
} from "../_container_requests.ts";
import { containerView, findContainer, reachContainer } from "../_container_view.ts";
import {
  applyChange,
  checkChange,
  checkCreate,
  type ContainerChange,
  createContainer,
  removeAccess,
} from "../_container_writes.ts";
import { notifyEvents } from "../_event_notifier.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { CONTAINER_UPLOAD_SECONDS } from "../settings.ts";

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * The container routes (they need `requireBearer`, declared in `app.ts`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", containerRoutes(deps));
 * ```
 */
export function containerRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.post(CONTAINERS_PATH, async (c) => {
    const body = await readJson(c, containerCreateSchema);
    const context = eventContext(deps, c);
    const containerId = body.container_id.toLowerCase();
    const access = accessInputs(body.access, context.actorId);
    const content = contentInput(deps, containerId, { ...body, version: 1 });
    const type = body.type ?? null;
    const view = await deps.store.transaction(async (tx) => {
      if (content.inline !== null) {
        await createContainer(tx, context, containerId, type, content, access);
        return await viewOf(tx, containerId, context, null);
      }
      await checkCreate(tx, containerId, access);
      await announceUpload(tx, context, containerId, content.version, content.blobKey!, {
        create: true,
        change: { type, content, access },
      }, content.contentSize);
      return pendingView(containerId, context, { type, content, access });
    });
    if (content.inline !== null) notifyEvents(deps.store);
    return c.json(view, 201);
  });

  routes.get(CONTAINERS_PATH, async (c) => {
    const clientId = c.get("clientId");
    const limit = pageLimit(c.req.query("limit"));
    const after = c.req.query("after");
    if (after !== undefined && !/^[0-9a-fA-F-]{1,36}$/.test(after)) {
      throw new HttpError(400, `after must be a container id, got ${JSON.stringify(after)}`);
    }
    const type = c.req.query("type");
    if (type !== undefined && (type.length === 0 || type.length > 1024)) {
      throw new HttpError(400, "type must be 1-1024 characters");
    }
    const now = deps.clock();
    const rows = await deps.store.containers.listReachable({
      userId: clientId,
      now,
      after: after?.toLowerCase(),
      type,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const containers: ContainerJson[] = [];
    for (const row of page) {
      const reached = await findContainer(deps.store, row.containerId, clientId, now, row);
      if (reached !== undefined) {
        containers.push(containerView(reached, { content: null, metadataOnly: true }));
      }
    }
    const next = rows.length > limit ? page.at(-1)!.containerId : null;
    const answer: ContainerListResponse = { containers, next };
    return c.json(answer, 200);
  });

  routes.get(`${CONTAINERS_PATH}/:container_id`, async (c) => {
    const containerId = uuidParam(c, "container_id", 400);
    const inline = inlineQuery(c.req.query("content"));
    const context = eventContext(deps, c);
    const reached = await deps.store.transaction(async (tx) => {
      const reached = await reachContainer(tx, containerId, context.actorId, context.now);
      const readers = reached.access.filter((entry) =>
        entry.userId === context.actorId || entry.userId === reached.row.createdBy
      );
      await tx.events.append(
        readers.map((entry) =>
          containerEvent(context, entry, "accessed", reached.row, { changes: null })
        ),
      );
      return reached;
    });
    notifyEvents(deps.store);
    const content = inline ? await inlineContent(deps, reached.row) : null;
    return c.json(containerView(reached, { content }), 200);
  });

  routes.patch(`${CONTAINERS_PATH}/:container_id`, async (c) => {
    const containerId = uuidParam(c, "container_id", 400);
    const body = await readJson(c, containerUpdateSchema);
    const context = eventContext(deps, c);
    const change: ContainerChange = {};
    if (body.type !== undefined) change.type = body.type;
    if (body.access !== undefined) change.access = accessInputs(body.access, context.actorId);
    if (body.version !== undefined) {
      change.content = contentInput(deps, containerId, {
        ...body,
        version: body.version,
        length: body.length ?? 0,
      });
    }
    const upload = change.content !== undefined && change.content.inline === null;
    const view = await deps.store.transaction(async (tx) => {
      if (!upload) {
        await applyChange(tx, context, containerId, change);
        return await viewOf(tx, containerId, context, null);
      }
      await checkChange(tx, context, containerId, change);
      const content = change.content!;
      if (await tx.containers.getUpload(containerId, content.version) !== undefined) {
        throw new HttpError(409, `version ${content.version} is already announced for upload`);
      }
      await announceUpload(tx, context, containerId, content.version, content.blobKey!, {
        create: false,
        change,
      }, content.contentSize);
      return await viewOf(tx, containerId, context, null);
    });
    if (!upload) {
      notifyEvents(deps.store);
      await deleteDroppedContent(deps);
    }
    return c.json(view, 200);
  });

  routes.delete(`${CONTAINERS_PATH}/:container_id`, async (c) => {
    const containerId = uuidParam(c, "container_id", 400);
    const context = eventContext(deps, c);
    await deps.store.transaction(async (tx) => {
      await reachContainer(tx, containerId, context.actorId, context.now);
      await removeAccess(tx, context, containerId, context.actorId);
    });
    notifyEvents(deps.store);
    await deleteDroppedContent(deps);
    return c.body(null, 204);
  });

  return routes;
}

function eventContext(deps: Deps, c: Context<BearerEnv>): EventContext {
  return { now: deps.clock(), actorId: c.get("clientId"), appName: appNameOf(c) };
}

/** Announces an upload that expires in {@linkcode CONTAINER_UPLOAD_SECONDS}. */
async function announceUpload(
  tx: Store,
  context: EventContext,
  containerId: string,
  version: number,
  blobKey: string,
  pending: Parameters<typeof pendingChangeText>[0],
  contentSize: number,
): Promise<void> {
  await tx.containers.createUpload({
    containerId,
    version,
    writerId: context.actorId,
    blobKey,
    contentSize,
    state: "pending",
    created: context.now,
    expires: context.now + CONTAINER_UPLOAD_SECONDS * 1_000_000,
    change: pendingChangeText(pending),
  });
}

/**
 * The caller's view of a container inside the transaction that changed it. A caller that left
 * itself out of the access list sees only the clear metadata, with an empty access list.
 */
async function viewOf(
  tx: Store,
  containerId: string,
  context: EventContext,
  content: string | null,
): Promise<ContainerJson> {
  const reached = await findContainer(tx, containerId, context.actorId, context.now);
  if (reached !== undefined) return containerView(reached, { content });
  const row = await tx.containers.get(containerId);
  if (row === undefined) throw new HttpError(404, CONTAINER_NOT_FOUND_MESSAGE);
  const none = { ...LEFT_OUT, containerId, userId: context.actorId };
  return { ...containerView({ row, access: [], own: none }, { content: null }), access: [] };
}

const LEFT_OUT = { permissions: 0, expiration: null, grantedBy: "", keyBlob: null };

/** The answer to a creation that waits for its upload: what the container will be. */
function pendingView(
  containerId: string,
  context: EventContext,
  change: Required<ContainerChange>,
): ContainerJson {
  return {
    container_id: containerId,
    type: change.type,
    version: change.content.version,
    created_at: context.now,
    created_by: context.actorId,
    modified_at: context.now,
    modified_by: context.actorId,
    length: change.content.length,
    content_size: change.content.contentSize,
    access: change.access.map((entry) => ({
      user_id: entry.userId,
      permissions: entry.permissions,
      expiration: entry.expiration,
      granted_by: context.actorId,
    })),
    key_blob: null,
    header: null,
    content: null,
  };
}

function inlineQuery(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value !== "inline") {
    throw new HttpError(400, `content must be "inline" when given, got ${JSON.stringify(value)}`);
  }
  return true;
}

function pageLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE;
  const value = Number(text);
  if (!/^\d{1,4}$/.test(text) || value < 1 || value > MAX_PAGE) {
    throw new HttpError(
      400,
      `limit must be an integer from 1 to ${MAX_PAGE}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** The sealed content as base64url when it is small enough to answer inline, else `null`. */
async function inlineContent(deps: Deps, row: ContainerRow): Promise<string | null> {
  if (row.contentSize > inlineLimit(deps)) return null;
  if (row.inlineContent !== null) return row.inlineContent;
  if (row.blobKey === null || deps.blobs === undefined) return null;
  const stream = await deps.blobs.read(row.blobKey);
  if (stream === undefined) throw new HttpError(404, CONTAINER_NOT_FOUND_MESSAGE);
  return encodeBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}
