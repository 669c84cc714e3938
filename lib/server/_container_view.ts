/**
 * Who may reach a container and what they see of it: the caller's live access entry (an entry
 * past its expiration is no access at all, the same 404 as an unknown container), the permission
 * checks with their 403 messages, and the caller's view of a container as the wire JSON.
 *
 * @module
 */
import {
  ACCESS_VIEW,
  CONTAINER_DECRYPT,
  CONTAINER_DOWNLOAD,
  CONTAINER_TYPE_VIEW,
} from "../protocol/permissions.ts";
import {
  CONTAINER_NOT_FOUND_MESSAGE,
  type ContainerAccessJson,
  type ContainerJson,
  type KeyBlobJson,
} from "../protocol/containers.ts";
import type { ContainerAccessRow, ContainerRow } from "../store/containers.ts";
import type { Store } from "../store/store.ts";
import { HttpError } from "./_http_error.ts";

/** A container with its live access list, as one caller reaches it. */
export interface ReachedContainer {
  /** The container. */
  row: ContainerRow;
  /** Its access entries that have not expired. */
  access: ContainerAccessRow[];
  /** The caller's own entry (live). */
  own: ContainerAccessRow;
}

/**
 * Whether an access entry is live at `now`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLive } from "./_container_view.ts";
 * assert.equal(isLive({ expiration: null }, 5), true);
 * assert.equal(isLive({ expiration: 5 }, 5), false);
 * ```
 */
export function isLive(entry: { expiration: number | null }, now: number): boolean {
  return entry.expiration === null || entry.expiration > now;
}

/**
 * The container `containerId` with its live access list, as `callerId` reaches it, or
 * `undefined` when there is none or the caller has no live entry. Pass `row` when it is
 * already read.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * const reached = await findContainer(store, containerId, clientId, now);
 * ```
 */
export async function findContainer(
  store: Store,
  containerId: string,
  callerId: string,
  now: number,
  row?: ContainerRow,
): Promise<ReachedContainer | undefined> {
  const found = row ?? await store.containers.get(containerId);
  if (found === undefined) return undefined;
  const access = (await store.containers.listAccess(containerId)).filter((e) => isLive(e, now));
  const own = access.find((entry) => entry.userId === callerId);
  return own === undefined ? undefined : { row: found, access, own };
}

/**
 * Like {@linkcode findContainer}, but 404 {@linkcode CONTAINER_NOT_FOUND_MESSAGE} instead of
 * `undefined`: an unknown container and one the caller cannot reach answer the same.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * const { row, own } = await reachContainer(tx, containerId, clientId, now);
 * ```
 */
export async function reachContainer(
  store: Store,
  containerId: string,
  callerId: string,
  now: number,
): Promise<ReachedContainer> {
  const reached = await findContainer(store, containerId, callerId, now);
  if (reached === undefined) throw new HttpError(404, CONTAINER_NOT_FOUND_MESSAGE);
  return reached;
}

/**
 * Throws a 403 naming the permission unless `permissions` has `bit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requirePermission } from "./_container_view.ts";
 * requirePermission(3, 1, "container.download"); // has it
 * assert.throws(() => requirePermission(2, 1, "container.download"), /container.download/);
 * ```
 */
export function requirePermission(
  permissions: number,
  bit: number,
  name: string,
  why = "",
): void {
  if ((permissions & bit) === 0) {
    throw new HttpError(403, `${name} permission required${why}`);
  }
}

/** What goes into a container view beyond what the caller may see anyway. */
export interface ViewOptions {
  /** The sealed content inline (base64url), or `null`. */
  content: string | null;
  /** Leave out the header and the key blob (listings). */
  metadataOnly?: boolean;
}

/**
 * The caller's view of a container: the type only with `container.type.view`, the full access
 * list only with `access.view` (else the caller's own entry), the key blob only with
 * `container.decrypt`, the header (and inline content) only with `container.download`.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * return c.json(containerView(reached, { content: null }), 200);
 * ```
 */
export function containerView(reached: ReachedContainer, options: ViewOptions): ContainerJson {
  const { row, access, own } = reached;
  const can = (bit: number) => (own.permissions & bit) !== 0;
  const entries = can(ACCESS_VIEW) ? access : [own];
  const full = options.metadataOnly !== true;
  return {
    container_id: row.containerId,
    type: can(CONTAINER_TYPE_VIEW) ? row.type : null,
    version: row.version,
    created_at: row.created,
    created_by: row.createdBy,
    modified_at: row.modified,
    modified_by: row.modifiedBy,
    length: row.length,
    content_size: row.contentSize,
    access: entries.map(accessJson),
    key_blob: full && can(CONTAINER_DECRYPT) && own.keyBlob !== null
      ? JSON.parse(own.keyBlob) as KeyBlobJson
      : null,
    header: full && can(CONTAINER_DOWNLOAD) ? row.header : null,
    content: full && can(CONTAINER_DOWNLOAD) ? options.content : null,
  };
}

function accessJson(entry: ContainerAccessRow): ContainerAccessJson {
  return {
    user_id: entry.userId,
    permissions: entry.permissions,
    expiration: entry.expiration,
    granted_by: entry.grantedBy,
  };
}
