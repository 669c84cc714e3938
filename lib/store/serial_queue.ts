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
 * import { SerialQueue } from "./serial_queue.ts";
 * const queue = new SerialQueue();
 * const order: number[] = [];
 * await Promise.all([
 *   queue.run(async () => void order.push(1)),
 *   queue.run(async () => void order.push(2)),
 * ]);
 * console.log(order); // [1, 2]
 * ```
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues `job`; resolves or rejects as it does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job);
    this.#tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
