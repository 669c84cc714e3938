/**
 * The in-process wake-up of event streams: a write that committed events calls
 * {@linkcode notifyEvents}, and every stream of this instance waiting in
 * {@linkcode EventNotifier.wait} reads the store again at once. Streams also wake on their own
 * after a short timeout (at most a second), so events committed by other instances sharing the
 * database reach them too.
 *
 * @module
 */
import type { Store } from "../store/store.ts";

/** Wakes the event streams of one store. */
export class EventNotifier {
  #waiters = new Set<() => void>();
  #generation = 0;

  /** Counts {@linkcode endStreams} calls: a stream ends when it changes. */
  get generation(): number {
    return this.#generation;
  }

  /** Ends every open stream (the server is shutting down, and waits for open responses). */
  endStreams(): void {
    this.#generation++;
    this.notify();
  }

  /** Wakes every waiting stream. */
  notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves at the next {@linkcode notify}, after `timeoutMs`, or when `signal` aborts,
   * whichever comes first.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

const notifiers = new WeakMap<Store, EventNotifier>();

/**
 * The notifier shared by every route of one store.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventNotifierFor, notifyEvents } from "./_event_notifier.ts";
 * import { openSqliteStore } from "../store/sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const woken = eventNotifierFor(store).wait(60_000);
 * notifyEvents(store);
 * await woken; // resolved by the notification, long before the timeout
 * assert.equal(eventNotifierFor(store), eventNotifierFor(store));
 * await store.close();
 * ```
 */
export function eventNotifierFor(store: Store): EventNotifier {
  let notifier = notifiers.get(store);
  if (notifier === undefined) {
    notifier = new EventNotifier();
    notifiers.set(store, notifier);
  }
  return notifier;
}

/**
 * Wakes the streams of `store`'s instance; call it after a transaction that wrote events has
 * committed.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * notifyEvents(deps.store);
 * ```
 */
export function notifyEvents(store: Store): void {
  eventNotifierFor(store).notify();
}

/**
 * Ends the open event streams of `store`'s instance: call it before shutting the HTTP server
 * down, which waits for open responses. Streams opened later work as usual.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { endEventStreams, eventNotifierFor } from "./_event_notifier.ts";
 * import { openSqliteStore } from "../store/sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * endEventStreams(store);
 * assert.equal(eventNotifierFor(store).generation, 1);
 * await store.close();
 * ```
 */
export function endEventStreams(store: Store): void {
  eventNotifierFor(store).endStreams();
}
