/** Conformance: users' key files and the key file download attempts. */
import assert from "node:assert/strict";
import type { KeyFileWrite } from "../../lib/store/users.ts";
import { id, SECOND, seedAccount, seedClient, type StoreTest, T0 } from "./_fixtures.ts";

function keyFile(clientId: string, fill: number, overrides: Partial<KeyFileWrite> = {}) {
  const bytes = new Uint8Array(200).fill(fill);
  bytes[0] = 0; // a zero byte, so a backend that stores text would break it
  return {
    clientId,
    keyFile: bytes,
    checksum: `checksum-${fill}`,
    header: bytes.slice(0, 48),
    verifier: new Uint8Array(32).fill(fill + 1),
    reminder: `reminder ${fill}`,
    updated: T0 + fill,
    ...overrides,
  };
}

export function userConformance(test: StoreTest): void {
  test("users: the first save creates, later ones replace and keep created and counters", async (store) => {
    const alice = (await seedClient(store, await seedAccount(store))).clientId;
    assert.equal(await store.users.get(alice), undefined);
    assert.equal(await store.users.save(keyFile(alice, 1)), true);
    assert.deepEqual(await store.users.get(alice), {
      ...keyFile(alice, 1),
      created: T0 + 1,
      downloads: 0,
      failedDownloads: 0,
    });
    await store.users.countDownload(alice, true);
    await store.users.countDownload(alice, false);
    await store.users.countDownload(alice, false);
    assert.equal(await store.users.save(keyFile(alice, 7)), false);
    assert.deepEqual(await store.users.get(alice), {
      ...keyFile(alice, 7),
      created: T0 + 1,
      downloads: 1,
      failedDownloads: 2,
    });
  });

  test("users: counting a download of a missing key file changes nothing", async (store) => {
    const alice = (await seedClient(store, await seedAccount(store))).clientId;
    await store.users.countDownload(id(), true);
    await store.users.countDownload(alice, false);
    assert.equal(await store.users.get(alice), undefined);
  });

  test("users: delete removes only that key file; deleting the client removes it too", async (store) => {
    const accountId = await seedAccount(store);
    const alice = (await seedClient(store, accountId, "alice")).clientId;
    const bob = (await seedClient(store, accountId, "bob")).clientId;
    const carol = (await seedClient(store, accountId, "carol")).clientId;
    for (const [i, user] of [alice, bob, carol].entries()) {
      await store.users.save(keyFile(user, i));
    }
    assert.equal(await store.users.delete(alice), true);
    assert.equal(await store.users.delete(alice), false);
    assert.equal(await store.users.get(alice), undefined);
    assert.equal((await store.users.get(bob))?.reminder, "reminder 1");
    // A client's key file never outlives the client.
    assert.equal(await store.clients.delete(carol), true);
    assert.equal(await store.users.get(carol), undefined);
  });

  test("users: a key file needs a registered client", async (store) => {
    await assert.rejects(store.users.save(keyFile(id(), 1)));
  });

  test("users: attempts are counted per user and per address, newest first, in a window", async (store) => {
    const [alice, bob] = [id(), id()]; // attempts name any id, registered or not
    await store.users.addAttempt({ userId: alice, address: "10.0.0.1", time: T0 });
    await store.users.addAttempt({ userId: alice, address: "10.0.0.2", time: T0 + SECOND });
    await store.users.addAttempt({ userId: bob, address: "10.0.0.1", time: T0 + 2 * SECOND });
    await store.users.addAttempt({ userId: alice, address: "10.0.0.1", time: T0 + 3 * SECOND });
    const times = (...seconds: number[]) => seconds.map((s) => T0 + s * SECOND);
    assert.deepEqual(await store.users.recentAttempts({ userId: alice }, 0, 10), times(3, 1, 0));
    assert.deepEqual(await store.users.recentAttempts({ userId: alice }, 0, 2), times(3, 1));
    assert.deepEqual(await store.users.recentAttempts({ userId: alice }, T0, 10), times(3, 1));
    assert.deepEqual(
      await store.users.recentAttempts({ address: "10.0.0.1" }, 0, 10),
      times(3, 2, 0),
    );
    assert.deepEqual(await store.users.recentAttempts({ address: "10.0.0.9" }, 0, 10), []);
    assert.deepEqual(await store.users.recentAttempts({ userId: bob }, T0 + 2 * SECOND, 10), []);
  });

  test("users: old attempts are deleted before a time, newer ones kept", async (store) => {
    const user = id();
    for (const second of [0, 1, 2]) {
      await store.users.addAttempt({ userId: user, address: "a", time: T0 + second * SECOND });
    }
    assert.equal(await store.users.deleteAttemptsBefore(T0 + 2 * SECOND), 2);
    assert.deepEqual(await store.users.recentAttempts({ userId: user }, 0, 10), [T0 + 2 * SECOND]);
    assert.equal(await store.users.deleteAttemptsBefore(T0), 0);
  });

  test("users: a failed transaction leaves neither key file nor attempt behind", async (store) => {
    const alice = (await seedClient(store, await seedAccount(store))).clientId;
    await assert.rejects(store.transaction(async (tx) => {
      await tx.users.save(keyFile(alice, 1));
      await tx.users.addAttempt({ userId: alice, address: "a", time: T0 });
      throw new Error("abort");
    }));
    assert.equal(await store.users.get(alice), undefined);
    assert.deepEqual(await store.users.recentAttempts({ userId: alice }, 0, 10), []);
  });
}
