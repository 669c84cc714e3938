/**
 * Container, access, upload and event rows for both backends: the columns and bound values they
 * are written with, and stored rows (column name → value, as both backends read them;
 * PostgreSQL's bigints arrive as strings) as the store's row types.
 *
 * @module
 */
import type { EventAction, EventType } from "../protocol/events.ts";
import type {
  ContainerAccessRow,
  ContainerRow,
  ContainerUploadRow,
  ContainerUploadState,
} from "./containers.ts";
import type { EventRow, NewEventRow } from "./events.ts";

type Columns = Record<string, unknown>;

/** A bound parameter both backends take. */
type Param = string | number | null;

/** The `containers` columns in the order of {@linkcode containerParams}. */
export const CONTAINER_COLUMNS = "container_id, type, version, created, created_by, modified, " +
  "modified_by, length, content_size, header, inline_content, blob_key";

/** A container's values in the order of {@linkcode CONTAINER_COLUMNS}. */
export function containerParams(row: ContainerRow): Param[] {
  return [
    row.containerId,
    row.type,
    row.version,
    row.created,
    row.createdBy,
    row.modified,
    row.modifiedBy,
    row.length,
    row.contentSize,
    row.header,
    row.inlineContent,
    row.blobKey,
  ];
}

/**
 * A container's values for `UPDATE containers SET type, version, modified, modified_by, length,
 * content_size, header, inline_content, blob_key WHERE container_id`, in that order.
 */
export function containerUpdateParams(row: ContainerRow): Param[] {
  return [
    row.type,
    row.version,
    row.modified,
    row.modifiedBy,
    row.length,
    row.contentSize,
    row.header,
    row.inlineContent,
    row.blobKey,
    row.containerId,
  ];
}

/**
 * An access entry's values for `container_access (container_id, user_id, permissions,
 * expiration, granted_by, key_blob)`, in that order.
 */
export function accessParams(containerId: string, row: ContainerAccessRow): Param[] {
  return [containerId, row.userId, row.permissions, row.expiration, row.grantedBy, row.keyBlob];
}

/**
 * An upload's values for `container_uploads (container_id, version, writer_id, blob_key,
 * content_size, state, created, expires, change)`, in that order.
 */
export function uploadParams(row: ContainerUploadRow): Param[] {
  return [
    row.containerId,
    row.version,
    row.writerId,
    row.blobKey,
    row.contentSize,
    row.state,
    row.created,
    row.expires,
    row.change,
  ];
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A `containers` row. */
export function toContainer(row: Columns): ContainerRow {
  return {
    containerId: String(row.container_id),
    type: textOrNull(row.type),
    version: Number(row.version),
    created: Number(row.created),
    createdBy: String(row.created_by),
    modified: Number(row.modified),
    modifiedBy: String(row.modified_by),
    length: Number(row.length),
    contentSize: Number(row.content_size),
    header: textOrNull(row.header),
    inlineContent: textOrNull(row.inline_content),
    blobKey: textOrNull(row.blob_key),
  };
}

/** A `container_access` row. */
export function toAccess(row: Columns): ContainerAccessRow {
  return {
    containerId: String(row.container_id),
    userId: String(row.user_id),
    permissions: Number(row.permissions),
    expiration: numberOrNull(row.expiration),
    grantedBy: String(row.granted_by),
    keyBlob: textOrNull(row.key_blob),
  };
}

/** A `container_uploads` row. */
export function toUpload(row: Columns): ContainerUploadRow {
  return {
    containerId: String(row.container_id),
    version: Number(row.version),
    writerId: String(row.writer_id),
    blobKey: String(row.blob_key),
    contentSize: Number(row.content_size),
    state: String(row.state) as ContainerUploadState,
    created: Number(row.created),
    expires: Number(row.expires),
    change: String(row.change),
  };
}

/**
 * An event's values for `container_events (user_id, action, type, date, container_id,
 * container_type, container_modified, container_expired, related_user_id, app_name, changes)`,
 * in that order (`event_id` is assigned by the database).
 */
export function eventParams(event: NewEventRow): Param[] {
  return [
    event.userId,
    event.action,
    event.type,
    event.date,
    event.containerId,
    event.containerType,
    event.containerModified,
    event.containerExpired,
    event.relatedUserId,
    event.appName,
    event.changes,
  ];
}

/**
 * A stored row as an {@linkcode EventRow} (shared by the backends: the columns are the same).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toEvent } from "./_container_rows.ts";
 * const row = toEvent({ event_id: "3", user_id: "u", action: "added", type: "container", date: 1 });
 * assert.equal(row.eventId, 3);
 * assert.equal(row.containerId, null);
 * ```
 */
export function toEvent(row: Columns): EventRow {
  return {
    eventId: Number(row.event_id),
    userId: String(row.user_id),
    action: String(row.action) as EventAction,
    type: String(row.type) as EventType,
    date: Number(row.date),
    containerId: textOrNull(row.container_id),
    containerType: textOrNull(row.container_type),
    containerModified: numberOrNull(row.container_modified),
    containerExpired: numberOrNull(row.container_expired),
    relatedUserId: textOrNull(row.related_user_id),
    appName: textOrNull(row.app_name),
    changes: textOrNull(row.changes),
  };
}
