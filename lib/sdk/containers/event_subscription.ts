/**
 * `events.subscribe(filter)`: the live event stream (`GET /v1/arca/events/stream`, Server-Sent
 * Events) as an async iterable. The connection opens at once (`ready` settles when the server
 * answered); a dropped connection is reopened with `Last-Event-ID` set to the last event given
 * out, so nothing is lost and nothing is given twice. `close()` (or leaving a `for await` loop)
 * ends it.
 *
 * @module
 */
import { ArcaError } from "../../errors.ts";
import type { ContainerEvent } from "./container_types.ts";
import { readEvent } from "./_event_wire.ts";

/** Opens the stream after `lastEventId` (none yet: where the subscriber starts). */
export type StreamOpener = (
  lastEventId: number | undefined,
  signal: AbortSignal,
) => Promise<Response>;

/** Options of an {@linkcode EventSubscription}. */
export interface SubscriptionOptions {
  /** Start after this event id (`undefined`: the opener's start, e.g. the events cursor). */
  after?: number | undefined;
  /** First wait before reconnecting, in ms (doubles up to 5 s); default 250. */
  retryMs?: number | undefined;
  /** Called with each event before it is given out (the local cache purges with it). */
  onEvent?: ((event: ContainerEvent) => Promise<void>) | undefined;
}

/** One parsed Server-Sent Event. */
export interface ServerSentEvent {
  /** The `id:` field, if any. */
  id: string | undefined;
  /** The `event:` field (`message` by default). */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

const MAX_RETRY_MS = 5000;

/**
 * Splits a `text/event-stream` body into events; comments (heartbeats) are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServerSentEvents } from "./event_subscription.ts";
 * const body = new Blob([": heartbeat\n\nid: 3\nevent: arca\ndata: {}\n\n"]).stream();
 * const events = await Array.fromAsync(parseServerSentEvents(body));
 * assert.deepEqual(events, [{ id: "3", event: "arca", data: "{}" }]);
 * ```
 */
export async function* parseServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  let buffer = "";
  let id: string | undefined;
  let event = "message";
  let data: string[] = [];
  for await (
    // The cast satisfies the DOM library's typing too (the console's type check).
    const text of body.pipeThrough(
      new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
    )
  ) {
    buffer += text;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (data.length > 0) yield { id, event, data: data.join("\n") };
        id = undefined;
        event = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
  }
}

/**
 * A live subscription to the caller's events.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in session.
 * const subscription = session.events.subscribe({ containerId });
 * await subscription.ready;
 * for await (const event of subscription) {
 *   console.log(event.eventId, event.action);
 *   if (event.action === "deleted") break;
 * }
 * ```
 */
export class EventSubscription implements AsyncIterable<ContainerEvent> {
  readonly #open: StreamOpener;
  readonly #abort = new AbortController();
  readonly #retryMs: number;
  readonly #onEvent: SubscriptionOptions["onEvent"];
  #lastEventId: number | undefined;
  #response: Promise<Response> | undefined;
  #iterating = false;
  /** Settles when the first connection is open (rejects when it is refused). */
  readonly ready: Promise<void>;

  /**
   * Opens the stream through `open` (sessions make subscriptions; see `events.subscribe`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventSubscription } from "./event_subscription.ts";
   * const body = 'id: 1\nevent: arca\ndata: {"event_id":1,"action":"added",' +
   *   '"type":"container","date":0}\n\n';
   * const subscription = new EventSubscription(() => Promise.resolve(new Response(body)));
   * for await (const event of subscription) {
   *   assert.equal(event.eventId, 1);
   *   break;
   * }
   * ```
   */
  constructor(open: StreamOpener, options: SubscriptionOptions = {}) {
    this.#open = open;
    this.#lastEventId = options.after;
    this.#retryMs = options.retryMs ?? 250;
    this.#onEvent = options.onEvent;
    this.#response = this.#connect();
    this.ready = this.#response.then(() => {});
    this.ready.catch(() => {}); // Reported again by the iterator.
  }

  /** The id of the last event given out (`undefined` before the first). */
  get lastEventId(): number | undefined {
    return this.#lastEventId;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Ends the subscription: the connection is closed and iteration stops. */
  close(): void {
    this.#abort.abort();
  }

  /** The events, in order, without duplicates, until `close()`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ContainerEvent> {
    if (this.#iterating) throw new ArcaError("An event subscription can be iterated only once");
    this.#iterating = true;
    let wait = this.#retryMs;
    try {
      while (!this.closed) {
        let response: Response;
        try {
          response = await (this.#response ?? this.#connect());
        } catch (error) {
          this.#response = undefined;
          if (this.closed) return;
          if (!isDisconnect(error)) throw error;
          await this.#sleep(wait);
          wait = Math.min(wait * 2, MAX_RETRY_MS);
          continue;
        }
        this.#response = undefined;
        wait = this.#retryMs;
        try {
          for await (const message of parseServerSentEvents(response.body!)) {
            if (message.event !== "arca") continue;
            const event = readEvent(JSON.parse(message.data));
            if (this.#lastEventId !== undefined && event.eventId <= this.#lastEventId) continue;
            await this.#onEvent?.(event);
            this.#lastEventId = event.eventId;
            yield event;
          }
        } catch (error) {
          if (this.closed) return;
          if (error instanceof SyntaxError || error instanceof ArcaError) throw error;
          // The connection dropped mid-stream: reconnect below.
        }
        if (!this.closed) await this.#sleep(wait);
      }
    } finally {
      this.close();
    }
  }

  #connect(): Promise<Response> {
    return this.#open(this.#lastEventId, this.#abort.signal);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.#abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done);
    });
  }
}

/** A failure worth reconnecting for: the server could not be reached or answered 5xx. */
function isDisconnect(error: unknown): boolean {
  if (!(error instanceof ArcaError)) return true;
  return error.status === undefined || error.status >= 500;
}
