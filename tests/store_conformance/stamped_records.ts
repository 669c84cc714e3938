/**
 * Conformance: `records.insertStamped`, the record write that stamps its record and settles its
 * own races (no `transaction(fn)` around it): timestamps, `seq`, taken ids, the quota, the index.
 */
import assert from "node:assert/strict";
import type { RecordRow, UnstampedRecord } from "../../lib/store/records.ts";
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

  test("insertStamped: concurrent writes with a taken id among them: only it is refused", async (store) => {
    const accountId = await seedAccount(store);
    const writers = [await seedClient(store, accountId), await seedClient(store, accountId)];
    const first = await store.records.insertStamped(unstamped(writers[0]!.clientId), T0);
    const usage = await store.usage.bytes(writers[0]!.clientId);
    const writes = Array.from({ length: 24 }, (_, i) =>
      unstamped(writers[i % 2]!.clientId, {
        plain: { n: String(i), city: "Lyon" },
        ...(i === 9 ? { recordId: first!.recordId, writerId: writers[0]!.clientId } : {}),
      }));
    const rows = await Promise.all(writes.map((write) => store.records.insertStamped(write, T0)));
    assert.equal(rows[9], undefined, "the taken id is refused");
    assert.deepEqual(await store.records.get(first!.recordId), first);
    const stored = rows.filter((row) => row !== undefined).sort((a, b) => a.seq - b.seq);
    assert.equal(stored.length, 23);
    for (let i = 1; i < stored.length; i++) {
      assert.ok(stored[i]!.created > stored[i - 1]!.created, "created rises with seq");
    }
    assert.ok(stored[0]!.created > first!.created);
    for (const row of stored) assert.deepEqual(await store.records.get(row.recordId), row);
    const ofFirst = stored.filter((row) => row.writerId === writers[0]!.clientId);
    assert.equal(ofFirst.length, 12);
    // Every record of each writer is indexed, and none of the refused one.
    for (const writer of writers) {
      const found = await store.search.run(searchQuery(writer.clientId, {
        match: [clause({ values: ["Lyon"] })],
        limit: 100,
      }));
      const expected = [
        ...(writer === writers[0] ? [first!] : []),
        ...stored.filter((row) => row.writerId === writer.clientId),
      ];
      assert.deepEqual(ids(found.records).sort(), ids(expected).sort());
    }
    assert.ok(await store.usage.bytes(writers[0]!.clientId) > usage);
  });

  test("insertStamped: concurrent writes past the quota: exactly those that fit are stored", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const probe = await store.records.insertStamped(unstamped(writer), T0);
    const size = await store.usage.bytes(writer);
    const quotaBytes = size * 6 + 1;
    const results = await Promise.allSettled(
      Array.from(
        { length: 12 },
        () => store.records.insertStamped(unstamped(writer), T0, { quotaBytes }),
      ),
    );
    const stored = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(stored.length, 5, "five more fit beside the first");
    for (const r of refused) {
      assert.ok((r as PromiseRejectedResult).reason instanceof QuotaExceededError);
    }
    assert.equal(await store.usage.bytes(writer), size * 6);
    const rows = stored.map((r) => (r as PromiseFulfilledResult<RecordRow | undefined>).value!);
    for (const row of rows) assert.deepEqual(await store.records.get(row.recordId), row);
    assert.ok(rows.every((row) => row.created > probe!.created));
    assert.equal(
      await store.issueTimestamp(T0),
      Math.max(...rows.map((row) => row.created)) + 1,
      "refused writes use no timestamp",
    );
  });
}
