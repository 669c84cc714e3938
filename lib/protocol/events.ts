/**
 * Container events on the wire (`/v1/arca/events`, docs/containers.md "Events"): the event JSON,
 * the page answer, the filters, and the Server-Sent Events framing of the live stream.
 *
 * @module
 */

/** Where the event routes live. */
export const EVENTS_PATH = "/v1/arca/events";

/** The live stream (Server-Sent Events). */
export const EVENT_STREAM_PATH = "/v1/arca/events/stream";

/** The SSE `event:` name of every event of the stream. */
export const EVENT_STREAM_NAME = "arca";

/** What happened. */
export type EventAction = "accessed" | "added" | "deleted" | "updated";

/** Every {@linkcode EventAction}. */
export const EVENT_ACTIONS: readonly EventAction[] = ["accessed", "added", "deleted", "updated"];

/** What the event is about. */
export type EventType = "container" | "key_file";

/** Every {@linkcode EventType}. */
export const EVENT_TYPES: readonly EventType[] = ["container", "key_file"];

/** Default and largest page of `GET /v1/arca/events`. */
export const DEFAULT_EVENT_PAGE = 100;

/** Largest `limit` of `GET /v1/arca/events`. */
export const MAX_EVENT_PAGE = 1000;

/** One event, as the page and the stream carry it. */
export interface ContainerEventJson {
  /** Strictly increasing across the server. */
  event_id: number;
  /** What happened. */
  action: EventAction;
  /** What it is about. */
  type: EventType;
  /** When (µs since the epoch). */
  date: number;
  /** The container (`null` for key_file events). */
  container_id: string | null;
  /** Its type at the time (`null` when none, or when the recipient lacks container.type.view). */
  container_type: string | null;
  /** Its `modified_at` after the change (`null` for key_file events and deleted containers). */
  container_modified_at: number | null;
  /** When the recipient's access expired (µs), for expiry events; else `null`. */
  container_expired_at: number | null;
  /** Who did it, or whose access changed. */
  related_user_id: string | null;
  /** The `Arca-App-Name` of the request that caused it, or `null`. */
  client_app_name: string | null;
  /** What changed, or `null`. */
  changes: Record<string, unknown> | null;
}

/** `GET /v1/arca/events`. */
export interface EventListResponse {
  /** The caller's events, ascending `event_id`. */
  events: ContainerEventJson[];
  /**
   * The id to pass as `after` next time: the last event's id, or the request's `after` (0 when
   * absent) when the page is empty.
   */
  last_event_id: number;
}

/** The filters of `GET /v1/arca/events` and of the stream (all optional, combined with AND). */
export interface EventFilterQuery {
  /** Only events after this id. */
  after?: number;
  /** Only this type. */
  type?: EventType;
  /** Only events about containers of this type. */
  container_type?: string;
  /** Only events about this container. */
  container_id?: string;
  /** Only this action. */
  action?: EventAction;
}

/**
 * One event framed for the SSE stream: `id`, `event: arca`, the JSON on one `data` line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSseEvent } from "./events.ts";
 * const text = formatSseEvent({
 *   event_id: 7, action: "added", type: "container", date: 1, container_id: null,
 *   container_type: null, container_modified_at: null, container_expired_at: null,
 *   related_user_id: null, client_app_name: null, changes: null,
 * });
 * assert.ok(text.startsWith("id: 7\nevent: arca\ndata: {"));
 * assert.ok(text.endsWith("}\n\n"));
 * ```
 */
export function formatSseEvent(event: ContainerEventJson): string {
  return `id: ${event.event_id}\nevent: ${EVENT_STREAM_NAME}\ndata: ${JSON.stringify(event)}\n\n`;
}
