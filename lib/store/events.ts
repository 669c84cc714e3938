/**
 * What the store keeps for container events (`/v1/arca/events`): one row per event and per
 * user concerned, written in the same transaction as the change it reports. `eventId` is
 * strictly increasing across the whole store, and rows become visible in `eventId` order (a
 * reader that has seen id `n` never later finds a new row below `n`), so a client resuming after
 * `n` loses nothing.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */
import type { EventAction, EventType } from "../protocol/events.ts";

/** An event as stored. */
export interface EventRow {
  /** Strictly increasing across the store. */
  eventId: number;
  /** Who may read it. */
  userId: string;
  /** What happened. */
  action: EventAction;
  /** What it is about. */
  type: EventType;
  /** When. */
  date: number;
  /** The container, or `null` (key_file events). */
  containerId: string | null;
  /** The container's type as the recipient may see it, or `null`. */
  containerType: string | null;
  /** The container's modification time after the change, or `null`. */
  containerModified: number | null;
  /** When the recipient's access expired, or `null`. */
  containerExpired: number | null;
  /** Who did it, or whose access changed. */
  relatedUserId: string | null;
  /** The calling application's name, or `null`. */
  appName: string | null;
  /** What changed (JSON text), or `null`. */
  changes: string | null;
}

/** An event to append (the store assigns its id). */
export type NewEventRow = Omit<EventRow, "eventId">;

/** Which of one user's events to read. */
export interface EventQuery {
  /** The reader. */
  userId: string;
  /** Only ids greater than this. */
  after: number;
  /** Page size. */
  limit: number;
  /** Only this type. */
  type?: EventType | undefined;
  /** Only this container type. */
  containerType?: string | undefined;
  /** Only this container. */
  containerId?: string | undefined;
  /** Only this action. */
  action?: EventAction | undefined;
}

/**
 * The event methods of a store (`store.events`). Each is atomic on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const userId = crypto.randomUUID();
 * const event = {
 *   userId, action: "added" as const, type: "container" as const, date: 10,
 *   containerId: crypto.randomUUID(), containerType: null, containerModified: 10,
 *   containerExpired: null, relatedUserId: userId, appName: null, changes: null,
 * };
 * await store.events.append([event, { ...event, action: "updated" }]);
 * const page = await store.events.list({ userId, after: 0, limit: 10, action: "updated" });
 * assert.equal(page.length, 1);
 * assert.equal(await store.events.deleteBefore(11), 2);
 * await store.close();
 * ```
 */
export interface EventStore {
  /** Appends events, in order, with increasing ids. */
  append(events: NewEventRow[]): Promise<void>;
  /** One user's events after `query.after`, ascending id, filtered, at most `limit`. */
  list(query: EventQuery): Promise<EventRow[]>;
  /** Removes events with `date < date`; returns how many. */
  deleteBefore(date: number): Promise<number>;
  /** Removes every event of a user; returns how many. */
  deleteByUser(userId: string): Promise<number>;
}
