/**
 * Reads that arrive together share one statement: while a read is on its way, the calls made
 * meanwhile wait and are answered by the next read, which asks for all their keys at once. A
 * call waits for a read that starts after it was made (never one already on its way, which could
 * have been answered before a write that committed just before the call), so each still sees
 * everything committed before it. A call made while no read runs starts one at once.
 *
 * Under load about one statement per round trip serves every request that arrived meanwhile,
 * instead of one statement (and one socket write, and one pooled connection) each.
 *
 * @module
 */

/** One waiting call. */
interface Waiter<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces reads by key through `load`, which answers a list of keys with their values in the
 * same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CoalescedReads } from "./_coalesced_reads.ts";
 * const loads: string[][] = [];
 * const reads = new CoalescedReads((keys: string[]) => {
 *   loads.push(keys);
 *   return Promise.resolve(keys.map((key) => key.toUpperCase()));
 * });
 * const values = await Promise.all([reads.read("a"), reads.read("b"), reads.read("c")]);
 * assert.deepEqual(values, ["A", "B", "C"]);
 * assert.deepEqual(loads, [["a"], ["b", "c"]]); // the first read was on its way
 * ```
 */
export class CoalescedReads<K, V> {
  readonly #load: (keys: K[]) => Promise<V[]>;
  readonly #maxKeys: number;
  #waiting: Waiter<K, V>[] = [];
  #reading = false;

  /** Reads through `load`, at most `maxKeys` keys a statement. */
  constructor(load: (keys: K[]) => Promise<V[]>, maxKeys = 256) {
    this.#load = load;
    this.#maxKeys = maxKeys;
  }

  /** The value of `key`, from a read that starts after this call. */
  read(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ key, resolve, reject });
      if (!this.#reading) void this.#drain();
    });
  }

  /** Reads for everyone waiting, again and again while more calls arrive during a read. */
  async #drain(): Promise<void> {
    this.#reading = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#maxKeys);
      try {
        const values = await this.#load(batch.map((waiter) => waiter.key));
        batch.forEach((waiter, i) => waiter.resolve(values[i]!));
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.#reading = false;
  }
}
