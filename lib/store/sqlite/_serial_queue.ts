/**
 * A queue that runs async jobs one after another, in the order they were queued.
 *
 * @module
 */

/**
 * Runs async jobs one at a time; a job starts when the previous one has settled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SerialQueue } from "./_serial_queue.ts";
 * const queue = new SerialQueue();
 * const order: number[] = [];
 * await Promise.all([
 *   queue.run(async () => void order.push(1)),
 *   queue.run(async () => void order.push(2)),
 * ]);
 * assert.deepEqual(order, [1, 2]);
 * ```
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Jobs queued by {@linkcode SerialQueue.run} that have not settled yet. */
  #pending = 0;

  /** Jobs queued or running (the queue depth the server's metrics report). */
  get pending(): number {
    return this.#pending;
  }

  /** Queues `job`; resolves or rejects as it does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(job);
    const settled = () => {
      this.#pending--;
    };
    this.#tail = result.then(settled, settled);
    return result;
  }

  /**
   * Runs a synchronous `job` at once when nothing is queued or running (no promise hops), else
   * queues it behind the others like {@linkcode SerialQueue.run}. Resolves or rejects as it does.
   */
  runSync<T>(job: () => T): Promise<T> {
    if (this.#pending > 0) return this.run(() => Promise.resolve().then(job));
    try {
      return Promise.resolve(job());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
