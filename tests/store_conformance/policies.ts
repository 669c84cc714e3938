/** Conformance: policies. */
import assert from "node:assert/strict";
import type { PolicyFilter } from "../../lib/store/policies.ts";
import { policy, seedAccount, seedClient, type StoreTest } from "./_fixtures.ts";
export function policyConformance(test: StoreTest): void {
  test("puts, gets, lists policies and removes authorizers", async (store) => {
    const accountId = await seedAccount(store);
    const writer = await seedClient(store, accountId);
    const reader = await seedClient(store, accountId);
    const key = { writerId: writer.clientId, userId: writer.clientId, readerId: reader.clientId };
    await store.policies.put(policy({ ...key, type: "a" }, { canRead: true, canEdit: true }));
    await store.policies.put(policy({ ...key, type: "b" }, { canAuthorize: true }));
    await store.policies.put(policy({ ...key, type: "c" }, { canAuthorize: true, canRead: true }));
    assert.deepEqual(
      await store.policies.get({ ...key, type: "a" }),
      policy({ ...key, type: "a" }, {
        canRead: true,
        canEdit: true,
      }),
    );
    assert.equal(await store.policies.get({ ...key, type: "z" }), undefined);
    const types = async (filter: PolicyFilter) =>
      (await store.policies.list(filter)).map((p) => p.type);
    assert.deepEqual(await types({ writerId: writer.clientId, canRead: true }), ["a", "c"]);
    assert.deepEqual(await types({ readerId: reader.clientId, canAuthorize: true }), ["b", "c"]);
    assert.deepEqual(await types({ readerId: writer.clientId }), []);
    assert.deepEqual(await types({}), ["a", "b", "c"]);
    await store.policies.put(policy({ ...key, type: "a" }, { canRead: false }));
    assert.equal((await store.policies.get({ ...key, type: "a" }))?.canRead, false);
    assert.equal(
      await store.policies.removeAuthorizer(writer.clientId, writer.clientId, reader.clientId),
      2,
    );
    assert.deepEqual(await types({ canAuthorize: true }), []);
    assert.equal((await store.policies.get({ ...key, type: "c" }))?.canRead, true);
  });
}
