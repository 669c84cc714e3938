/**
 * The worker thread behind {@linkcode SqliteCheckpointer}: its own connection to the store's
 * database file, running `PRAGMA wal_checkpoint(PASSIVE)` on a timer, so copying the WAL back
 * into the database file (and its two fsyncs) never blocks the server's event loop.
 *
 * Messages in: `{ type: "start", path, intervalMs }`, then `{ type: "stop" }`. Messages out:
 * `{ type: "ready" }`, `{ type: "stopped" }`, or `{ type: "failed", message }` (after which the
 * worker does nothing more).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** A message the host sends. */
export type CheckpointCommand =
  | { type: "start"; path: string; intervalMs: number }
  | { type: "stop" };

/** A message the worker sends. */
export type CheckpointReport =
  | { type: "ready" }
  | { type: "stopped" }
  | { type: "failed"; message: string };

/**
 * The worker's global scope, typed here: a `/// <reference lib="deno.worker" />` directive would
 * change the globals of every importer, which JSR refuses in a published package.
 */
interface WorkerScope {
  postMessage(message: CheckpointReport): void;
  onmessage: ((event: MessageEvent<CheckpointCommand>) => void) | null;
}

const worker = globalThis as unknown as WorkerScope;

let db: DatabaseSync | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function report(message: CheckpointReport): void {
  worker.postMessage(message);
}

function start(path: string, intervalMs: number): void {
  db = new DatabaseSync(path);
  db.exec("PRAGMA busy_timeout = 5000");
  timer = setInterval(checkpoint, intervalMs);
  report({ type: "ready" });
}

function checkpoint(): void {
  try {
    // PASSIVE copies what no reader still needs and never waits for, or blocks, the writer.
    db?.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
  } catch (error) {
    fail(error);
  }
}

function stop(): void {
  clearInterval(timer);
  timer = undefined;
  db?.close();
  db = undefined;
}

function fail(error: unknown): void {
  stop();
  report({ type: "failed", message: error instanceof Error ? error.message : String(error) });
}

worker.onmessage = (event: MessageEvent<CheckpointCommand>) => {
  const command = event.data;
  try {
    if (command.type === "start") start(command.path, command.intervalMs);
    else if (command.type === "stop") {
      stop();
      report({ type: "stopped" });
    }
  } catch (error) {
    fail(error);
  }
};
