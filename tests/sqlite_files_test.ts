/** The file methods of the SQLite store: pending uploads, used tokens, the blob deletion queue. */
import assert from "node:assert/strict";
import { randomUuid } from "../lib/crypto/uuid.ts";
import type { PendingFileRow } from "../lib/store/file_store.ts";
import { openSqliteStore } from "../lib/store/sqlite_store.ts";
import type { Store } from "../lib/store/store.ts";

async function withStore(body: (store: Store, writerId: string) => Promise<void>) {
  const store = await openSqliteStore(":memory:");
  try {
    const accountId = randomUuid();
    await store.createAccount({ accountId, name: "a", created: 1 });
    const clientId = randomUuid();
    await store.createClient({
      clientId,
      accountId,
      name: "w",
      publicKeyType: "curve25519",
      publicKey: "k",
      signingKeyType: null,
      signingKey: null,
      apiKeyId: "id",
      apiSecretHash: "h",
      backupClientId: clientId,
      backedUp: null,
      created: 1,
    });
    await body(store, clientId);
  } finally {
    await store.close();
  }
}

function pending(writerId: string, overrides: Partial<PendingFileRow> = {}): PendingFileRow {
  const pendingId = randomUuid();
  return {
    pendingId,
    writerId,
    userId: writerId,
    type: "t",
    plain: { a: "1" },
    data: {},
    recSig: null,
    checksum: null,
    compression: "raw",
    size: null,
    blobKey: `${pendingId}-1`,
    state: "pending",
    created: 100,
    expires: 200,
    ...overrides,
  };
}

Deno.test("sqlite files: pending files round-trip and move through their states", async () => {
  await withStore(async (store, writerId) => {
    const row = pending(writerId, { checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", size: 0 });
    await store.createPendingFile(row);
    assert.deepEqual(await store.getPendingFile(row.pendingId), row);
    assert.equal(await store.getPendingFile(randomUuid()), undefined);
    await assert.rejects(() => store.createPendingFile(row), "ids are unique");

    const measured = { checksum: "XUFAKrxLKna5cZ2REBfFkg==", size: 5 };
    assert.equal(
      await store.markPendingFileUploaded(row.pendingId, measured),
      false,
      "not uploading",
    );
    assert.equal(await store.setPendingFileState(row.pendingId, "pending", "uploading"), true);
    assert.equal(await store.setPendingFileState(row.pendingId, "pending", "uploading"), false);
    assert.equal(await store.markPendingFileUploaded(row.pendingId, measured), true);
    const uploaded = await store.getPendingFile(row.pendingId);
    assert.equal(uploaded?.state, "uploaded");
    assert.equal(uploaded?.checksum, measured.checksum);
    assert.equal(uploaded?.size, 5);
    assert.equal(await store.deletePendingFile(row.pendingId), true);
    assert.equal(await store.deletePendingFile(row.pendingId), false);
  });
});

Deno.test("sqlite files: expiring pending files queues their blobs, atomically and in batches", async () => {
  await withStore(async (store, writerId) => {
    const rows = [150, 160, 170, 300].map((expires) => pending(writerId, { expires }));
    for (const row of rows) await store.createPendingFile(row);
    assert.equal(await store.expirePendingFiles(170, 2), 2);
    assert.equal(await store.expirePendingFiles(170, 2), 1);
    assert.equal(await store.expirePendingFiles(170, 2), 0);
    assert.ok(await store.getPendingFile(rows[3]!.pendingId), "a live upload stays");
    assert.deepEqual(await store.listBlobDeletions(10), rows.slice(0, 3).map((r) => r.blobKey));
    await store.queueBlobDeletion(rows[0]!.blobKey);
    assert.equal((await store.listBlobDeletions(10)).length, 3, "queueing is idempotent");
    await store.finishBlobDeletion(rows[0]!.blobKey);
    assert.deepEqual(await store.listBlobDeletions(1), [rows[1]!.blobKey]);
  });
});

Deno.test("sqlite files: a capability token is used once; expired ones are forgotten", async () => {
  await withStore(async (store) => {
    assert.equal(await store.useCapability("tok-a", 500), true);
    assert.equal(await store.useCapability("tok-a", 500), false);
    assert.equal(await store.useCapability("tok-b", 900), true);
    assert.equal(await store.deleteExpiredCapabilities(500), 1);
    assert.equal(await store.useCapability("tok-b", 900), false, "tok-b is still remembered");
  });
});
