/**
 * Housekeeping of containers, run by the server's housekeeping (`_housekeeping.ts`; tests call
 * it directly with an injected clock): uploads announced more than an hour ago and never
 * completed are dropped (their bytes queued for deletion), expired access entries are removed
 * with their `deleted` events (a container left without live access is deleted with its
 * bytes), and events older than the retention are pruned. Also the removal of a deleted
 * client's containers access ({@linkcode deleteClientContainers}).
 *
 * Expired entries are no access from the moment they expire; the sweep only tidies the rows and
 * tells the users.
 *
 * @module
 */
import type { Store } from "../store/store.ts";
import { removeAccess } from "./_container_writes.ts";
import { notifyEvents } from "./_event_notifier.ts";
import { DEFAULT_EVENT_RETENTION_DAYS } from "./settings.ts";

const BATCH = 100;

/** What {@linkcode sweepContainers} did. */
export interface ContainerSweepResult {
  /** Uploads past their hour that were dropped. */
  expiredUploads: number;
  /** Expired access entries removed. */
  expiredAccess: number;
  /** Events older than the retention removed. */
  prunedEvents: number;
}

/**
 * One sweep at `now` (µs). Queued blob deletions are carried out by the file sweep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepContainers } from "./_container_sweep.ts";
 * import { openSqliteStore } from "../store/sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const result = await sweepContainers(store, Date.now() * 1000);
 * assert.deepEqual(result, { expiredUploads: 0, expiredAccess: 0, prunedEvents: 0 });
 * await store.close();
 * ```
 */
export async function sweepContainers(
  store: Store,
  now: number,
  retentionDays: number = DEFAULT_EVENT_RETENTION_DAYS,
): Promise<ContainerSweepResult> {
  let expiredUploads = 0;
  for (;;) {
    const uploads = await store.containers.listExpiredUploads(now, BATCH);
    for (const upload of uploads) {
      await store.transaction(async (tx) => {
        if (await tx.containers.deleteUpload(upload.containerId, upload.version)) {
          await tx.files.queueBlobDeletion(upload.blobKey);
          expiredUploads++;
        }
      });
    }
    if (uploads.length < BATCH) break;
  }
  let expiredAccess = 0;
  for (;;) {
    const entries = await store.containers.listExpiredAccess(now, BATCH);
    for (const entry of entries) {
      const context = { now, actorId: entry.userId, appName: null };
      const expiredAt = entry.expiration ?? now;
      const removed = await store.transaction((tx) =>
        removeAccess(tx, context, entry.containerId, entry.userId, { expiredAt })
      );
      if (removed) expiredAccess++;
    }
    if (entries.length < BATCH) break;
  }
  if (expiredAccess > 0) notifyEvents(store);
  const prunedEvents = await store.events.deleteBefore(now - retentionDays * 86_400_000_000);
  return { expiredUploads, expiredAccess, prunedEvents };
}

/**
 * Inside a client's deletion: removes every access entry of the client (the others get their
 * `updated` events; a container nobody else can reach is deleted, its bytes queued), drops
 * the uploads it announced, and deletes its own events.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, inside the deletion's transaction.
 * await deleteClientContainers(tx, clientId, now);
 * ```
 */
export async function deleteClientContainers(
  tx: Store,
  clientId: string,
  now: number,
): Promise<void> {
  const context = { now, actorId: clientId, appName: null };
  for (const entry of await tx.containers.listAccessOfUser(clientId)) {
    await removeAccess(tx, context, entry.containerId, clientId);
  }
  for (const upload of await tx.containers.listUploadsByWriter(clientId)) {
    await tx.containers.deleteUpload(upload.containerId, upload.version);
    await tx.files.queueBlobDeletion(upload.blobKey);
  }
  await tx.events.deleteByUser(clientId);
}
