/**
 * The SQLite {@linkcode EventStore}: `container_events`, one row per event and recipient. Ids
 * come from `AUTOINCREMENT` (never reused, even after a prune); SQLite has one writer at a time,
 * so rows become visible in id order.
 *
 * @module
 */
import type { EventQuery, EventRow, EventStore, NewEventRow } from "../events.ts";
import { eventParams, toEvent } from "../_container_rows.ts";
import type { SqliteSession, SqlParam } from "./_session.ts";

/** The events table (part of the containers migration). */
export const EVENTS_MIGRATION_SQL = `
CREATE TABLE container_events (
  event_id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  action TEXT NOT NULL,
  type TEXT NOT NULL,
  date INTEGER NOT NULL,
  container_id TEXT,
  container_type TEXT,
  container_modified INTEGER,
  container_expired INTEGER,
  related_user_id TEXT,
  app_name TEXT,
  changes TEXT
) STRICT;
CREATE INDEX container_events_user ON container_events(user_id, event_id);
CREATE INDEX container_events_date ON container_events(date);
`;

/**
 * Container events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteEvents } from "./_events.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.events instanceof SqliteEvents);
 * await store.close();
 * ```
 */
export class SqliteEvents implements EventStore {
  readonly #sql: SqliteSession;

  /** The events of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Appends events in order. */
  append(events: NewEventRow[]): Promise<void> {
    return this.#sql.exec(() =>
      this.#sql.atomic(() => {
        for (const event of events) {
          this.#sql.run(
            `INSERT INTO container_events (user_id, action, type, date, container_id,
               container_type, container_modified, container_expired, related_user_id, app_name,
               changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ...eventParams(event),
          );
        }
      })
    );
  }

  /** One user's events, filtered. */
  list(query: EventQuery): Promise<EventRow[]> {
    const params: SqlParam[] = [query.userId, query.after];
    let sql = "SELECT * FROM container_events WHERE user_id = ? AND event_id > ?";
    const filters: [string, SqlParam | undefined][] = [
      ["type", query.type],
      ["container_type", query.containerType],
      ["container_id", query.containerId],
      ["action", query.action],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      sql += ` AND ${column} = ?`;
      params.push(value);
    }
    sql += " ORDER BY event_id LIMIT ?";
    params.push(query.limit);
    return this.#sql.exec(() => this.#sql.all(sql, ...params).map(toEvent));
  }

  /** Removes old events. */
  deleteBefore(date: number): Promise<number> {
    return this.#sql.exec(() => this.#sql.run("DELETE FROM container_events WHERE date < ?", date));
  }

  /** Removes a user's events. */
  deleteByUser(userId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM container_events WHERE user_id = ?", userId)
    );
  }
}
