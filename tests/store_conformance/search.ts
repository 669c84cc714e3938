/** Conformance: the v2 search, its index maintenance, sharing and the result window. */
import assert from "node:assert/strict";
import { ValidationError } from "../../lib/errors.ts";
import type { SearchQuery } from "../../lib/store/search/search_query.ts";
import type { Store } from "../../lib/store/store.ts";
import { clause, Dice, ids, randomRecord, searchQuery } from "../_search_helpers.ts";
import { policy, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";

interface SearchFixture {
  store: Store;
  /** Three clients of one account. */
  writers: string[];
}

async function searchFixture(store: Store): Promise<SearchFixture> {
  const accountId = await seedAccount(store);
  const writers: string[] = [];
  for (let i = 0; i < 3; i++) writers.push((await seedClient(store, accountId)).clientId);
  return { store, writers };
}

async function grant(
  f: SearchFixture,
  writerId: string,
  readerId: string,
  type: string,
  read: boolean,
) {
  await f.store.policies.put(
    policy({ writerId, userId: writerId, readerId, type }, { canRead: read }),
  );
}

export function searchConformance(test: StoreTest): void {
  test("search: updates and deletes keep the index in step; revocation is immediate", async (store) => {
    const f = await searchFixture(store);
    const [alice, bob] = f.writers as [string, string];
    const dice = new Dice(1);
    const row = await f.store.records.insert({
      ...randomRecord(dice, bob, T0),
      type: "season",
      plain: { name: "summer" },
    });
    const bySummer = (caller: string) =>
      f.store.search.run(searchQuery(caller, {
        includeAllWriters: true,
        match: [clause({ values: ["summer"] })],
      }));
    assert.equal((await bySummer(bob)).total, 1);
    assert.equal((await bySummer(alice)).total, 0); // not shared
    await grant(f, bob, alice, "season", true);
    assert.deepEqual(ids((await bySummer(alice)).records), [row.recordId]);
    await grant(f, bob, alice, "season", false); // revoked
    assert.equal((await bySummer(alice)).total, 0);
    await grant(f, bob, alice, "season", true);
    const updated = await f.store.records.update(row.recordId, row.version, {
      plain: { name: "winter" },
      data: row.data,
      recSig: null,
      lastModified: T0 + 10,
      version: crypto.randomUUID(),
    });
    assert.equal(updated.status, "ok");
    assert.equal((await bySummer(alice)).total, 0);
    const winter = await f.store.search.run(searchQuery(bob, {
      match: [clause({ values: ["winter"] })],
    }));
    assert.equal(winter.total, 1);
    assert.equal(winter.records[0]!.lastModified, T0 + 10);
    const stale = await f.store.records.delete(row.recordId, row.version);
    assert.equal(stale.status, "conflict");
    assert.equal(
      (await f.store.search.run(searchQuery(bob, { match: [clause({ values: ["winter"] })] })))
        .total,
      1,
    );
    if (updated.status !== "ok") throw new Error("unreachable");
    assert.equal((await f.store.records.delete(row.recordId, updated.value.version)).status, "ok");
    assert.equal((await f.store.search.run(searchQuery(bob))).total, 0);
  });

  test("search: a record's index rows commit and roll back with it", async (store) => {
    const f = await searchFixture(store);
    const dice = new Dice(2);
    const writer = f.writers[0]!;
    await assert.rejects(
      f.store.transaction(async (tx) => {
        await tx.records.insert({ ...randomRecord(dice, writer, T0), plain: { name: "ghost" } });
        throw new Error("abort");
      }),
      /abort/,
    );
    const ghost = searchQuery(writer, { match: [clause({ values: ["ghost"] })] });
    assert.equal((await f.store.search.run(ghost)).total, 0);
    await f.store.transaction((tx) =>
      tx.records.insert({ ...randomRecord(dice, writer, T0), plain: { name: "ghost" } })
    );
    assert.equal((await f.store.search.run(ghost)).total, 1);
  });

  test("search: only the first 10,000 results are reachable; the total is capped", async (store) => {
    const f = await searchFixture(store);
    const writer = f.writers[0]!;
    const dice = new Dice(4);
    for (let start = 0; start < 10_020; start += 2_000) {
      await f.store.transaction(async (tx) => {
        for (let i = start; i < Math.min(10_020, start + 2_000); i++) {
          await tx.records.insert({
            ...randomRecord(dice, writer, T0 + i),
            type: "bulk",
            plain: {},
          });
        }
      });
    }
    const all = searchQuery(writer, { match: [clause({ types: ["bulk"] })] });
    const first = await f.store.search.run(all);
    assert.equal(first.total, 10_000);
    assert.equal(first.records.length, 50);
    const last = await f.store.search.run({ ...all, offset: 9_990, limit: 50 });
    assert.equal(last.records.length, 10);
    assert.equal(last.records.at(-1)!.created, T0 + 9_999);
    await assert.rejects(
      f.store.search.run({ ...all, offset: 10_000 }),
      (error: unknown) =>
        error instanceof ValidationError && /first 10000 results/.test(error.message),
    );
  });

  test("search: malformed store queries are ValidationErrors", async (store) => {
    const f = await searchFixture(store);
    const base = searchQuery(f.writers[0]!);
    const bad: Array<[Partial<SearchQuery>, RegExp]> = [
      [{ limit: 0 }, /limit/],
      [{ offset: -1 }, /offset/],
      [{ callerId: "" }, /callerId/],
      [{ match: [clause({ strategy: "REGEXP", values: ["(x"] })] }, /match\[0\]\.values\[0\]/],
      [{ exclude: [clause({ strategy: "REGEXP", tags: [["ok", "[z-a]"]] })] }, /tags\[0\] value/],
      [{ range: { key: "LATER" as "CREATED", after: null, before: null } }, /range key/],
    ];
    for (const [change, message] of bad) {
      await assert.rejects(f.store.search.run({ ...base, ...change }), (error: unknown) => {
        assert.ok(error instanceof ValidationError, String(error));
        assert.match((error as Error).message, message);
        return true;
      });
    }
  });

  test("search: without data it returns none; a page stops at its data budget", async (store) => {
    const f = await searchFixture(store);
    const writer = f.writers[0]!;
    const big = "y".repeat(1000);
    for (let n = 0; n < 5; n++) {
      await store.records.insert({
        recordId: crypto.randomUUID(),
        writerId: writer,
        userId: writer,
        type: "t",
        plain: { n: String(n) },
        data: { f: big },
        recSig: null,
        fileMeta: null,
        created: T0 + n,
        lastModified: T0 + n,
        version: "v",
      });
    }
    const all = searchQuery(writer, { descending: true });
    const bare = await f.store.search.run({ ...all, includeData: false, maxDataBytes: 1 });
    assert.equal(bare.records.length, 5);
    assert.deepEqual(bare.records.map((r) => r.data), Array(5).fill({}));
    const seen: string[] = [];
    const sizes: number[] = [];
    for (let offset = 0, pages = 0; pages < 10; pages++) {
      const page = await f.store.search.run({ ...all, offset, maxDataBytes: 2500 });
      assert.equal(page.total, 5);
      sizes.push(page.records.length);
      seen.push(...page.records.map((r) => r.plain.n!));
      offset += page.records.length;
      if (offset >= page.total) break;
    }
    assert.deepEqual(sizes, [3, 2]);
    assert.deepEqual(seen, ["4", "3", "2", "1", "0"], "every record exactly once, in order");
  });
}
