/**
 * Events on the wire (docs/containers.md, "Events"): the filter as query parameters, and the
 * event JSON read into a {@linkcode ContainerEvent}. Times are integer microseconds.
 *
 * @module
 */
import { ArcaError, ValidationError } from "../../errors.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { type WireObject, wireObject } from "../_wire_reader.ts";
import {
  type ContainerEventJson as EventJson,
  EVENT_ACTIONS as ACTIONS,
  EVENT_TYPES as TYPES,
  type EventAction,
  type EventType,
} from "../../protocol/events.ts";
import type { ContainerEvent, EventFilter } from "./container_types.ts";

/**
 * Checks an event filter and gives its query parameters (without the position).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventQuery } from "./_event_wire.ts";
 * assert.equal(eventQuery({ action: "added" }).toString(), "action=added");
 * assert.throws(() => eventQuery({ action: "eaten" as never }), /action/);
 * ```
 */
export function eventQuery(filter: EventFilter): URLSearchParams {
  if (filter === null || typeof filter !== "object") {
    throw new ValidationError("Event filter must be an object");
  }
  const query = new URLSearchParams();
  if (filter.type !== undefined) {
    if (!TYPES.includes(filter.type)) {
      throw new ValidationError(`Event type must be one of ${TYPES.join(", ")}`);
    }
    query.set("type", filter.type);
  }
  if (filter.containerType !== undefined) {
    if (typeof filter.containerType !== "string" || filter.containerType === "") {
      throw new ValidationError("containerType must be a non-empty string");
    }
    query.set("container_type", filter.containerType);
  }
  if (filter.containerId !== undefined) {
    query.set("container_id", parseUuid(filter.containerId, "containerId"));
  }
  if (filter.action !== undefined) {
    if (!ACTIONS.includes(filter.action)) {
      throw new ValidationError(`Event action must be one of ${ACTIONS.join(", ")}`);
    }
    query.set("action", filter.action);
  }
  startingEventId(filter);
  return query;
}

/**
 * The filter's `startingEventId` as the exclusive position the server takes (`after`), or
 * `undefined` when none was given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startingEventId } from "./_event_wire.ts";
 * assert.equal(startingEventId({ startingEventId: 10 }), 9);
 * assert.equal(startingEventId({ startingEventId: 0 }), 0);
 * assert.equal(startingEventId({}), undefined);
 * ```
 */
export function startingEventId(filter: EventFilter): number | undefined {
  const start = filter.startingEventId;
  if (start === undefined) return undefined;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new ValidationError("startingEventId must be a non-negative integer");
  }
  return Math.max(0, start - 1);
}

function microDate(value: unknown, key: string): Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ArcaError(`Server sent a malformed event: "${key}" is not a time`);
  }
  return new Date(Math.floor(value / 1000));
}

function optionalString(body: WireObject<EventJson>, key: keyof EventJson): string | null {
  const value = body[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new ArcaError(`Server sent a malformed event: "${key}" is not a string`);
  }
  return value;
}

/**
 * An event JSON as a {@linkcode ContainerEvent}; a malformed one is an `ArcaError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEvent } from "./_event_wire.ts";
 * const event = readEvent({ event_id: 7, action: "added", type: "container", date: 1e15 });
 * assert.equal(event.eventId, 7);
 * assert.equal(event.date.getTime(), 1e12);
 * ```
 */
export function readEvent(json: unknown): ContainerEvent {
  const body = wireObject<EventJson>(json, "event");
  const eventId = body.event_id;
  if (typeof eventId !== "number" || !Number.isSafeInteger(eventId) || eventId < 1) {
    throw new ArcaError('Server sent a malformed event: "event_id" is not a positive integer');
  }
  const action = body.action as EventAction;
  const type = body.type as EventType;
  if (!ACTIONS.includes(action) || !TYPES.includes(type)) {
    throw new ArcaError(`Server sent a malformed event: unknown action or type`);
  }
  const changes = body.changes;
  if (changes !== undefined && changes !== null && typeof changes !== "object") {
    throw new ArcaError('Server sent a malformed event: "changes" is not an object');
  }
  return {
    eventId,
    action,
    type,
    date: microDate(body.date, "date") ?? new Date(0),
    containerId: optionalString(body, "container_id"),
    containerType: optionalString(body, "container_type"),
    containerModifiedAt: microDate(body.container_modified_at, "container_modified_at"),
    containerExpiredAt: microDate(body.container_expired_at, "container_expired_at"),
    relatedUserId: optionalString(body, "related_user_id"),
    clientAppName: optionalString(body, "client_app_name"),
    changes: (changes ?? null) as Record<string, unknown> | null,
  };
}
