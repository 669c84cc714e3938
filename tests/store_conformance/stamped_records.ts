/**
 * Conformance: `records.insertStamped`, the record write that stamps its record and settles its
 * own races (no `transaction(fn)` around it): timestamps, `seq`, taken ids, the quota, the index.
 */
import assert from "node:assert/strict";
import type { UnstampedRecord } from "../../lib/store/records.ts";
import { QuotaExceededError } from "../../lib/store/usage.ts";
import { ValidationError } from "../../lib/errors.ts";
import { clause, ids, searchQuery } from "../_search_helpers.ts";
import { id, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";

function unstamped(writerId: string, overrides: Partial<UnstampedRecord> = {}): UnstampedRecord {
  return {
    recordId: id(),
    writerId,
    userId: writerId,
    type: "contact",
    plain: { city: "Lyon" },
    data: { name: "a.b.c.d" },
    recSig: null,
    fileMeta: null,
    version: id(),
    ...overrides,
  };
}

export function stampedRecordConformance(test: StoreTest): void {
  test("insertStamped: stamps created and lastModified with an issued timestamp", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const before = await store.issueTimestamp(T0);
    const row = await store.records.insertStamped(unstamped(writer), T0);
    assert.ok(row !== undefined);
    assert.equal(
      row.created,
      before + 1,
      "after every timestamp issued before, even a later clock",
    );
    assert.equal(row.lastModified, row.created);
    assert.deepEqual(await store.records.get(row.recordId), row);
    const later = await store.records.insertStamped(unstamped(writer), T0 + 1_000_000_000);
    assert.equal(later?.created, T0 + 1_000_000_000, "the clock when it is ahead");
    assert.ok(later!.seq > row.seq);
    assert.ok(await store.issueTimestamp(T0) > later!.created);
    // Indexed for search in the same step.
    const found = await store.search.run(searchQuery(writer, {
      match: [clause({ values: ["Lyon"] })],
    }));
    assert.deepEqual(ids(found.records), [row.recordId, later!.recordId]);
  });

  test("insertStamped: a taken id adds nothing and issues no timestamp", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const first = await store.records.insertStamped(unstamped(writer), T0);
    const usage = await store.usage.bytes(writer);
    const again = await store.records.insertStamped(
      unstamped(writer, { recordId: first!.recordId, data: { other: "x" } }),
      T0,
    );
    assert.equal(again, undefined);
    assert.deepEqual(await store.records.get(first!.recordId), first);
    assert.equal(await store.usage.bytes(writer), usage);
    assert.equal(await store.issueTimestamp(T0), first!.created + 1);
    // In a transaction likewise, and the transaction goes on.
    const inside = await store.transaction(async (tx) => {
      const taken = await tx.records.insertStamped(unstamped(writer, first!), T0);
      const fresh = await tx.records.insertStamped(unstamped(writer), T0);
      return { taken, fresh };
    });
    assert.equal(inside.taken, undefined);
    assert.deepEqual(await store.records.get(inside.fresh!.recordId), inside.fresh);
  });

  test("insertStamped: past the quota it throws and changes nothing", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const kept = await store.records.insertStamped(unstamped(writer), T0, { quotaBytes: 1000 });
    const usage = await store.usage.bytes(writer);
    const big = unstamped(writer, { data: { f: "y".repeat(2000) } });
    await assert.rejects(
      store.records.insertStamped(big, T0, { quotaBytes: 1000 }),
      QuotaExceededError,
    );
    assert.equal(await store.records.get(big.recordId), undefined);
    assert.equal(await store.usage.bytes(writer), usage);
    assert.equal(await store.issueTimestamp(T0), kept!.created + 1, "no timestamp used");
    const unlimited = await store.records.insertStamped(big, T0, { quotaBytes: 0 });
    assert.equal(unlimited?.recordId, big.recordId);
    await assert.rejects(store.records.insertStamped(unstamped(writer), -1), ValidationError);
    await assert.rejects(store.records.insertStamped(unstamped(writer), 1.5), ValidationError);
  });

  test("insertStamped: concurrent writes get distinct timestamps in seq order", async (store) => {
    const accountId = await seedAccount(store);
    const writers = [await seedClient(store, accountId), await seedClient(store, accountId)];
    const rows = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.records.insertStamped(
          unstamped(writers[i % 2]!.clientId, { plain: { n: String(i) } }),
          T0,
        )),
    );
    const sorted = rows.map((row) => row!).sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < sorted.length; i++) {
      assert.ok(sorted[i]!.created > sorted[i - 1]!.created, "created rises with seq");
    }
    for (const row of sorted) assert.deepEqual(await store.records.get(row.recordId), row);
  });
}
