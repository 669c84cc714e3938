/**
 * The server's housekeeping: the container sweep (`_container_sweep.ts`: expired uploads and
 * access entries, old events), the file sweep (`_file_sweep.ts`) and the removal of expired bearer
 * tokens, notes, identity tokens and login sessions, TSV1 replay nonces, login failures, and key
 * file download attempts older than the longest throttle window. Every server instance of a
 * shared store runs it; each step is safe to run concurrently (the deletions are idempotent, and
 * a blob deleted twice is deleted once). It runs wherever the app runs: `startServer`
 * starts it with the server, the `deno serve`/edge handler with the app on the first request.
 * It runs once at start, then every `HOUSEKEEPING_SECONDS` (60), on a timer that does not keep
 * the process alive.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type { BlobStore } from "../store/blob_store.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import { type ContainerSweepResult, sweepContainers } from "./_container_sweep.ts";
import { type FileSweepResult, sweepFiles } from "./_file_sweep.ts";
import { type Log, logFailure } from "./_log.ts";
import { HOUSEKEEPING_SECONDS, MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS } from "./settings.ts";

/** What the housekeeping needs. */
export interface HousekeepingDeps {
  /** The metadata store. */
  store: Store;
  /** The blob store, or `undefined` when files are disabled (then no file sweep). */
  blobs: BlobStore | undefined;
  /** Microseconds since the epoch. */
  clock: Clock;
  /** Days events are kept (`ARCA_EVENT_RETENTION_DAYS`; default 90). */
  eventRetentionDays?: number | undefined;
  /** Where a failed round is logged (default: stderr). */
  log?: Log | undefined;
}

/** What one round of housekeeping removed. */
export interface HousekeepingResult {
  /** The file sweep's counts, or `undefined` without a blob store. */
  files: FileSweepResult | undefined;
  /** Expired bearer tokens deleted. */
  bearerTokens: number;
  /** Expired notes deleted. */
  notes: number;
  /** Expired identity tokens and login sessions deleted. */
  identity: number;
  /** Key file download attempts deleted (older than any throttle window). */
  keyFileAttempts: number;
  /** Expired TSV1 replay nonces forgotten. */
  replayNonces: number;
  /** Login failures that left their window, forgotten. */
  loginFailures: number;
  /** Expired container uploads and access entries, pruned events. */
  containers: ContainerSweepResult;
}

/**
 * One round of housekeeping at the clock's current time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runHousekeeping } from "./_housekeeping.ts";
 * import { prepareApp } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store, blobs } = await prepareApp({ dataDir, print: () => {} });
 * const result = await runHousekeeping({ store, blobs, clock: () => Date.now() * 1000 });
 * assert.equal(result.bearerTokens, 0);
 * assert.equal(result.files?.expiredPendingFiles, 0);
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function runHousekeeping(deps: HousekeepingDeps): Promise<HousekeepingResult> {
  // Containers first: the blobs they queue for deletion go in the file sweep below.
  const containers = await sweepContainers(
    deps.store,
    deps.clock(),
    deps.eventRetentionDays,
  );
  const files = deps.blobs === undefined
    ? undefined
    : await sweepFiles({ store: deps.store, blobs: deps.blobs, clock: deps.clock });
  const now = deps.clock();
  const nowSeconds = Math.floor(now / 1_000_000);
  return {
    files,
    bearerTokens: await deps.store.bearerTokens.deleteExpired(now),
    notes: await deps.store.notes.deleteExpired(now),
    identity: await deps.store.identity.deleteExpired(now),
    keyFileAttempts: await deps.store.users.deleteAttemptsBefore(
      now - MAX_KEY_FILE_ATTEMPT_WINDOW_SECONDS * 1_000_000,
    ),
    replayNonces: await deps.store.replayNonces.deleteExpired(nowSeconds),
    loginFailures: await deps.store.loginFailures.deleteExpired(nowSeconds),
    containers,
  };
}

/** Running housekeeping. */
export interface Housekeeper {
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * Runs {@linkcode runHousekeeping} now and then every `intervalSeconds` (the timer does not keep
 * the process alive). A failed round is logged and the next tick tries again.
 *
 * @example
 * ```ts
 * import { startHousekeeping } from "./_housekeeping.ts";
 * import { prepareApp } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store, blobs } = await prepareApp({ dataDir, print: () => {} });
 * const housekeeper = startHousekeeping({ store, blobs, clock: () => Date.now() * 1000 }, 60);
 * await housekeeper.stop();
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function startHousekeeping(
  deps: HousekeepingDeps,
  intervalSeconds: number = HOUSEKEEPING_SECONDS,
): Housekeeper {
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
    throw new ValidationError(
      `Housekeeping interval must be positive seconds, got ${intervalSeconds}`,
    );
  }
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running.then(() => runHousekeeping(deps)).then(
      () => undefined,
      (error) => logFailure(deps.log, "Housekeeping failed (retried at the next tick)", error),
    );
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  Deno.unrefTimer(timer);
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
