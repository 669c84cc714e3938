/** Conformance: access keys. */
import assert from "node:assert/strict";
import { seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";
export function accessKeyConformance(test: StoreTest): void {
  test("puts, replaces, gets and deletes access keys", async (store) => {
    const accountId = await seedAccount(store);
    const writer = await seedClient(store, accountId);
    const reader = await seedClient(store, accountId);
    const authorizer = await seedClient(store, accountId);
    const key = {
      writerId: writer.clientId,
      userId: writer.clientId,
      readerId: reader.clientId,
      type: "t",
    };
    assert.equal(await store.accessKeys.get(key), undefined);
    await store.accessKeys.put({ ...key, eak: "a.b", authorizerId: writer.clientId, created: T0 });
    await store.accessKeys.put({
      ...key,
      eak: "c.d",
      authorizerId: authorizer.clientId,
      created: 1,
    });
    assert.deepEqual(await store.accessKeys.get(key), {
      ...key,
      eak: "c.d",
      authorizerId: authorizer.clientId,
      created: 1,
    });
    assert.equal(await store.accessKeys.get({ ...key, type: "other" }), undefined);
    assert.equal(await store.accessKeys.delete(key), true);
    assert.equal(await store.accessKeys.delete(key), false);
    assert.equal(await store.accessKeys.get(key), undefined);
  });
}
