/**
 * The container writes, each run inside the caller's transaction with its events: creating a
 * container, applying a change (type, a new sealed version, the access list), and removing one
 * user's access entry (the caller's own delete, an expiry, a deleted client), which deletes the
 * container and queues its bytes for deletion when no live entry remains.
 *
 * @module
 */
import {
  ACCESS_MODIFY,
  CONTAINER_DECRYPT,
  CONTAINER_TYPE_MODIFY,
  CONTAINER_UPLOAD,
} from "../protocol/permissions.ts";
import type { ContainerAccessRow, ContainerRow } from "../store/containers.ts";
import type { NewEventRow } from "../store/events.ts";
import type { Store } from "../store/store.ts";
import { containerEvent, type EventContext } from "./_container_events.ts";
import {
  isLive,
  reachContainer,
  type ReachedContainer,
  requirePermission,
} from "./_container_view.ts";
import { HttpError } from "./_http_error.ts";

/** One access entry as a write asks for it. */
export interface AccessInput {
  /** The user. */
  userId: string;
  /** Its permission bits. */
  permissions: number;
  /** When it ends, or `null`. */
  expiration: number | null;
  /** Its key blob of the new version (JSON text), or `null` (kept, for an unchanged version). */
  keyBlob: string | null;
}

/** A new sealed version: header and content, under a fresh container key. */
export interface ContentInput {
  /** The version number. */
  version: number;
  /** Plaintext content bytes. */
  length: number;
  /** The sealed header, or `null`. */
  header: string | null;
  /** Sealed content bytes. */
  contentSize: number;
  /** The sealed content when inline, else `null`. */
  inline: string | null;
  /** The blob holding the sealed content when uploaded, else `null`. */
  blobKey: string | null;
}

/** A change to a container (any combination; at least one part). */
export interface ContainerChange {
  /** A new type (`null` clears it); absent: unchanged. */
  type?: string | null;
  /** A new version; absent: unchanged. */
  content?: ContentInput;
  /** The complete new access list; absent: unchanged. */
  access?: AccessInput[];
}

/**
 * Creates a container with its access list and the `added` events (409 when the id is taken).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside a transaction.
 * await createContainer(tx, context, containerId, type, content, access);
 * ```
 */
export async function createContainer(
  tx: Store,
  context: EventContext,
  containerId: string,
  type: string | null,
  content: ContentInput,
  access: AccessInput[],
): Promise<ContainerRow> {
  await checkCreate(tx, containerId, access);
  const row: ContainerRow = {
    containerId,
    type,
    version: content.version,
    created: context.now,
    createdBy: context.actorId,
    modified: context.now,
    modifiedBy: context.actorId,
    length: content.length,
    contentSize: content.contentSize,
    header: content.header,
    inlineContent: content.inline,
    blobKey: content.blobKey,
  };
  await tx.containers.create(row);
  const entries = access.map((entry) => accessRow(containerId, entry, context.actorId));
  await tx.containers.replaceAccess(containerId, entries);
  await tx.events.append(entries.map((entry) =>
    containerEvent(context, entry, "added", row, {
      changes: changeSummary(row.version, ["access", "content", "header", "type"], entry),
    })
  ));
  return row;
}

/**
 * Checks a creation without writing: the id is free (no container, no upload announced for it:
 * 409), every entry with `container.decrypt` has a key blob, every user is a registered client.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside a transaction.
 * await checkCreate(tx, containerId, access);
 * ```
 */
export async function checkCreate(
  tx: Store,
  containerId: string,
  access: AccessInput[],
): Promise<void> {
  const taken = await tx.containers.get(containerId) !== undefined ||
    await tx.containers.getUpload(containerId, 1) !== undefined;
  if (taken) throw new HttpError(409, `container_id ${containerId} is taken`);
  requireKeyBlobs(access, new Map());
  await requireClients(tx, access);
}

/**
 * Checks a change without writing: the caller reaches the container (404), holds the
 * permissions (403), names the next version (409), gives the key blobs (400) of registered
 * clients (400). Returns the container as the caller reaches it.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside a transaction.
 * const reached = await checkChange(tx, context, containerId, change);
 * ```
 */
export async function checkChange(
  tx: Store,
  context: EventContext,
  containerId: string,
  change: ContainerChange,
): Promise<ReachedContainer> {
  const reached = await reachContainer(tx, containerId, context.actorId, context.now);
  authorizeChange(reached.row, reached.own, change);
  if (change.access !== undefined) {
    requireKeyBlobs(change.access, keptEntries(reached, change));
    await requireClients(tx, change.access);
  }
  return reached;
}

/** The entries whose key blobs a change may keep: none when it re-keys. */
function keptEntries(
  reached: ReachedContainer,
  change: ContainerChange,
): Map<string, ContainerAccessRow> {
  if (change.content !== undefined) return new Map();
  return new Map(reached.access.map((entry) => [entry.userId, entry]));
}

/**
 * Checks that the caller may make `change` (403 naming the rule; 409 for a stale version),
 * without writing anything.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * authorizeChange(reached.row, reached.own, change);
 * ```
 */
export function authorizeChange(
  row: ContainerRow,
  own: ContainerAccessRow,
  change: ContainerChange,
): void {
  if (change.type !== undefined) {
    requirePermission(own.permissions, CONTAINER_TYPE_MODIFY, "container.type.modify");
  }
  if (change.content !== undefined) {
    requirePermission(own.permissions, CONTAINER_UPLOAD, "container.upload");
    requirePermission(
      own.permissions,
      ACCESS_MODIFY,
      "access.modify",
      " to upload (a new version re-keys every access entry)",
    );
    if (change.content.version !== row.version + 1) {
      throw new HttpError(
        409,
        `version conflict: the current version is ${row.version}, so the new one must be ` +
          `${row.version + 1} (got ${change.content.version})`,
      );
    }
  }
  if (change.access !== undefined) {
    requirePermission(own.permissions, ACCESS_MODIFY, "access.modify");
  }
}

/**
 * Applies `change` to the container as `context.actorId` (who must reach it and hold the
 * permissions), with its events; queues a replaced content blob for deletion.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside a transaction.
 * const row = await applyChange(tx, context, containerId, { type: "memo" });
 * ```
 */
export async function applyChange(
  tx: Store,
  context: EventContext,
  containerId: string,
  change: ContainerChange,
): Promise<ContainerRow> {
  const reached = await checkChange(tx, context, containerId, change);
  const before = reached.row;
  const content = change.content;
  const row: ContainerRow = {
    ...before,
    type: change.type === undefined ? before.type : change.type,
    modified: context.now,
    modifiedBy: context.actorId,
    ...(content === undefined ? {} : {
      version: content.version,
      length: content.length,
      contentSize: content.contentSize,
      header: content.header,
      inlineContent: content.inline,
      blobKey: content.blobKey,
    }),
  };
  const allBefore = await tx.containers.listAccess(containerId);
  let after = reached.access;
  if (change.access !== undefined) {
    const kept = keptEntries(reached, change);
    after = change.access.map((entry) =>
      accessRow(containerId, entry, context.actorId, kept.get(entry.userId))
    );
    await tx.containers.replaceAccess(containerId, after);
  }
  await tx.containers.update(row);
  if (content !== undefined && before.blobKey !== null && before.blobKey !== row.blobKey) {
    await tx.files.queueBlobDeletion(before.blobKey);
  }
  const fields = changedFields(change, before);
  const events: NewEventRow[] = [];
  const afterIds = new Set(after.map((entry) => entry.userId));
  const liveBefore = new Set(reached.access.map((entry) => entry.userId));
  for (const entry of after) {
    const action = liveBefore.has(entry.userId) ? "updated" : "added";
    events.push(containerEvent(context, entry, action, row, {
      changes: changeSummary(row.version, fields, entry),
    }));
  }
  for (const entry of allBefore) {
    if (afterIds.has(entry.userId)) continue;
    const expired = !isLive(entry, context.now);
    events.push(containerEvent(context, entry, "deleted", row, {
      changes: changeSummary(row.version, fields, null),
      expiredAt: expired ? entry.expiration : null,
    }));
  }
  await tx.events.append(events);
  return row;
}

/** Why an access entry is removed. */
export interface RemovalReason {
  /** Set when it expired: its expiration. */
  expiredAt?: number;
}

/**
 * Removes `userId`'s access entry with its events: `deleted` for that user, `updated` for those
 * who keep live access; when none does, the container is deleted (its bytes queued for
 * deletion) and users whose entries had expired get their `deleted` too. False when there was
 * no such entry.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside a transaction.
 * await removeAccess(tx, context, containerId, context.actorId);
 * ```
 */
export async function removeAccess(
  tx: Store,
  context: EventContext,
  containerId: string,
  userId: string,
  reason: RemovalReason = {},
): Promise<boolean> {
  const row = await tx.containers.get(containerId);
  if (row === undefined) return false;
  const entries = await tx.containers.listAccess(containerId);
  const target = entries.find((entry) => entry.userId === userId);
  if (target === undefined) return false;
  await tx.containers.deleteAccess(containerId, userId);
  const rest = entries.filter((entry) => entry.userId !== userId);
  const live = rest.filter((entry) => isLive(entry, context.now));
  const deleteContainer = live.length === 0;
  const updated = deleteContainer ? row : { ...row, modified: context.now };
  const gone = { containerDeleted: deleteContainer };
  const events: NewEventRow[] = [
    containerEvent(context, target, "deleted", updated, {
      ...gone,
      changes: changeSummary(row.version, ["access"], null),
      expiredAt: reason.expiredAt ?? null,
    }),
  ];
  if (deleteContainer) {
    for (const entry of rest) {
      events.push(containerEvent(context, entry, "deleted", row, {
        ...gone,
        changes: changeSummary(row.version, ["access"], null),
        expiredAt: entry.expiration,
      }));
    }
    await tx.containers.delete(containerId);
    if (row.blobKey !== null) await tx.files.queueBlobDeletion(row.blobKey);
  } else {
    await tx.containers.update(updated);
    for (const entry of live) {
      events.push(containerEvent(context, entry, "updated", updated, {
        changes: changeSummary(row.version, ["access"], entry),
      }));
    }
  }
  await tx.events.append(events);
  return true;
}

/** The `changes` of an event: the version, the changed parts, the recipient's own entry. */
function changeSummary(
  version: number,
  fields: string[],
  entry: ContainerAccessRow | null,
): Record<string, unknown> {
  return {
    version,
    fields,
    permissions: entry?.permissions ?? null,
    expiration: entry?.expiration ?? null,
  };
}

function changedFields(change: ContainerChange, before: ContainerRow): string[] {
  const fields: string[] = [];
  if (change.access !== undefined) fields.push("access");
  if (change.content !== undefined) fields.push("content", "header");
  if (change.type !== undefined && change.type !== before.type) fields.push("type");
  return fields;
}

/** 400 unless every entry with `container.decrypt` has a key blob (its own or a kept one). */
function requireKeyBlobs(access: AccessInput[], kept: Map<string, ContainerAccessRow>): void {
  for (const entry of access) {
    if ((entry.permissions & CONTAINER_DECRYPT) === 0) continue;
    if (entry.keyBlob === null && kept.get(entry.userId)?.keyBlob == null) {
      throw new HttpError(
        400,
        `access: user ${entry.userId} has container.decrypt but no key_blob for this version`,
      );
    }
  }
}

/** 400 naming the first listed user that is not a registered client. */
async function requireClients(tx: Store, access: AccessInput[]): Promise<void> {
  for (const entry of access) {
    if (await tx.clients.get(entry.userId) === undefined) {
      throw new HttpError(400, `access: user ${entry.userId} is not a registered client`);
    }
  }
}

/**
 * The stored entry: without `container.decrypt` no key blob is kept; an entry given without a
 * key blob keeps its current one; an entry that is unchanged keeps its `granted_by`.
 */
function accessRow(
  containerId: string,
  entry: AccessInput,
  actorId: string,
  current?: ContainerAccessRow,
): ContainerAccessRow {
  const decrypt = (entry.permissions & CONTAINER_DECRYPT) !== 0;
  const unchanged = current !== undefined && current.permissions === entry.permissions &&
    current.expiration === entry.expiration && entry.keyBlob === null;
  return {
    containerId,
    userId: entry.userId,
    permissions: entry.permissions,
    expiration: entry.expiration,
    grantedBy: unchanged ? current.grantedBy : actorId,
    keyBlob: decrypt ? entry.keyBlob ?? current?.keyBlob ?? null : null,
  };
}
