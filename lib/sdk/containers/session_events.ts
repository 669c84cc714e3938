/**
 * `session.events`: the caller's live event stream as an async iterable
 * (`events.subscribe(filter)`); `containers.getEvents` pages through stored events.
 *
 * @module
 */
import type { ContainerSessionLink } from "./session_containers.ts";
import type { EventFilter } from "./container_types.ts";
import { eventQuery, startingEventId } from "./_event_wire.ts";
import { openEventStream } from "./_container_requests.ts";
import { EventSubscription } from "./event_subscription.ts";

/**
 * The events API of a session (`session.events`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in session.
 * const subscription = session.events.subscribe({ type: "container" });
 * await subscription.ready;
 * for await (const event of subscription) console.log(event.action, event.containerId);
 * ```
 */
export class SessionEvents {
  readonly #link: ContainerSessionLink;

  /**
   * The events API over a session (sessions make it; see `Session.events`).
   *
   * @example
   * ```ts ignore
   * // Sessions make their own.
   * const events = new SessionEvents(link);
   * ```
   */
  constructor(link: ContainerSessionLink) {
    this.#link = link;
  }

  /**
   * Subscribes to the caller's events matching `filter`: those after the events cursor (where
   * the last `containers.getEvents()` left off; every stored event for a user who never called
   * it), or from `startingEventId` (inclusive); then each new one as it happens. The cursor is
   * not moved. The subscription reconnects by itself with `Last-Event-ID`
   * (nothing lost, nothing twice) until `close()` or the end of a `for await` loop.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const subscription = session.events.subscribe({ containerId, startingEventId: 0 });
   * for await (const event of subscription) {
   *   if (event.action === "deleted") subscription.close();
   * }
   * ```
   */
  subscribe(filter: EventFilter = {}): EventSubscription {
    const query = eventQuery(filter);
    const start = startingEventId(filter);
    const link = this.#link;
    return new EventSubscription(async (lastEventId, signal) => {
      const context = await link.context();
      const endpoint = { transport: context.transport, appName: link.appName };
      const after = lastEventId ?? start ?? await link.cursor.read(context.clientId);
      return await openEventStream(endpoint, query, after, signal);
    }, { after: start, onEvent: link.onEvent });
  }
}
