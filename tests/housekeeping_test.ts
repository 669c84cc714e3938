/** One round of housekeeping removes what has expired, and only that (issue 10, #11). */
import assert from "node:assert/strict";
import { seedAccount, seedClient } from "./store_conformance/_fixtures.ts";
import { runHousekeeping, startHousekeeping } from "../lib/server/_housekeeping.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";

Deno.test("housekeeping: expired bearer tokens go, live ones stay; no file sweep without blobs", async () => {
  const store = await openSqliteStore(":memory:");
  try {
    const { clientId } = await seedClient(store, await seedAccount(store));
    await store.bearerTokens.create({ tokenHash: "old", clientId, expires: 100 });
    await store.bearerTokens.create({ tokenHash: "new", clientId, expires: 300 });
    const result = await runHousekeeping({ store, blobs: undefined, clock: () => 200 });
    assert.deepEqual(result, {
      files: undefined,
      bearerTokens: 1,
      notes: 0,
      identity: 0,
      keyFileAttempts: 0,
      replayNonces: 0,
      loginFailures: 0,
      containers: { expiredUploads: 0, expiredAccess: 0, prunedEvents: 0 },
    });
    assert.equal(await store.bearerTokens.find("old"), undefined);
    assert.ok(await store.bearerTokens.find("new"));

    // Started, it runs a round at once.
    await store.bearerTokens.create({ tokenHash: "older", clientId, expires: 150 });
    const housekeeper = startHousekeeping({ store, blobs: undefined, clock: () => 200 }, 3600);
    await housekeeper.stop();
    assert.equal(await store.bearerTokens.find("older"), undefined);
    assert.throws(() => startHousekeeping({ store, blobs: undefined, clock: () => 1 }, 0));
  } finally {
    await store.close();
  }
});
