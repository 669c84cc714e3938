/**
 * The PostgreSQL {@linkcode EventStore}: `container_events`. Ids come from an identity column;
 * concurrent transactions would commit them out of order (a reader past id 12 could miss an 11
 * committed later), so `append` first takes a transaction-scoped advisory lock: event writers
 * queue on it until the holder commits, and rows become visible in id order.
 *
 * @module
 */
import { eventParams, toEvent } from "../_container_rows.ts";
import type { EventQuery, EventRow, EventStore, NewEventRow } from "../events.ts";
import { advisoryLockKey, type PgParam, type PostgresSession } from "./_session.ts";

/** The events table (part of migration 10). */
export const EVENTS_MIGRATION_SQL_POSTGRES = `
CREATE TABLE container_events (
  event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL,
  action text NOT NULL,
  type text NOT NULL,
  date bigint NOT NULL,
  container_id text,
  container_type text,
  container_modified bigint,
  container_expired bigint,
  related_user_id text,
  app_name text,
  changes text
);
CREATE INDEX container_events_user ON container_events(user_id, event_id);
CREATE INDEX container_events_date ON container_events(date);
`;

const EVENT_LOCK = advisoryLockKey("arca container events");

/**
 * Container events.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.deepEqual(await store.events.list({ userId, after: 0, limit: 10 }), []);
 * ```
 */
export class PostgresEvents implements EventStore {
  readonly #sql: PostgresSession;

  /** The events of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Appends events in order, holding the event lock until the transaction ends. */
  append(events: NewEventRow[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.#sql.atomic(async (sql) => {
      await sql.run("SELECT pg_advisory_xact_lock($1::bigint)", EVENT_LOCK);
      for (const event of events) {
        await sql.run(
          `INSERT INTO container_events (user_id, action, type, date, container_id,
             container_type, container_modified, container_expired, related_user_id, app_name,
             changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          ...eventParams(event),
        );
      }
    });
  }

  /** One user's events, filtered. */
  async list(query: EventQuery): Promise<EventRow[]> {
    const params: PgParam[] = [query.userId, query.after];
    let sql = "SELECT * FROM container_events WHERE user_id = $1 AND event_id > $2";
    const filters: [string, PgParam | undefined][] = [
      ["type", query.type],
      ["container_type", query.containerType],
      ["container_id", query.containerId],
      ["action", query.action],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      params.push(value);
      sql += ` AND ${column} = $${params.length}`;
    }
    params.push(query.limit);
    sql += ` ORDER BY event_id LIMIT $${params.length}`;
    return (await this.#sql.rows(sql, ...params)).map(toEvent);
  }

  /** Removes old events. */
  async deleteBefore(date: number): Promise<number> {
    return await this.#sql.run("DELETE FROM container_events WHERE date < $1", date);
  }

  /** Removes a user's events. */
  async deleteByUser(userId: string): Promise<number> {
    return await this.#sql.run("DELETE FROM container_events WHERE user_id = $1", userId);
  }
}
