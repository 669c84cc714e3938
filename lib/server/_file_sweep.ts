/**
 * Housekeeping of large files, run periodically by the server's housekeeping (`_housekeeping.ts`;
 * tests call it directly, with an injected clock): pending uploads never committed are dropped and their bytes deleted, queued
 * blob deletions are carried out, used capability tokens past their expiry are forgotten, and
 * writes abandoned by a crash are removed.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type { BlobStore } from "../store/blob_store.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import { PENDING_FILE_SECONDS } from "./settings.ts";

const BATCH = 100;

/** What {@linkcode sweepFiles} did. */
export interface FileSweepResult {
  /** Pending files past their expiry that were dropped. */
  expiredPendingFiles: number;
  /** Blobs deleted (of expired pending files and deleted records). */
  deletedBlobs: number;
  /** Used capability tokens forgotten. */
  forgottenTokens: number;
  /** Temporary files of abandoned writes removed. */
  abandonedWrites: number;
}

/** What the sweep needs. */
export interface FileSweepDeps {
  /** The metadata store. */
  store: Store;
  /** The blob store. */
  blobs: BlobStore;
  /** Microseconds since the epoch. */
  clock: Clock;
}

/**
 * Deletes the blobs queued for deletion; returns how many were deleted. A blob that is already
 * gone counts as done. Safe to run concurrently with itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteQueuedBlobs } from "./_file_sweep.ts";
 * import { prepareApp } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store, blobs } = await prepareApp({ dataDir, print: () => {} });
 * assert.equal(await deleteQueuedBlobs(store, blobs!), 0); // nothing queued yet
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function deleteQueuedBlobs(store: Store, blobs: BlobStore): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys = await store.files.listBlobDeletions(BATCH);
    for (const key of keys) {
      if (await blobs.delete(key)) deleted++;
      await store.files.finishBlobDeletion(key);
    }
    if (keys.length < BATCH) return deleted;
  }
}

/**
 * One sweep at the clock's current time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepFiles } from "./_file_sweep.ts";
 * import { prepareApp } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store, blobs } = await prepareApp({ dataDir, print: () => {} });
 * const result = await sweepFiles({ store, blobs: blobs!, clock: () => Date.now() * 1000 });
 * assert.deepEqual(result, {
 *   expiredPendingFiles: 0,
 *   deletedBlobs: 0,
 *   forgottenTokens: 0,
 *   abandonedWrites: 0,
 * });
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function sweepFiles(deps: FileSweepDeps): Promise<FileSweepResult> {
  if (typeof deps !== "object" || deps === null || typeof deps.clock !== "function") {
    throw new ValidationError("sweepFiles needs { store, blobs, clock }");
  }
  const now = deps.clock();
  let expiredPendingFiles = 0;
  for (;;) {
    const expired = await deps.store.files.expirePending(now, BATCH);
    expiredPendingFiles += expired;
    if (expired < BATCH) break;
  }
  const deletedBlobs = await deleteQueuedBlobs(deps.store, deps.blobs);
  const forgottenTokens = await deps.store.files.deleteExpiredCapabilities(now);
  // File times are wall-clock times, whatever clock the server was given: an injected clock
  // ahead of the wall would make every live upload's temporary file look abandoned.
  const cutoffMillis = Date.now() - PENDING_FILE_SECONDS * 1000;
  const abandonedWrites = await deps.blobs.removeAbandoned(cutoffMillis);
  return { expiredPendingFiles, deletedBlobs, forgottenTokens, abandonedWrites };
}
