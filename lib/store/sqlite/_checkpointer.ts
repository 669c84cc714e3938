/**
 * Background WAL checkpoints for the SQLite store.
 *
 * `node:sqlite` is synchronous, so a checkpoint run by the store's own connection (SQLite's
 * automatic one, at the commit that crosses `wal_autocheckpoint`) stops the event loop while it
 * copies megabytes of pages and waits for two fsyncs: tens of milliseconds every second under a
 * steady write load. The checkpointer moves that work to a worker thread with a connection of
 * its own (`checkpoint_worker.ts`), which runs a PASSIVE checkpoint every
 * {@linkcode CHECKPOINT_INTERVAL_MS}: PASSIVE never waits for, nor blocks, readers or the writer.
 * The store keeps SQLite's automatic checkpoint only as a backstop, at a much higher threshold,
 * and goes back to the normal one if the worker fails.
 *
 * @module
 */
import type { CheckpointCommand, CheckpointReport } from "./_checkpoint_worker.ts";

/** How often the worker checkpoints, in milliseconds. */
export const CHECKPOINT_INTERVAL_MS = 100;

/** How long starting or stopping the worker may take before it is given up, in milliseconds. */
const WORKER_TIMEOUT_MS = 10_000;

/**
 * A worker thread that checkpoints one SQLite database file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { SqliteCheckpointer } from "./_checkpointer.ts";
 * const path = `${await Deno.makeTempDir()}/arca.sqlite3`;
 * const db = new DatabaseSync(path);
 * db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)");
 * const failures: string[] = [];
 * const checkpointer = await SqliteCheckpointer.start(path, (message) => failures.push(message));
 * db.exec("INSERT INTO t VALUES (1)"); // the worker copies it into the database file
 * await checkpointer.stop();
 * db.close();
 * assert.deepEqual(failures, []);
 * ```
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  #stopped: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /**
   * Starts a worker checkpointing the database at `path` (which must already be in WAL mode).
   * `onFailure` is called once if the worker later fails; it has stopped by then.
   */
  static async start(
    path: string,
    onFailure: (message: string) => void,
  ): Promise<SqliteCheckpointer> {
    const worker = new Worker(new URL("./_checkpoint_worker.ts", import.meta.url), {
      type: "module",
    });
    const checkpointer = new SqliteCheckpointer(worker);
    try {
      await checkpointer.#exchange(
        { type: "start", path, intervalMs: CHECKPOINT_INTERVAL_MS },
        "ready",
      );
    } catch (error) {
      worker.terminate();
      throw error;
    }
    worker.onmessage = (event: MessageEvent<CheckpointReport>) => {
      if (event.data.type === "failed") onFailure(event.data.message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      onFailure(event.message);
    };
    return checkpointer;
  }

  /** Stops the worker (closing its connection); safe to call more than once. */
  stop(): Promise<void> {
    this.#stopped ??= this.#exchange({ type: "stop" }, "stopped")
      .catch(() => {/* terminated below either way */})
      .finally(() => this.#worker.terminate());
    return this.#stopped;
  }

  /** Sends `command` and waits for the report `expected` (a failure or a timeout rejects). */
  #exchange(command: CheckpointCommand, expected: CheckpointReport["type"]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`SQLite checkpoint worker did not answer "${command.type}"`)),
        WORKER_TIMEOUT_MS,
      );
      this.#worker.onmessage = (event: MessageEvent<CheckpointReport>) => {
        clearTimeout(timer);
        if (event.data.type === expected) resolve();
        else if (event.data.type === "failed") {
          reject(new Error(`SQLite checkpoint worker failed: ${event.data.message}`));
        }
      };
      this.#worker.onerror = (event) => {
        event.preventDefault();
        clearTimeout(timer);
        reject(new Error(`SQLite checkpoint worker failed: ${event.message}`));
      };
      this.#worker.postMessage(command);
    });
  }
}
