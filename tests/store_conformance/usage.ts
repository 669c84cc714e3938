/** Conformance: storage usage per client, kept by record and file writes, and the quota. */
import assert from "node:assert/strict";
import { QuotaExceededError } from "../../lib/store/usage.ts";
import { id, newRecord, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";

export function usageConformance(test: StoreTest): void {
  test("usage: records count their stored bytes; quota refusals change nothing", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    assert.equal(await store.usage.bytes(writer), 0);
    const record = await store.records.insert(
      newRecord(writer, { plain: { k: "é" }, data: { f: "x".repeat(100) }, recSig: "sig" }),
    );
    // {"k":"é"} is 10 bytes in UTF-8, {"f":"xxx…"} 108, the signature 3.
    assert.equal(await store.usage.bytes(writer), 10 + 108 + 3);
    await assert.rejects(
      store.records.insert(newRecord(writer, { data: { f: "y".repeat(200) } }), {
        quotaBytes: 300,
      }),
      QuotaExceededError,
    );
    assert.equal(await store.usage.bytes(writer), 121, "a refused write counts nothing");
    const grow = { plain: {}, data: { f: "z".repeat(400) }, recSig: null, lastModified: T0 + 1 };
    await assert.rejects(
      store.records.update(record.recordId, record.version, { ...grow, version: id() }, {
        quotaBytes: 300,
      }),
      QuotaExceededError,
    );
    assert.equal((await store.records.get(record.recordId))?.version, record.version);
    const updated = await store.records.update(record.recordId, record.version, {
      ...grow,
      data: { f: "z" },
      version: id(),
    }, { quotaBytes: 300 });
    assert.equal(updated.status, "ok");
    assert.equal(await store.usage.bytes(writer), 2 + 9);
    if (updated.status !== "ok") return;
    await store.records.delete(record.recordId, updated.value.version);
    assert.equal(await store.usage.bytes(writer), 0, "a delete frees what the record used");
    // 0 means no limit.
    await store.records.insert(newRecord(writer, { data: { f: "w".repeat(500) } }), {
      quotaBytes: 0,
    });
    assert.ok(await store.usage.bytes(writer) > 500);
    assert.equal(await store.usage.forget(writer), true, "a deleted client's usage goes");
    assert.equal(await store.usage.bytes(writer), 0);
    assert.equal(await store.usage.forget(writer), false);
  });

  test("usage: uploaded pending files count until deleted or expired", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const pending = (expires: number) => {
      const pendingId = id();
      return {
        pendingId,
        writerId: writer,
        userId: writer,
        type: "t",
        plain: {},
        data: {},
        recSig: null,
        checksum: null,
        compression: "raw",
        size: null,
        blobKey: `${pendingId}-1`,
        state: "uploading" as const,
        created: 100,
        expires,
      };
    };
    const first = pending(150);
    const second = pending(500);
    const third = pending(500);
    for (const row of [first, second, third]) await store.files.createPending(row);
    const measured = (size: number) => ({ checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", size });
    assert.equal(await store.files.markPendingUploaded(first.pendingId, measured(1000)), true);
    assert.equal(await store.files.markPendingUploaded(second.pendingId, measured(2000)), true);
    assert.equal(await store.usage.bytes(writer), 3000);
    await assert.rejects(
      store.files.markPendingUploaded(third.pendingId, measured(2000), { quotaBytes: 4000 }),
      QuotaExceededError,
    );
    assert.equal((await store.files.getPending(third.pendingId))?.state, "uploading");
    assert.equal(await store.files.expirePending(200, 10), 1);
    assert.equal(await store.usage.bytes(writer), 2000, "an expired upload frees its bytes");
    assert.equal(await store.files.deletePending(second.pendingId), true);
    assert.equal(await store.usage.bytes(writer), 0);
    assert.equal(await store.files.deletePending(third.pendingId), true);
    assert.equal(await store.usage.bytes(writer), 0, "a file never uploaded counted nothing");
  });
}
