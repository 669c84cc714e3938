/**
 * The event rows of container changes: one per user concerned, built here and appended by the
 * writes in the same transaction as the change (docs/containers.md, "Events"). The container's
 * type goes only to recipients holding `container.type.view`.
 *
 * @module
 */
import type { EventAction } from "../protocol/events.ts";
import { CONTAINER_TYPE_VIEW } from "../protocol/permissions.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { NewEventRow } from "../store/events.ts";

/** Who did it, when, from which application. */
export interface EventContext {
  /** The time of the change. */
  now: number;
  /** The client that made it. */
  actorId: string;
  /** The request's `Arca-App-Name`, or `null`. */
  appName: string | null;
}

/** The recipient of one event, with the permissions it holds (or held) on the container. */
export interface EventRecipient {
  /** The user. */
  userId: string;
  /** Its permission bits (before the change, for a removed entry). */
  permissions: number;
}

/** The optional parts of one event. */
export interface EventDetails {
  /** What changed (see docs/containers.md); `null` when nothing is said. */
  changes?: Record<string, unknown> | null;
  /** When the recipient's access expired (expiry events). */
  expiredAt?: number | null;
  /** Whose access changed, when not the actor (default: the actor). */
  relatedUserId?: string;
  /** The container no longer exists: no modification time. */
  containerDeleted?: boolean;
}

/**
 * One container event for `recipient`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerEvent } from "./_container_events.ts";
 * const row = {
 *   containerId: "c", type: "memo", version: 1, created: 1, createdBy: "a", modified: 2,
 *   modifiedBy: "a", length: 0, contentSize: 0, header: null, inlineContent: "", blobKey: null,
 * };
 * const context = { now: 2, actorId: "a", appName: null };
 * const event = containerEvent(context, { userId: "b", permissions: 11 }, "added", row);
 * assert.equal(event.containerType, null); // b lacks container.type.view
 * assert.equal(event.relatedUserId, "a");
 * ```
 */
export function containerEvent(
  context: EventContext,
  recipient: EventRecipient,
  action: EventAction,
  row: ContainerRow,
  details: EventDetails = {},
): NewEventRow {
  return {
    userId: recipient.userId,
    action,
    type: "container",
    date: context.now,
    containerId: row.containerId,
    containerType: (recipient.permissions & CONTAINER_TYPE_VIEW) !== 0 ? row.type : null,
    containerModified: details.containerDeleted === true ? null : row.modified,
    containerExpired: details.expiredAt ?? null,
    relatedUserId: details.relatedUserId ?? context.actorId,
    appName: context.appName,
    changes: details.changes === undefined || details.changes === null
      ? null
      : JSON.stringify(details.changes),
  };
}

/**
 * The `key_file` event of a user whose key file was replaced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileEvent } from "./_container_events.ts";
 * const event = keyFileEvent({ now: 5, actorId: "u", appName: "cli" });
 * assert.equal(event.type, "key_file");
 * assert.equal(event.userId, "u");
 * ```
 */
export function keyFileEvent(context: EventContext): NewEventRow {
  return {
    userId: context.actorId,
    action: "updated",
    type: "key_file",
    date: context.now,
    containerId: null,
    containerType: null,
    containerModified: null,
    containerExpired: null,
    relatedUserId: context.actorId,
    appName: context.appName,
    changes: null,
  };
}
