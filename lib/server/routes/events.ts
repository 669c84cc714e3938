/**
 * `/v1/arca/events` (docs/containers.md, "Events"), behind bearer authentication: the caller's
 * events, as pages (`GET /v1/arca/events`) or as a live Server-Sent Events stream
 * (`GET /v1/arca/events/stream`) that resumes after `Last-Event-ID` without loss or
 * duplicates, sends a `: heartbeat` comment every `ARCA_EVENT_HEARTBEAT_SECONDS`, and is
 * limited to `ARCA_EVENT_STREAMS_PER_CLIENT` at once per client on this instance (429).
 *
 * A stream reads the store after its position whenever this instance commits events (the
 * in-process notifier) and at least every second otherwise (events of other instances).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { isUuid } from "../../protocol/ids.ts";
import {
  type ContainerEventJson,
  DEFAULT_EVENT_PAGE,
  EVENT_ACTIONS,
  EVENT_STREAM_PATH,
  EVENT_TYPES,
  type EventAction,
  type EventListResponse,
  EVENTS_PATH,
  type EventType,
  formatSseEvent,
  MAX_EVENT_PAGE,
} from "../../protocol/events.ts";
import type { EventQuery, EventRow } from "../../store/events.ts";
import type { Store } from "../../store/store.ts";
import { eventNotifierFor } from "../_event_notifier.ts";
import { HttpError } from "../_http_error.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { DEFAULT_EVENT_HEARTBEAT_SECONDS, DEFAULT_EVENT_STREAMS_PER_CLIENT } from "../settings.ts";

/** How long a stream waits for a notification before it reads the store anyway. */
const POLL_MS = 1000;

/**
 * The event routes (they need `requireBearer`, declared in `app.ts`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", eventRoutes(deps));
 * ```
 */
export function eventRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();
  const streamsPerClient = deps.settings.eventStreamsPerClient ??
    DEFAULT_EVENT_STREAMS_PER_CLIENT;
  const heartbeatMs = (deps.settings.eventHeartbeatSeconds ?? DEFAULT_EVENT_HEARTBEAT_SECONDS) *
    1000;

  routes.get(EVENTS_PATH, async (c) => {
    const query = eventQuery(c, c.req.query("after"));
    const rows = await deps.store.events.list(query);
    const answer: EventListResponse = {
      events: rows.map(eventJson),
      last_event_id: rows.at(-1)?.eventId ?? query.after,
    };
    return c.json(answer, 200);
  });

  routes.get(EVENT_STREAM_PATH, (c) => {
    const lastEventId = c.req.header("last-event-id")?.trim();
    const query = eventQuery(c, lastEventId || c.req.query("after"), "Last-Event-ID or after");
    query.limit = DEFAULT_EVENT_PAGE;
    const clientId = query.userId;
    const open = openStreams(deps.store);
    const count = open.get(clientId) ?? 0;
    if (count >= streamsPerClient) {
      throw new HttpError(
        429,
        `too many event streams for this client: at most ${streamsPerClient} ` +
          "(ARCA_EVENT_STREAMS_PER_CLIENT)",
      );
    }
    open.set(clientId, count + 1);
    deps.metrics.openEventStreams++;
    const body = eventStream(deps.store, query, heartbeatMs, () => {
      deps.metrics.openEventStreams--;
      const left = (open.get(clientId) ?? 1) - 1;
      if (left <= 0) open.delete(clientId);
      else open.set(clientId, left);
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  });

  return routes;
}

/**
 * The stream: a first comment at once, then every new event in id order, a heartbeat when
 * nothing was sent for `heartbeatMs`; `release` runs once when the client goes away.
 */
function eventStream(
  store: Store,
  query: EventQuery,
  heartbeatMs: number,
  release: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  let released = false;
  const finish = () => {
    if (released) return;
    released = true;
    stop.abort();
    release();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(": connected\n\n"));
      const notifier = eventNotifierFor(store);
      const generation = notifier.generation;
      const run = async () => {
        let lastSent = Date.now();
        while (!stop.signal.aborted && notifier.generation === generation) {
          const rows = await store.events.list(query);
          for (const row of rows) {
            controller.enqueue(encoder.encode(formatSseEvent(eventJson(row))));
            query.after = row.eventId;
            lastSent = Date.now();
          }
          if (rows.length === query.limit) continue;
          if (Date.now() - lastSent >= heartbeatMs) {
            controller.enqueue(encoder.encode(": heartbeat\n\n"));
            lastSent = Date.now();
          }
          const untilHeartbeat = heartbeatMs - (Date.now() - lastSent);
          await notifier.wait(
            Math.max(1, Math.min(POLL_MS, untilHeartbeat)),
            stop.signal,
          );
        }
      };
      run().catch(() => {}).finally(() => {
        finish();
        try {
          controller.close();
        } catch {
          // Already closed or errored by the client going away.
        }
      });
    },
    cancel() {
      finish();
    },
  });
}

const streams = new WeakMap<Store, Map<string, number>>();

/** The live stream count per client of one store's instance. */
function openStreams(store: Store): Map<string, number> {
  let open = streams.get(store);
  if (open === undefined) {
    open = new Map();
    streams.set(store, open);
  }
  return open;
}

/** The filters of the request; `after` comes from the caller (query or header). */
function eventQuery(
  c: Context<BearerEnv>,
  afterText: string | undefined,
  afterName = "after",
): EventQuery {
  const after = afterText === undefined ? 0 : integerParam(afterText, afterName, 0, 2 ** 53 - 1);
  const limitText = c.req.query("limit");
  const limit = limitText === undefined
    ? DEFAULT_EVENT_PAGE
    : integerParam(limitText, "limit", 1, MAX_EVENT_PAGE);
  const type = oneOf(c.req.query("type"), "type", EVENT_TYPES) as EventType | undefined;
  const action = oneOf(c.req.query("action"), "action", EVENT_ACTIONS) as
    | EventAction
    | undefined;
  const containerId = c.req.query("container_id");
  if (containerId !== undefined && !isUuid(containerId)) {
    throw new HttpError(400, `container_id must be a UUID, got ${JSON.stringify(containerId)}`);
  }
  const containerType = c.req.query("container_type");
  if (containerType !== undefined && (containerType.length === 0 || containerType.length > 1024)) {
    throw new HttpError(400, "container_type must be 1-1024 characters");
  }
  return {
    userId: c.get("clientId"),
    after,
    limit,
    type,
    action,
    containerId: containerId?.toLowerCase(),
    containerType,
  };
}

function integerParam(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d{1,16}$/.test(text) || value < min || value > max) {
    throw new HttpError(
      400,
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function oneOf(
  value: string | undefined,
  name: string,
  allowed: readonly string[],
): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new HttpError(
    400,
    `${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`,
  );
}

function eventJson(row: EventRow): ContainerEventJson {
  return {
    event_id: row.eventId,
    action: row.action,
    type: row.type,
    date: row.date,
    container_id: row.containerId,
    container_type: row.containerType,
    container_modified_at: row.containerModified,
    container_expired_at: row.containerExpired,
    related_user_id: row.relatedUserId,
    client_app_name: row.appName,
    changes: row.changes === null ? null : JSON.parse(row.changes) as Record<string, unknown>,
  };
}
