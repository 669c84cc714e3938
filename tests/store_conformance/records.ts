/** Conformance: records and the v1 query. */
import assert from "node:assert/strict";
import { id, newRecord, policy, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";
export function recordConformance(test: StoreTest): void {
  test("inserts and reads records with JSON, signatures and sequence", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const first = await store.records.insert(newRecord(writer.clientId, {
      plain: { 'héllo "quoted"': "wörld 🔒", empty: "" },
      recSig: "c2ln",
      fileMeta: { size: 3, checksum: "x" },
    }));
    const second = await store.records.insert(newRecord(writer.clientId));
    assert.ok(second.seq > first.seq);
    const read = await store.records.get(first.recordId);
    assert.deepEqual(read, first);
    assert.deepEqual(read?.plain, { 'héllo "quoted"': "wörld 🔒", empty: "" });
    assert.equal(read?.recSig, "c2ln");
    assert.deepEqual(read?.fileMeta, { size: 3, checksum: "x" });
    assert.equal((await store.records.get(second.recordId))?.fileMeta, null);
    assert.equal(await store.records.get(id()), undefined);
    await assert.rejects(() => store.records.insert(newRecord(writer.clientId, first)));
  });

  test("concurrent gets each find their own record (or none), and see earlier writes", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const rows = [];
    for (let i = 0; i < 6; i++) {
      rows.push(
        await store.records.insert(newRecord(writer.clientId, { plain: { i: String(i) } })),
      );
    }
    const missing = id();
    const asked = [...rows.map((row) => row.recordId), missing, rows[2]!.recordId, "not-a-uuid"];
    const found = await Promise.all(asked.map((recordId) => store.records.get(recordId)));
    assert.deepEqual(found, [...rows, undefined, rows[2], undefined]);
    const [later] = await Promise.all([
      store.records.insert(newRecord(writer.clientId)),
      store.records.get(rows[0]!.recordId),
    ]);
    assert.deepEqual(await store.records.get(later.recordId), later);
  });

  test("updates records only at the expected version", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const record = await store.records.insert(newRecord(writer.clientId));
    const changes = {
      plain: { k: "v" },
      data: { f: "1.2.3.4" },
      recSig: null,
      lastModified: T0 + 5,
      version: id(),
    };
    const stale = await store.records.update(record.recordId, "wrong", changes);
    assert.deepEqual(stale, { status: "conflict" });
    assert.deepEqual(await store.records.update(id(), record.version, changes), {
      status: "missing",
    });
    const updated = await store.records.update(record.recordId, record.version, changes);
    assert.equal(updated.status, "ok");
    if (updated.status !== "ok") return;
    assert.equal(updated.value.version, changes.version);
    assert.equal(updated.value.created, record.created);
    assert.equal(updated.value.lastModified, T0 + 5);
    assert.equal(updated.value.seq, record.seq);
    assert.deepEqual(updated.value.plain, { k: "v" });
    assert.deepEqual(updated.value.data, { f: "1.2.3.4" });
    const again = await store.records.update(record.recordId, record.version, changes);
    assert.deepEqual(again, { status: "conflict" });
  });

  test("deletes records only at the expected version", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const record = await store.records.insert(newRecord(writer.clientId));
    assert.deepEqual(await store.records.delete(record.recordId, "old"), { status: "conflict" });
    assert.ok(await store.records.get(record.recordId));
    assert.deepEqual(await store.records.delete(record.recordId, record.version), {
      status: "ok",
      value: true,
    });
    assert.equal(await store.records.get(record.recordId), undefined);
    assert.deepEqual(await store.records.delete(record.recordId, record.version), {
      status: "missing",
    });
  });

  test("queries own records with filters and paging", async (store) => {
    const accountId = await seedAccount(store);
    const alice = await seedClient(store, accountId);
    const bob = await seedClient(store, accountId);
    const records = [];
    for (let i = 0; i < 5; i++) {
      records.push(
        await store.records.insert(newRecord(alice.clientId, {
          type: i % 2 === 0 ? "even" : "odd",
          plain: { n: String(i), house: i < 3 ? "stark" : "lannister" },
        })),
      );
    }
    await store.records.insert(newRecord(bob.clientId, { type: "even" }));
    const base = {
      callerId: alice.clientId,
      scope: "own" as const,
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    };
    const ids = async (overrides: Partial<typeof base> | Record<string, unknown>) =>
      (await store.records.query({ ...base, ...overrides })).map((r) => r.plain.n);
    assert.deepEqual(await ids({}), ["0", "1", "2", "3", "4"]);
    assert.deepEqual(await ids({ types: ["odd"] }), ["1", "3"]);
    assert.deepEqual(await ids({ recordIds: [records[4]!.recordId, records[0]!.recordId] }), [
      "0",
      "4",
    ]);
    assert.deepEqual(await ids({ userIds: [bob.clientId] }), []);
    assert.deepEqual(await ids({ plain: { eq: { name: "house", value: "stark" } } }), [
      "0",
      "1",
      "2",
    ]);
    assert.deepEqual(
      await ids({
        plain: {
          and: [{ eq: { name: "house", value: "stark" } }, {
            not: { eq: { name: "n", value: "1" } },
          }],
        },
      }),
      ["0", "2"],
    );
    assert.deepEqual(
      await ids({
        plain: { or: [{ eq: { name: "n", value: "4" } }, { eq: { name: "n", value: "0" } }] },
      }),
      ["0", "4"],
    );
    assert.deepEqual(await ids({ plain: { eq: { name: "missing", value: "" } } }), []);
    const page1 = await store.records.query({ ...base, limit: 2 });
    assert.deepEqual(page1.map((r) => r.plain.n), ["0", "1"]);
    const page2 = await store.records.query({ ...base, limit: 2, afterSeq: page1.at(-1)!.seq });
    assert.deepEqual(page2.map((r) => r.plain.n), ["2", "3"]);
    await store.records.delete(records[2]!.recordId, records[2]!.version);
    assert.deepEqual(await ids({ afterSeq: page1.at(-1)!.seq }), ["3", "4"]);
  });

  test("readable scope adds records shared by an allow-read policy", async (store) => {
    const accountId = await seedAccount(store);
    const alice = await seedClient(store, accountId);
    const bob = await seedClient(store, accountId);
    await store.records.insert(newRecord(alice.clientId, { type: "shared" }));
    await store.records.insert(newRecord(alice.clientId, { type: "private" }));
    await store.records.insert(newRecord(bob.clientId, { type: "mine" }));
    const query = {
      callerId: bob.clientId,
      scope: "readable" as const,
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    };
    const key = { writerId: alice.clientId, userId: alice.clientId, readerId: bob.clientId };
    assert.deepEqual((await store.records.query(query)).map((r) => r.type), ["mine"]);
    await store.policies.put(policy({ ...key, type: "shared" }, { canRead: true }));
    await store.policies.put(policy({ ...key, type: "private" }, { canAuthorize: true }));
    assert.deepEqual((await store.records.query(query)).map((r) => r.type), ["shared", "mine"]);
    assert.deepEqual(
      (await store.records.query({ ...query, scope: "own" })).map((r) => r.type),
      ["mine"],
    );
    assert.deepEqual(
      (await store.records.query({ ...query, writerIds: [alice.clientId] })).map((r) => r.type),
      ["shared"],
    );
    await store.policies.put(policy({ ...key, type: "shared" }, { canRead: false }));
    assert.deepEqual((await store.records.query(query)).map((r) => r.type), ["mine"]);
  });

  test("query: without data it returns none; a page stops at its data budget", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const big = "x".repeat(1000);
    for (let n = 0; n < 7; n++) {
      await store.records.insert(newRecord(writer.clientId, {
        plain: { n: String(n) },
        data: { f: big },
      }));
    }
    const base = {
      callerId: writer.clientId,
      scope: "own" as const,
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    };
    const bare = await store.records.query({ ...base, includeData: false, maxDataBytes: 1 });
    assert.equal(bare.length, 7, "without data there is nothing to budget");
    assert.deepEqual(bare.map((r) => r.data), Array(7).fill({}));
    const seen: string[] = [];
    const sizes: number[] = [];
    let afterSeq = 0;
    for (let pages = 1; pages <= 10; pages++) {
      // Each record's data is a little over 1000 bytes: the third passes a 2500-byte budget.
      const page = await store.records.query({ ...base, afterSeq, maxDataBytes: 2500 });
      if (page.length === 0) break;
      for (const row of page) assert.equal(row.data.f, big);
      sizes.push(page.length);
      seen.push(...page.map((r) => r.plain.n!));
      afterSeq = page.at(-1)!.seq;
    }
    assert.deepEqual(sizes, [3, 3, 1]);
    assert.deepEqual(seen, ["0", "1", "2", "3", "4", "5", "6"], "every record exactly once");
    const one = await store.records.query({ ...base, maxDataBytes: 10 });
    assert.equal(one.length, 1, "a page holds at least one record, however large");
  });
}
