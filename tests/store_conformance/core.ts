/** Conformance: migrations, timestamps and transactions. */
import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import { id, type StoreTest, T0 } from "./_fixtures.ts";
export function coreConformance(test: StoreTest): void {
  test("is migrated on open", async (store) => {
    assert.ok((await store.schemaVersion()) >= 1);
  });

  test("issues strictly increasing timestamps that never fall behind the clock", async (store) => {
    const a = await store.issueTimestamp(T0);
    const b = await store.issueTimestamp(T0);
    const c = await store.issueTimestamp(T0 - 5_000_000);
    const d = await store.issueTimestamp(T0 + 10_000_000);
    assert.equal(a, T0);
    assert.equal(b, T0 + 1);
    assert.equal(c, T0 + 2);
    assert.equal(d, T0 + 10_000_000);
    await assert.rejects(() => store.issueTimestamp(-1));
    await assert.rejects(() => store.issueTimestamp(1.5));
  });

  test("commits a transaction when it resolves", async (store) => {
    const result = await store.transaction(async (tx) => {
      await tx.accounts.create({ accountId: id(), name: "in-tx", created: T0 });
      return 42;
    });
    assert.equal(result, 42);
    assert.equal((await store.accounts.list()).length, 1);
  });

  test("rolls a transaction back when it throws", async (store) => {
    await assert.rejects(
      () =>
        store.transaction(async (tx) => {
          await tx.accounts.create({ accountId: id(), name: "doomed", created: T0 });
          await tx.issueTimestamp(T0 + 1_000_000);
          throw new Error("boom");
        }),
      /boom/,
    );
    assert.deepEqual(await store.accounts.list(), []);
    assert.equal(await store.issueTimestamp(T0), T0);
  });

  test("fails a transaction whose failed call the function caught", async (store) => {
    const kept = { accountId: id(), name: "kept", created: T0 };
    await store.accounts.create(kept);
    await assert.rejects(() =>
      store.transaction(async (tx) => {
        await tx.accounts.create({ accountId: id(), name: "doomed", created: T0 });
        await tx.accounts.create(kept).catch(() => {/* a duplicate id, swallowed */});
        return "done";
      })
    );
    assert.deepEqual(await store.accounts.list(), [kept]);
  });

  test("keeps other callers out of an open transaction", async (store) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const inside = store.transaction(async (tx) => {
      await tx.accounts.create({ accountId: id(), name: "pending", created: T0 });
      await gate;
      throw new Error("rollback");
    });
    const outside = store.accounts.list();
    release();
    await assert.rejects(() => inside, /rollback/);
    assert.deepEqual(await outside, []);
  });

  test("refuses a transaction store after its transaction ended", async (store) => {
    let escaped: Store | undefined;
    await store.transaction((tx) => {
      escaped = tx;
      return Promise.resolve();
    });
    await assert.rejects(() => escaped!.accounts.list());
  });
}
