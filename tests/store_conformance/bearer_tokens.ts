/** Conformance: bearer tokens. */
import assert from "node:assert/strict";
import { seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";
export function bearerTokenConformance(test: StoreTest): void {
  test("stores bearer tokens and purges expired ones", async (store) => {
    const client = await seedClient(store, await seedAccount(store));
    await store.bearerTokens.create({ tokenHash: "old", clientId: client.clientId, expires: T0 });
    await store.bearerTokens.create({
      tokenHash: "new",
      clientId: client.clientId,
      expires: T0 + 9,
    });
    assert.deepEqual(await store.bearerTokens.find("new"), {
      tokenHash: "new",
      clientId: client.clientId,
      expires: T0 + 9,
    });
    assert.equal(await store.bearerTokens.deleteExpired(T0), 1);
    assert.equal(await store.bearerTokens.find("old"), undefined);
    assert.ok(await store.bearerTokens.find("new"));
  });
}
