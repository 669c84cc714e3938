/**
 * Ending a client: disabling it (every authenticated request then answers 401 "Client is
 * disabled", and the tokens it held stay dead after it is enabled again) and deleting it with
 * everything that names it. Both forget the client's cached bearer tokens once their
 * transaction has committed, so the change takes effect on the next request.
 *
 * @module
 */
import type { ClientRow } from "../store/clients.ts";
import type { Store } from "../store/store.ts";
import { deleteClientContainers } from "./_container_sweep.ts";
import { notifyEvents } from "./_event_notifier.ts";
import { deleteQueuedBlobs } from "./_file_sweep.ts";
import { fileBlobKey } from "./_file_urls.ts";
import type { Deps } from "./env.ts";
import { logFailure } from "./_log.ts";

const BATCH = 100;

/**
 * Disables or enables a client; returns it as it now is, or `undefined` when there is none.
 * Enabling a disabled client deletes the bearer tokens it held, so it must ask for new ones.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs its `deps`.
 * const client = await setClientDisabled(deps, clientId, true);
 * ```
 */
export async function setClientDisabled(
  deps: Pick<Deps, "store">,
  clientId: string,
  disabled: boolean,
): Promise<ClientRow | undefined> {
  const client = await deps.store.transaction(async (tx) => {
    const before = await tx.clients.get(clientId);
    if (before === undefined) return undefined;
    await tx.clients.setDisabled(clientId, disabled);
    if (before.disabled === true && !disabled) await tx.bearerTokens.deleteByClient(clientId);
    // Every server instance's bearer cache drops its tokens once this commits.
    await tx.revocations.bump();
    return { ...before, disabled };
  });
  return client;
}

/**
 * Deletes a client and everything that names it, in one transaction: its records (with their
 * search index rows; file bytes are queued for deletion), pending files, its container access
 * entries (containers nobody else can reach are deleted, bytes queued), access keys it writes,
 * reads or authorized, policies where it is writer or reader, the identity bound to it, its
 * key file (a user's), its bearer tokens. Then deletes the queued bytes. False when there is no
 * such client.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs its `deps`.
 * if (!(await deleteClient(deps, clientId))) throw new HttpError(404, "Client not found");
 * ```
 */
export async function deleteClient(
  deps: Pick<Deps, "store" | "blobs"> & Partial<Pick<Deps, "log">>,
  clientId: string,
): Promise<boolean> {
  // A client may have many records: a bulk transaction, never grouped with other writes.
  const deleted = await deps.store.transaction(async (tx) => {
    if (await tx.clients.get(clientId) === undefined) return false;
    await deleteClientRows(tx, clientId);
    await tx.revocations.bump();
    return true;
  }, { bulk: true });
  if (deleted) notifyEvents(deps.store);
  if (deleted && deps.blobs !== undefined) {
    // The deletions are queued and committed: if this fails, the file sweep finishes them.
    await deleteQueuedBlobs(deps.store, deps.blobs).catch((error) =>
      logFailure(deps.log, "Deleting a client's file bytes failed (the sweep will retry)", error)
    );
  }
  return deleted;
}

/**
 * The rows part of {@linkcode deleteClient}, for use inside a transaction that also does other
 * things (deleting an identity).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs a transaction of its store.
 * await deps.store.transaction((tx) => deleteClientRows(tx, clientId));
 * ```
 */
export async function deleteClientRows(tx: Store, clientId: string): Promise<void> {
  for (;;) {
    const records = await tx.records.deleteByWriter(clientId, BATCH);
    for (const record of records) {
      const blobKey = fileBlobKey(record);
      if (blobKey !== undefined) await tx.files.queueBlobDeletion(blobKey);
    }
    if (records.length < BATCH) break;
  }
  await tx.files.deletePendingByWriter(clientId);
  await deleteClientContainers(tx, clientId, Date.now() * 1000);
  await tx.accessKeys.deleteByClient(clientId);
  await tx.policies.deleteByClient(clientId);
  await tx.identity.deleteByClient(clientId);
  await tx.bearerTokens.deleteByClient(clientId);
  await tx.usage.forget(clientId);
  await tx.users.delete(clientId);
  await tx.clients.delete(clientId);
}
