/** Conformance: accounts. */
import assert from "node:assert/strict";
import { id, seedAccount, type StoreTest, T0 } from "./_fixtures.ts";
export function accountConformance(test: StoreTest): void {
  test("creates, gets and lists accounts", async (store) => {
    assert.deepEqual(await store.accounts.list(), []);
    const accountId = await seedAccount(store);
    assert.deepEqual(await store.accounts.get(accountId), { accountId, name: "acct", created: T0 });
    assert.equal(await store.accounts.get(id()), undefined);
    assert.equal((await store.accounts.list()).length, 1);
  });
}
