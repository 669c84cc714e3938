/**
 * Conformance: races. Each test runs the same operation many times at once, half of them inside
 * `store.transaction`, and checks that exactly the allowed number win. SQLite settles these with
 * its single writer; a database server with concurrent transactions (PostgreSQL) must settle them
 * in its SQL.
 */
import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import { QuotaExceededError } from "../../lib/store/usage.ts";
import {
  id,
  newNote,
  newRecord,
  pendingFile,
  SECOND,
  seedAccount,
  seedClient,
  type StoreTest,
  T0,
} from "./_fixtures.ts";

/** Opens a pooled backend's connections, so the calls that follow really overlap. */
async function warm(store: Store): Promise<void> {
  await Promise.all(Array.from({ length: 4 }, () => store.transaction((tx) => tx.accounts.list())));
}

/** Runs `op` `n` times at once, every other one inside a transaction; settles them all. */
async function race<T>(
  store: Store,
  n: number,
  op: (store: Store, i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  await warm(store);
  return await Promise.allSettled(
    Array.from(
      { length: n },
      (_, i) => i % 2 === 0 ? op(store, i) : store.transaction((tx) => op(tx, i)),
    ),
  );
}

function fulfilled<T>(results: PromiseSettledResult<T>[]): T[] {
  return results.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
}

export function concurrencyConformance(test: StoreTest): void {
  test("concurrency: a 5-view note is read exactly 5 times by 30 concurrent readers", async (store) => {
    const note = newNote({ maxViews: 5 });
    await store.notes.insert(note);
    const results = await race(store, 30, (s) => s.notes.takeView(note.noteId, T0 + 1));
    const views = fulfilled(results).filter((row) => row !== undefined).map((row) => row!.views);
    assert.deepEqual(views.sort((a, b) => a - b), [1, 2, 3, 4, 5]);
    assert.equal(await store.notes.get({ noteId: note.noteId }, T0 + 1), undefined);
  });

  test("concurrency: a one-time registration token is used once", async (store) => {
    const accountId = await seedAccount(store);
    const token = {
      tokenId: id(),
      tokenHash: "h-race",
      accountId,
      name: "t",
      oneTime: true,
      uses: 0,
      revoked: false,
      created: T0,
    };
    await store.registrationTokens.create(token);
    const results = await race(store, 20, (s) => s.registrationTokens.use(token.tokenId));
    assert.equal(fulfilled(results).filter((used) => used).length, 1);
    assert.equal((await store.registrationTokens.findByHash("h-race"))?.uses, 1);
  });

  test("concurrency: concurrent writes never pass the quota together", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    // Each record stores 2 ({}) + 108 ({"f":"x…"}) = 110 bytes; the quota fits 3 of them.
    const results = await race(
      store,
      12,
      (s) =>
        s.records.insert(newRecord(writer, { data: { f: "x".repeat(100) } }), { quotaBytes: 350 }),
    );
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(fulfilled(results).length, 3);
    for (const r of refused) {
      assert.ok((r as PromiseRejectedResult).reason instanceof QuotaExceededError);
    }
    assert.equal(await store.usage.bytes(writer), 330);
  });

  test("concurrency: concurrent inserts get distinct, increasing seq and timestamps", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const results = await race(store, 20, async (s) => {
      const created = await s.issueTimestamp(T0);
      return await s.records.insert(newRecord(writer, { created, lastModified: created }));
    });
    const rows = fulfilled(results);
    assert.equal(rows.length, 20);
    assert.equal(new Set(rows.map((row) => row.seq)).size, 20);
    assert.equal(new Set(rows.map((row) => row.created)).size, 20);
    const stamps = await Promise.all(Array.from({ length: 20 }, () => store.issueTimestamp(T0)));
    assert.equal(new Set(stamps).size, 20);
    const latest = Math.max(...rows.map((row) => row.created));
    assert.ok(stamps.every((stamp) => stamp > latest));
  });

  test("concurrency: one versioned update wins; the others conflict", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const record = await store.records.insert(newRecord(writer));
    const results = await race(
      store,
      10,
      (s, i) =>
        s.records.update(record.recordId, record.version, {
          plain: { i: String(i) },
          data: {},
          recSig: null,
          lastModified: T0 + 1,
          version: id(),
        }),
    );
    const outcomes = fulfilled(results).map((outcome) => outcome.status).sort();
    assert.deepEqual(outcomes, ["conflict", ...Array(8).fill("conflict"), "ok"].sort());
    const stored = await store.records.get(record.recordId);
    assert.equal(await store.usage.bytes(writer), JSON.stringify(stored!.plain).length + 2);
  });

  test("concurrency: a file URL is used once, an upload starts once", async (store) => {
    const writer = (await seedClient(store, await seedAccount(store))).clientId;
    const used = await race(store, 10, (s) => s.files.useCapability("url-1", T0 + SECOND));
    assert.equal(fulfilled(used).filter((won) => won).length, 1);
    const file = pendingFile(writer);
    await store.files.createPending(file);
    const started = await race(
      store,
      10,
      (s) => s.files.setPendingState(file.pendingId, "pending", "uploading"),
    );
    assert.equal(fulfilled(started).filter((won) => won).length, 1);
  });

  test("concurrency: a note name and an identity username are taken once", async (store) => {
    const named = await race(
      store,
      10,
      (s) => s.notes.insert(newNote({ idString: "shared-name" })),
    );
    assert.equal(fulfilled(named).filter((won) => won).length, 1);
    const client = (await seedClient(store, await seedAccount(store))).clientId;
    await store.identity.createRealm({ name: "R", domain: "r", brokerId: "b", created: T0 });
    const created = await race(store, 10, (s) =>
      s.identity.create({
        identityId: id(),
        realmDomain: "r",
        username: "alice",
        clientId: client,
        signingKey: "s",
        encryptionKey: "e",
        created: T0,
      }));
    assert.equal(fulfilled(created).filter((won) => won).length, 1);
  });

  test("concurrency: a name claim and a named note by another client never both stand", async (store) => {
    const owner = crypto.randomUUID();
    for (let round = 0; round < 5; round++) {
      const name = `claimed-${round}`;
      await Promise.allSettled([
        store.notes.insert(newNote({ idString: name, clientId: crypto.randomUUID() })),
        store.notes.claimName(name, owner),
      ]);
      const note = await store.notes.get({ idString: name }, T0);
      assert.equal(note, undefined, "the claim removes or refuses another client's note");
    }
  });

  test("concurrency: transactions that check, then write, run as if one after the other", async (store) => {
    const accountId = await seedAccount(store);
    const writer = (await seedClient(store, accountId)).clientId;
    const key = { writerId: writer, userId: writer, readerId: writer, type: "contact" };
    // Warm a pooled backend's connections, so the transactions below really overlap.
    await Promise.all(
      Array.from({ length: 4 }, () => store.transaction((tx) => tx.accounts.list())),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction(async (tx) => {
          if (await tx.accessKeys.get(key) !== undefined) return false;
          await new Promise((resolve) => setTimeout(resolve, 50)); // let the others read too
          await tx.accessKeys.put({ ...key, eak: `eak-${i}`, authorizerId: writer, created: T0 });
          return true;
        })),
    );
    const winners = fulfilled(results).filter((won) => won).length;
    assert.equal(winners, 1, "exactly one transaction found the key missing and wrote it");
    assert.equal(fulfilled(results).length, 10, "the others found it written (none failed)");
  });
}
