/**
 * The sealed content bytes of containers (docs/containers.md, "Wire protocol"), behind bearer
 * authentication and outside the body limit (uploads stream to the blob store):
 *
 * - `PUT /v1/arca/containers/{id}/content/{version}` streams exactly the announced
 *   `content_size` bytes into the blob store (400 on any other size, nothing kept), then applies
 *   the change announced with them in one transaction with its events → 204. Only the client
 *   that announced the version may upload it; one upload runs at a time (409).
 * - `GET /v1/arca/containers/{id}/content` streams the current sealed content (inline or from
 *   the blob store) with `Content-Length` and `Arca-Container-Version`; 403 without
 *   `container.download`.
 *
 * @module
 */
import { Hono } from "hono";
import { decodeBase64Url } from "../../crypto/encoding.ts";
import {
  CONTAINER_NOT_FOUND_MESSAGE,
  CONTAINER_VERSION_HEADER,
  CONTAINERS_PATH,
} from "../../protocol/containers.ts";
import { CONTAINER_DOWNLOAD } from "../../protocol/permissions.ts";
import type { ContainerUploadRow } from "../../store/containers.ts";
import { appNameOf, deleteDroppedContent, pendingChangeFromText } from "../_container_requests.ts";
import { reachContainer, requirePermission } from "../_container_view.ts";
import { applyChange, createContainer } from "../_container_writes.ts";
import { notifyEvents } from "../_event_notifier.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { verifyUpload } from "../_upload_verifier.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { requireBlobs } from "./files.ts";

/** The pattern of the upload path, which skips the request body limit. */
export const CONTAINER_UPLOAD_PATH = /^\/v1\/arca\/containers\/[^/]+\/content\/[^/]+$/;

const NO_UPLOAD = "No upload is announced for this container version";

/**
 * The content routes (they need `requireBearer`, declared in `app.ts`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", containerContentRoutes(deps));
 * ```
 */
export function containerContentRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.put(`${CONTAINERS_PATH}/:container_id/content/:version`, async (c) => {
    const blobs = requireBlobs(deps);
    const containerId = uuidParam(c, "container_id", 400);
    const version = versionParam(c.req.param("version"));
    const clientId = c.get("clientId");
    const upload = await deps.store.containers.getUpload(containerId, version);
    if (upload === undefined || upload.writerId !== clientId) throw new HttpError(404, NO_UPLOAD);
    if (upload.expires <= deps.clock()) throw new HttpError(404, `${NO_UPLOAD} (it expired)`);
    if (
      !(await deps.store.containers.setUploadState(containerId, version, "pending", "uploading"))
    ) {
      throw new HttpError(409, "This version's bytes are already being uploaded");
    }
    try {
      const body = c.req.raw.body ?? new Blob([]).stream();
      const checked = verifyUpload(body, { checksum: null, size: upload.contentSize });
      await blobs.put(upload.blobKey, checked.body);
    } catch (error) {
      await deps.store.containers.setUploadState(containerId, version, "uploading", "pending");
      throw error;
    }
    await commitUpload(deps, upload, appNameOf(c));
    return c.body(null, 204);
  });

  routes.get(`${CONTAINERS_PATH}/:container_id/content`, async (c) => {
    const containerId = uuidParam(c, "container_id", 400);
    const { row, own } = await reachContainer(
      deps.store,
      containerId,
      c.get("clientId"),
      deps.clock(),
    );
    requirePermission(own.permissions, CONTAINER_DOWNLOAD, "container.download");
    const headers = new Headers({
      "content-type": "application/octet-stream",
      "cache-control": "no-store",
      "content-length": String(row.contentSize),
      [CONTAINER_VERSION_HEADER]: String(row.version),
    });
    if (row.inlineContent !== null) {
      const bytes = new Uint8Array(decodeBase64Url(row.inlineContent));
      return new Response(bytes, { status: 200, headers });
    }
    const stream = row.blobKey === null ? undefined : await deps.blobs?.read(row.blobKey);
    if (stream === undefined) throw new HttpError(404, CONTAINER_NOT_FOUND_MESSAGE);
    return new Response(stream, { status: 200, headers });
  });

  return routes;
}

/**
 * Applies the change announced with an upload whose bytes are now in the blob store, in one
 * transaction with its events. Any refusal (the writer lost a permission, another version came
 * first) drops the upload and its bytes and is rethrown.
 */
async function commitUpload(
  deps: Deps,
  upload: ContainerUploadRow,
  appName: string | null,
): Promise<void> {
  const { create, change } = pendingChangeFromText(upload.change);
  const context = { now: deps.clock(), actorId: upload.writerId, appName };
  try {
    await deps.store.transaction(async (tx) => {
      if (!(await tx.containers.deleteUpload(upload.containerId, upload.version))) {
        throw new HttpError(404, `${NO_UPLOAD} (it expired during the upload)`);
      }
      if (create) {
        await createContainer(
          tx,
          context,
          upload.containerId,
          change.type ?? null,
          change.content!,
          change.access!,
        );
      } else {
        await applyChange(tx, context, upload.containerId, change);
      }
    });
  } catch (error) {
    await deps.store.transaction(async (tx) => {
      await tx.containers.deleteUpload(upload.containerId, upload.version);
      await tx.files.queueBlobDeletion(upload.blobKey);
    });
    await deleteDroppedContent(deps);
    throw error;
  }
  notifyEvents(deps.store);
  await deleteDroppedContent(deps);
}

function versionParam(text: string): number {
  const value = Number(text);
  if (!/^\d{1,10}$/.test(text) || value < 1 || value > 2 ** 31 - 1) {
    throw new HttpError(400, `version must be an integer >= 1, got ${JSON.stringify(text)}`);
  }
  return value;
}
