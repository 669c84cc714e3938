/** Conformance: large files (pending uploads, used file URLs, the blob deletion queue). */
import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import {
  id,
  pendingFile as pending,
  seedAccount,
  seedClient,
  type StoreTest,
} from "./_fixtures.ts";

async function seedWriter(store: Store): Promise<string> {
  return (await seedClient(store, await seedAccount(store))).clientId;
}

export function fileConformance(test: StoreTest): void {
  test("files: pending files round-trip and move through their states", async (store) => {
    const writerId = await seedWriter(store);
    const row = pending(writerId, { checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", size: 0 });
    await store.files.createPending(row);
    assert.deepEqual(await store.files.getPending(row.pendingId), row);
    assert.equal(await store.files.getPending(id()), undefined);
    await assert.rejects(() => store.files.createPending(row), "ids are unique");

    const measured = { checksum: "XUFAKrxLKna5cZ2REBfFkg==", size: 5 };
    assert.equal(
      await store.files.markPendingUploaded(row.pendingId, measured),
      false,
      "not uploading",
    );
    assert.equal(await store.files.setPendingState(row.pendingId, "pending", "uploading"), true);
    assert.equal(await store.files.setPendingState(row.pendingId, "pending", "uploading"), false);
    assert.equal(await store.files.markPendingUploaded(row.pendingId, measured), true);
    const uploaded = await store.files.getPending(row.pendingId);
    assert.equal(uploaded?.state, "uploaded");
    assert.equal(uploaded?.checksum, measured.checksum);
    assert.equal(uploaded?.size, 5);
    assert.equal(await store.files.deletePending(row.pendingId), true);
    assert.equal(await store.files.deletePending(row.pendingId), false);
  });

  test("files: interrupted uploads go back to pending; others stay", async (store) => {
    const writerId = await seedWriter(store);
    const [running, waiting, done] = [pending(writerId), pending(writerId), pending(writerId)];
    for (const row of [running, waiting, done]) await store.files.createPending(row);
    await store.files.setPendingState(running.pendingId, "pending", "uploading");
    await store.files.setPendingState(done.pendingId, "pending", "uploading");
    await store.files.markPendingUploaded(done.pendingId, { checksum: "x", size: 1 });
    assert.equal(await store.files.resetInterruptedUploads(), 1);
    assert.equal((await store.files.getPending(running.pendingId))?.state, "pending");
    assert.equal((await store.files.getPending(waiting.pendingId))?.state, "pending");
    assert.equal((await store.files.getPending(done.pendingId))?.state, "uploaded");
    assert.equal(await store.files.resetInterruptedUploads(), 0);
  });

  test("files: expiring pending files queues their blobs, atomically and in batches", async (store) => {
    const writerId = await seedWriter(store);
    const rows = [150, 160, 170, 300].map((expires) => pending(writerId, { expires }));
    for (const row of rows) await store.files.createPending(row);
    assert.equal(await store.files.expirePending(170, 2), 2);
    assert.equal(await store.files.expirePending(170, 2), 1);
    assert.equal(await store.files.expirePending(170, 2), 0);
    assert.ok(await store.files.getPending(rows[3]!.pendingId), "a live upload stays");
    assert.deepEqual(
      await store.files.listBlobDeletions(10),
      rows.slice(0, 3).map((r) => r.blobKey),
    );
    await store.files.queueBlobDeletion(rows[0]!.blobKey);
    assert.equal((await store.files.listBlobDeletions(10)).length, 3, "queueing is idempotent");
    await store.files.finishBlobDeletion(rows[0]!.blobKey);
    assert.deepEqual(await store.files.listBlobDeletions(1), [rows[1]!.blobKey]);
  });

  test("files: a capability token is used once; expired ones are forgotten", async (store) => {
    assert.equal(await store.files.capabilityUsed("tok-a"), false);
    assert.equal(await store.files.useCapability("tok-a", 500), true);
    assert.equal(await store.files.capabilityUsed("tok-a"), true);
    assert.equal(await store.files.useCapability("tok-a", 500), false);
    assert.equal(await store.files.useCapability("tok-b", 900), true);
    assert.equal(await store.files.deleteExpiredCapabilities(500), 1);
    assert.equal(await store.files.useCapability("tok-b", 900), false, "tok-b is still remembered");
    assert.equal(await store.files.capabilityUsed("tok-a"), false, "tok-a is forgotten");
  });
}
