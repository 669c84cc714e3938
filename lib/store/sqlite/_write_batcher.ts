/**
 * Group commit for the SQLite store: write transactions that arrive close together run in one
 * SQLite transaction (`BEGIN IMMEDIATE … COMMIT`), each inside its own `SAVEPOINT`.
 *
 * - One operation that throws rolls back to its savepoint: only its own changes are undone and
 *   only its caller sees the error; the others in the batch go on.
 * - Every caller's promise settles after the `COMMIT` (or, for a failed operation, after its
 *   rollback): nobody is told "done" before their changes are durable to the same degree as a
 *   transaction of their own. If the `COMMIT` fails, every operation of the batch that had
 *   succeeded is rejected with that error, and nothing of the batch is kept.
 * - Operations run one after another, in arrival order, on the store's {@linkcode SerialQueue},
 *   so each sees the changes of the ones before it exactly as if it had its own transaction.
 *   Between batches, the queue runs the store's other calls (reads, single writes), which
 *   therefore never see uncommitted changes.
 * - A batch starts on the event loop's next turn after its first operation arrives
 *   (`setImmediate`: after the I/O callbacks of the current turn), so the requests the event loop
 *   is processing in the meantime can join it, and operations that arrive while a batch runs
 *   form the next one. A timer (`setTimeout(0)`) would add 1–2 ms to every lone write. At most
 *   `maxBatch` operations share a transaction; the rest start the next batch right after it.
 *
 * Sharing the transaction shares its fixed costs (locking, the commit and its WAL frame
 * headers) and the B-tree pages that consecutive inserts dirty, which is most of a small
 * write's cost.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { clearImmediate, setImmediate } from "node:timers";
import type { SerialQueue } from "./_serial_queue.ts";

/** Default most operations per batch. */
export const DEFAULT_MAX_BATCH = 256;

const SAVEPOINT = "arca_batch_op";

/** Upper bounds of the batch size buckets the server's metrics report. */
const BATCH_SIZE_BOUNDS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Options of {@linkcode SqliteWriteBatcher}. */
export interface WriteBatcherOptions {
  /** Most operations in one transaction (default {@linkcode DEFAULT_MAX_BATCH}). */
  maxBatch?: number;
  /** Throws when the database may no longer be used (a closed store). */
  assertOpen?: () => void;
  /** Runs inside the batch transaction just before its `COMMIT` (a throw fails the batch). */
  beforeCommit?: () => void;
  /** Runs after every batch, committed or not. */
  afterBatch?: () => void;
  /** Runs after anything was rolled back: an operation's savepoint or the whole batch. */
  onRollback?: () => void;
}

interface Entry {
  body: () => Promise<unknown>;
  /** Runs in a batch of its own. */
  alone: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs write transactions on a `DatabaseSync`, grouping concurrent ones into one commit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { SerialQueue } from "./_serial_queue.ts";
 * import { SqliteWriteBatcher } from "./_write_batcher.ts";
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (n INTEGER NOT NULL CHECK (n > 0))");
 * const batcher = new SqliteWriteBatcher(db, new SerialQueue());
 * const insert = (n: number) =>
 *   batcher.submit(() => Promise.resolve(db.prepare("INSERT INTO t VALUES (?)").run(n)));
 * const results = await Promise.allSettled([insert(1), insert(-1), insert(2)]);
 * assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
 * assert.equal(db.prepare("SELECT count(*) AS n FROM t").get()?.n, 2);
 * db.close();
 * ```
 */
export class SqliteWriteBatcher {
  readonly #db: DatabaseSync;
  readonly #queue: SerialQueue;
  readonly #maxBatch: number;
  readonly #assertOpen: () => void;
  readonly #beforeCommit: () => void;
  readonly #afterBatch: () => void;
  readonly #onRollback: () => void;
  /** Prepared once: a savepoint and its release run for every operation. */
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  #pending: Entry[] = [];
  /** Batches run, and how many held at most each of {@linkcode BATCH_SIZE_BOUNDS}. */
  readonly #sizes = { batches: 0, operations: 0, buckets: BATCH_SIZE_BOUNDS.map(() => 0) };
  #timer: ReturnType<typeof setImmediate> | undefined;
  #queued = false;

  /** A batcher for `db`, running its batches on `queue` (shared with the store's other calls). */
  constructor(db: DatabaseSync, queue: SerialQueue, options: WriteBatcherOptions = {}) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
    }
    this.#db = db;
    this.#queue = queue;
    this.#maxBatch = maxBatch;
    this.#assertOpen = options.assertOpen ?? (() => {});
    this.#beforeCommit = options.beforeCommit ?? (() => {});
    this.#afterBatch = options.afterBatch ?? (() => {});
    this.#onRollback = options.onRollback ?? (() => {});
    this.#savepoint = db.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.#release = db.prepare(`RELEASE ${SAVEPOINT}`);
  }

  /**
   * Runs `body` as one atomic operation of the next batch: its changes are committed with the
   * batch, or rolled back alone when it throws. Resolves with its value after the commit.
   * `body` must use the database only through this batcher's connection and must not call
   * `submit` itself. With `alone`, `body` runs in a batch of its own, without a savepoint: for
   * large operations, whose savepoint journal would grow too costly.
   */
  submit<T>(body: () => Promise<T>, options: { alone?: boolean } = {}): Promise<T> {
    if (typeof body !== "function") {
      return Promise.reject(new TypeError("submit needs a function"));
    }
    const alone = options.alone === true;
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ body, alone, resolve: resolve as (value: unknown) => void, reject });
      if (this.#timer === undefined && !this.#queued) {
        this.#timer = setImmediate(() => {
          this.#timer = undefined;
          this.#enqueue();
        });
      }
    });
  }

  /** Batches run so far, the operations they held, and their sizes (cumulative buckets). */
  stats(): { batches: number; operations: number; buckets: Array<{ le: number; count: number }> } {
    const { batches, operations, buckets } = this.#sizes;
    return {
      batches,
      operations,
      buckets: BATCH_SIZE_BOUNDS.map((le, i) => ({ le, count: buckets[i]! })),
    };
  }

  #countBatch(size: number): void {
    this.#sizes.batches++;
    this.#sizes.operations += size;
    BATCH_SIZE_BOUNDS.forEach((le, i) => {
      if (size <= le) this.#sizes.buckets[i]!++;
    });
  }

  /** Queues the pending operations now instead of on the next turn (before closing). */
  flush(): void {
    if (this.#timer === undefined) return;
    clearImmediate(this.#timer);
    this.#timer = undefined;
    this.#enqueue();
  }

  #enqueue(): void {
    if (this.#queued || this.#pending.length === 0) return;
    this.#queued = true;
    this.#queue.run(() => this.#runBatch());
  }

  /** How many pending operations the next batch takes: up to an `alone` one, which goes alone. */
  #batchLength(): number {
    const firstAlone = this.#pending.findIndex((entry) => entry.alone);
    if (firstAlone === 0) return 1;
    return Math.min(this.#maxBatch, firstAlone === -1 ? this.#pending.length : firstAlone);
  }

  async #runBatch(): Promise<void> {
    this.#queued = false;
    const entries = this.#pending.splice(0, this.#batchLength());
    this.#countBatch(entries.length);
    // Whatever is left (or arrives while this batch runs) goes in the next batch, right after.
    this.#enqueue();
    try {
      this.#assertOpen();
    } catch (error) {
      for (const entry of entries) entry.reject(error);
      return;
    }
    try {
      await this.#runEntries(entries);
    } finally {
      this.#afterBatch();
    }
  }

  async #runEntries(entries: Entry[]): Promise<void> {
    const succeeded: Array<{ entry: Entry; value: unknown }> = [];
    // A lone operation needs no savepoint: its failure rolls the whole transaction back.
    const alone = entries.length === 1;
    for (const entry of entries) {
      const outcome = await this.#runOne(entry, alone);
      if (outcome.lost !== undefined) this.#fail(succeeded.splice(0), outcome.lost);
      if (outcome.ok) succeeded.push({ entry, value: outcome.value });
    }
    if (this.#db.isTransaction) {
      try {
        this.#beforeCommit();
        this.#db.exec("COMMIT");
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
        this.#onRollback();
        this.#fail(succeeded, error);
        return;
      }
    }
    for (const { entry, value } of succeeded) entry.resolve(value);
  }

  /**
   * Runs one operation in a savepoint of the batch transaction (opening it if needed), or, when
   * it is `alone` in its batch, directly in the transaction. `lost` is set when SQLite itself
   * rolled the whole transaction back, undoing the earlier operations.
   */
  async #runOne(
    entry: Entry,
    alone: boolean,
  ): Promise<{ ok: boolean; value?: unknown; lost?: unknown }> {
    const db = this.#db;
    try {
      if (!db.isTransaction) db.exec("BEGIN IMMEDIATE");
      if (!alone) this.#savepoint.run();
    } catch (error) {
      entry.reject(error);
      return { ok: false };
    }
    try {
      const value = await entry.body();
      if (!db.isTransaction) throw new Error("The batch transaction ended inside an operation");
      if (!alone) this.#release.run();
      return { ok: true, value };
    } catch (error) {
      entry.reject(error);
      // Whatever happens next, some of this batch's changes are undone.
      this.#onRollback();
      if (!db.isTransaction) return { ok: false, lost: error };
      if (alone) {
        db.exec("ROLLBACK");
        return { ok: false };
      }
      try {
        db.exec(`ROLLBACK TO ${SAVEPOINT}`);
        db.exec(`RELEASE ${SAVEPOINT}`);
        return { ok: false };
      } catch (rollbackError) {
        if (db.isTransaction) db.exec("ROLLBACK");
        return { ok: false, lost: rollbackError };
      }
    }
  }

  #fail(entries: Array<{ entry: Entry }>, cause: unknown): void {
    for (const { entry } of entries) {
      entry.reject(new Error("The write transaction was rolled back; retry", { cause }));
    }
  }
}
