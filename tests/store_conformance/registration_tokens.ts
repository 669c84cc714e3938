/** Conformance: registration tokens. */
import assert from "node:assert/strict";
import { id, seedAccount, type StoreTest, T0 } from "./_fixtures.ts";
export function registrationTokenConformance(test: StoreTest): void {
  test("one-time registration tokens are usable once, reusable ones always", async (store) => {
    const accountId = await seedAccount(store);
    const base = { accountId, name: "t", uses: 0, revoked: false, created: T0 };
    const once = { ...base, tokenId: id(), tokenHash: "h-once", oneTime: true };
    const many = { ...base, tokenId: id(), tokenHash: "h-many", oneTime: false };
    await store.registrationTokens.create(once);
    await store.registrationTokens.create(many);
    assert.deepEqual(await store.registrationTokens.findByHash("h-once"), once);
    assert.equal(await store.registrationTokens.findByHash("h-none"), undefined);
    assert.equal(await store.registrationTokens.use(once.tokenId), true);
    assert.equal(await store.registrationTokens.use(once.tokenId), false);
    for (let i = 0; i < 3; i++) {
      assert.equal(await store.registrationTokens.use(many.tokenId), true);
    }
    assert.equal((await store.registrationTokens.findByHash("h-many"))?.uses, 3);
    assert.equal(await store.registrationTokens.revoke(many.tokenId), true);
    assert.equal(await store.registrationTokens.use(many.tokenId), false);
    assert.equal((await store.registrationTokens.findByHash("h-many"))?.revoked, true);
    assert.equal(await store.registrationTokens.revoke(id()), false);
    assert.equal(await store.registrationTokens.use(id()), false);
    assert.equal((await store.registrationTokens.list()).length, 2);
  });

  test("rejects a duplicate registration token hash", async (store) => {
    const accountId = await seedAccount(store);
    const token = {
      tokenId: id(),
      tokenHash: "dup",
      accountId,
      name: "",
      oneTime: true,
      uses: 0,
      revoked: false,
      created: T0,
    };
    await store.registrationTokens.create(token);
    await assert.rejects(() => store.registrationTokens.create({ ...token, tokenId: id() }));
  });
}
