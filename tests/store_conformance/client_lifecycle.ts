/** Conformance: disabling clients and deleting a client's rows from every resource. */
import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import { clause, searchQuery } from "../_search_helpers.ts";
import { id, newRecord, policy, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";

async function twoClients(store: Store): Promise<[string, string]> {
  const accountId = await seedAccount(store);
  return [
    (await seedClient(store, accountId, "alice")).clientId,
    (await seedClient(store, accountId, "bob")).clientId,
  ];
}

/** Client lifecycle; `withSearch` false leaves out the search checks (a backend without search). */
export function clientLifecycleConformance(test: StoreTest, withSearch = true): void {
  test("clients: disable and enable; new clients are enabled", async (store) => {
    const [alice] = await twoClients(store);
    assert.equal((await store.clients.get(alice))?.disabled, false);
    assert.equal(await store.clients.setDisabled(alice, true), true);
    assert.equal((await store.clients.get(alice))?.disabled, true);
    assert.equal((await store.clients.list())[0]?.disabled, true);
    assert.equal(await store.clients.setDisabled(alice, false), true);
    assert.equal((await store.clients.get(alice))?.disabled, false);
    assert.equal(await store.clients.setDisabled(id(), true), false);
  });

  test("clients: delete removes the row and its bearer tokens", async (store) => {
    const [alice, bob] = await twoClients(store);
    await store.bearerTokens.create({ tokenHash: "a1", clientId: alice, expires: T0 + 9 });
    await store.bearerTokens.create({ tokenHash: "a2", clientId: alice, expires: T0 + 9 });
    await store.bearerTokens.create({ tokenHash: "b1", clientId: bob, expires: T0 + 9 });
    assert.equal(await store.bearerTokens.deleteByClient(alice), 2);
    assert.equal(await store.bearerTokens.find("a1"), undefined);
    assert.ok(await store.bearerTokens.find("b1"));
    await store.bearerTokens.create({ tokenHash: "a3", clientId: alice, expires: T0 + 9 });
    assert.equal(await store.clients.delete(alice), true);
    assert.equal(await store.clients.delete(alice), false);
    assert.equal(await store.clients.get(alice), undefined);
    assert.equal(await store.bearerTokens.find("a3"), undefined);
    assert.ok(await store.clients.get(bob));
  });

  test("records: deleteByWriter removes the writer's records and their index rows, in batches", async (store) => {
    const [alice, bob] = await twoClients(store);
    for (let i = 0; i < 5; i++) {
      await store.records.insert(newRecord(alice, { plain: { topic: "tea" }, created: T0 + i }));
    }
    const kept = await store.records.insert(newRecord(bob, { plain: { topic: "tea" } }));
    await store.policies.put(
      policy({ writerId: alice, userId: alice, readerId: bob, type: "contact" }, { canRead: true }),
    );
    const first = await store.records.deleteByWriter(alice, 3);
    assert.equal(first.length, 3);
    assert.ok(first.every((row) => row.writerId === alice));
    assert.equal((await store.records.deleteByWriter(alice, 3)).length, 2);
    assert.deepEqual(await store.records.deleteByWriter(alice, 3), []);
    for (const row of first) assert.equal(await store.records.get(row.recordId), undefined);
    assert.deepEqual(await store.records.get(kept.recordId), kept);
    if (!withSearch) return; // the backend has no search yet (see storeConformance's `skip`)
    const tea = [clause({ tags: [["topic", "tea"]] })];
    const own = await store.search.run(searchQuery(alice, { match: tea }));
    assert.deepEqual([own.records.length, own.total], [0, 0]);
    const shared = await store.search.run(searchQuery(bob, { match: tea }));
    assert.deepEqual(shared.records.map((row) => row.recordId), [kept.recordId]);
    assert.equal(shared.total, 1);
  });

  test("access keys and policies: deleteByClient removes those it writes, reads or authorized", async (store) => {
    const accountId = await seedAccount(store);
    const [alice, bob, carol] = [
      (await seedClient(store, accountId)).clientId,
      (await seedClient(store, accountId)).clientId,
      (await seedClient(store, accountId)).clientId,
    ];
    const key = (writerId: string, readerId: string) => ({
      writerId,
      userId: writerId,
      readerId,
      type: "t",
    });
    const eak = { eak: "ct.nonce", created: T0 };
    await store.accessKeys.put({ ...key(alice, bob), ...eak, authorizerId: alice });
    await store.accessKeys.put({ ...key(bob, alice), ...eak, authorizerId: bob });
    await store.accessKeys.put({ ...key(bob, carol), ...eak, authorizerId: alice });
    await store.accessKeys.put({ ...key(bob, bob), ...eak, authorizerId: bob });
    assert.equal(await store.accessKeys.deleteByClient(alice), 3);
    assert.ok(await store.accessKeys.get(key(bob, bob)));
    assert.equal(await store.accessKeys.get(key(bob, carol)), undefined);

    await store.policies.put(policy(key(alice, bob), { canRead: true }));
    await store.policies.put(policy(key(bob, alice), { canRead: true }));
    await store.policies.put(policy(key(bob, carol), { canRead: true }));
    assert.equal(await store.policies.deleteByClient(alice), 2);
    assert.deepEqual((await store.policies.list({})).map((p) => p.readerId), [carol]);
  });

  test("files: deletePendingByWriter removes the writer's uploads and queues their blobs", async (store) => {
    const [alice, bob] = await twoClients(store);
    const pending = (writerId: string) => {
      const pendingId = id();
      return {
        pendingId,
        writerId,
        userId: writerId,
        type: "t",
        plain: {},
        data: {},
        recSig: null,
        checksum: null,
        compression: "raw",
        size: null,
        blobKey: `blob-${pendingId}`,
        state: "pending" as const,
        created: T0,
        expires: T0 + 9,
      };
    };
    const [a1, a2, b1] = [pending(alice), pending(alice), pending(bob)];
    for (const row of [a1, a2, b1]) await store.files.createPending(row);
    assert.equal(await store.files.deletePendingByWriter(alice), 2);
    assert.equal(await store.files.getPending(a1.pendingId), undefined);
    assert.ok(await store.files.getPending(b1.pendingId));
    assert.deepEqual(
      (await store.files.listBlobDeletions(10)).sort(),
      [a1.blobKey, a2.blobKey].sort(),
    );
  });

  test("identity: deleteByClient removes the identity bound to the client", async (store) => {
    const [alice, bob] = await twoClients(store);
    await store.identity.createRealm({ name: "Acme", domain: "acme", brokerId: id(), created: T0 });
    const identity = (username: string, clientId: string) => ({
      identityId: id(),
      realmDomain: "acme",
      username,
      clientId,
      signingKey: `s-${username}`,
      encryptionKey: `e-${username}`,
      created: T0,
    });
    await store.identity.create(identity("alice", alice));
    await store.identity.create(identity("bob", bob));
    assert.equal(await store.identity.deleteByClient(alice), 1);
    assert.equal(await store.identity.get("acme", "alice"), undefined);
    assert.ok(await store.identity.get("acme", "bob"));
    assert.equal(await store.identity.deleteByClient(alice), 0);
  });
}
