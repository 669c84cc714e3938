/** Conformance: clients. */
import assert from "node:assert/strict";
import { id, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";
export function clientConformance(test: StoreTest): void {
  test("creates, finds and lists clients", async (store) => {
    const accountId = await seedAccount(store);
    const client = await seedClient(store, accountId, "alice");
    assert.deepEqual(await store.clients.get(client.clientId), client);
    assert.deepEqual(await store.clients.findByApiKeyId(client.apiKeyId), client);
    assert.equal(await store.clients.get(id()), undefined);
    assert.equal(await store.clients.findByApiKeyId("nope"), undefined);
    await store.clients.markBackedUp(client.clientId, T0 + 7);
    assert.equal((await store.clients.get(client.clientId))?.backedUp, T0 + 7);
    const noSigning = { ...client, clientId: id(), apiKeyId: "other", signingKey: null };
    await store.clients.create({ ...noSigning, signingKeyType: null });
    assert.equal((await store.clients.get(noSigning.clientId))?.signingKey, null);
    assert.equal((await store.clients.list()).length, 2);
    await assert.rejects(() => store.clients.create({ ...client, clientId: id() })); // api key id
  });
}
