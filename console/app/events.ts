/**
 * Live container events in the containers tab: the SDK's `events.subscribe` (a Server-Sent
 * Events stream read with `fetch`, reconnecting by itself) shown as a growing list until the
 * user stops it or logs out.
 *
 * @module
 */
import type { ContainerEvent, EventSubscription } from "../../mod.ts";
import { byId, el, when } from "./dom.ts";
import { run, showError } from "./messages.ts";
import type { ConsoleSession } from "./session.ts";

/** Events kept in the list; older ones drop off. */
const SHOWN_EVENTS = 200;

/** The live events of one session. */
export class LiveEvents {
  readonly #session: ConsoleSession;
  readonly #follow = byId("events-follow", HTMLButtonElement);
  readonly #stop = byId("events-stop", HTMLButtonElement);
  #subscription: EventSubscription | undefined;

  /** Wires the follow and stop buttons to `session`. */
  constructor(session: ConsoleSession, signal: AbortSignal) {
    this.#session = session;
    this.#follow.addEventListener("click", () => {
      void run("Connecting to the event stream", () => this.follow());
    }, { signal });
    this.#stop.addEventListener("click", () => this.stop(), { signal });
    signal.addEventListener("abort", () => this.stop());
  }

  /** Starts following the user's events (from now on). */
  async follow(): Promise<string> {
    if (this.#subscription !== undefined) return "Already following live events.";
    const subscription = this.#session.session.events.subscribe();
    this.#subscription = subscription;
    this.#follow.disabled = true;
    this.#stop.disabled = false;
    void this.#show(subscription);
    await subscription.ready;
    byId("event-list", HTMLOListElement).dataset.live = "true";
    return "Following live events.";
  }

  /** Stops following. */
  stop(): void {
    this.#subscription?.close();
    this.#subscription = undefined;
    this.#follow.disabled = false;
    this.#stop.disabled = true;
    delete byId("event-list", HTMLOListElement).dataset.live;
  }

  async #show(subscription: EventSubscription): Promise<void> {
    const list = byId("event-list", HTMLOListElement);
    try {
      for await (const event of subscription) {
        list.prepend(eventItem(event));
        while (list.children.length > SHOWN_EVENTS) list.lastElementChild?.remove();
      }
    } catch (error) {
      if (!subscription.closed) showError(error);
    } finally {
      if (this.#subscription === subscription) this.stop();
    }
  }
}

function eventItem(event: ContainerEvent): HTMLLIElement {
  const what = event.containerId === null ? event.type : `container ${event.containerId}`;
  return el(
    "li",
    { "data-event-id": String(event.eventId), "data-action": event.action },
    `#${event.eventId} ${when(event.date)} ${event.action} ${what}`,
    event.containerType === null ? "" : ` (${event.containerType})`,
    event.relatedUserId === null ? "" : ` by/for ${event.relatedUserId}`,
  );
}
