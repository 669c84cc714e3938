import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SQLITE_MIGRATIONS } from "../lib/store/sqlite/migrations.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { storeConformance } from "./store_conformance.ts";

const tempRoot = await Deno.makeTempDir({ prefix: "arca-sqlite-test-" });
let fileCounter = 0;

function freshPath(): string {
  fileCounter++;
  return join(tempRoot, `store-${fileCounter}.sqlite3`);
}

storeConformance("SQLite", () => openSqliteStore(freshPath()));

Deno.test("SQLite store: keeps data across reopen and does not re-run migrations", async () => {
  const path = freshPath();
  const first = await openSqliteStore(path);
  await first.accounts.create({ accountId: "a", name: "kept", created: 1 });
  assert.equal(await first.issueTimestamp(5_000_000), 5_000_000);
  await first.close();
  const second = await openSqliteStore(path);
  try {
    assert.deepEqual(await second.accounts.list(), [{ accountId: "a", name: "kept", created: 1 }]);
    assert.equal(await second.schemaVersion(), SQLITE_MIGRATIONS.at(-1)!.version);
    assert.equal(await second.issueTimestamp(1), 5_000_001);
  } finally {
    await second.close();
  }
});

Deno.test("SQLite store: uses WAL and enforces foreign keys", async () => {
  const path = freshPath();
  const store = await openSqliteStore(path);
  try {
    await assert.rejects(() =>
      store.clients.create({
        clientId: "c",
        accountId: "no-such-account",
        name: "",
        publicKeyType: "curve25519",
        publicKey: "",
        signingKeyType: null,
        signingKey: null,
        apiKeyId: "k",
        apiSecretHash: "h",
        backupClientId: "c",
        backedUp: null,
        created: 0,
      })
    );
  } finally {
    await store.close();
  }
  const raw = new DatabaseSync(path);
  try {
    const row = raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    assert.equal(row.journal_mode, "wal");
  } finally {
    raw.close();
  }
});

Deno.test("SQLite store: applies new migrations in order, once", async () => {
  const path = freshPath();
  const extra = [...SQLITE_MIGRATIONS, {
    version: 999,
    name: "test table",
    sql: "CREATE TABLE extra (x INTEGER) STRICT;",
  }];
  await (await openSqliteStore(path)).close();
  const store = await openSqliteStore(path, { migrations: extra });
  assert.equal(await store.schemaVersion(), 999);
  await store.close();
  const again = await openSqliteStore(path, { migrations: extra });
  assert.equal(await again.schemaVersion(), 999);
  await again.close();
});

Deno.test("SQLite store: a failing migration leaves the schema untouched", async () => {
  const path = freshPath();
  const broken = [...SQLITE_MIGRATIONS, { version: 500, name: "bad", sql: "CREATE TABLE (" }];
  await assert.rejects(() => openSqliteStore(path, { migrations: broken }));
  const store = await openSqliteStore(path);
  try {
    assert.equal(await store.schemaVersion(), SQLITE_MIGRATIONS.at(-1)!.version);
  } finally {
    await store.close();
  }
});

Deno.test("SQLite store: rejects an empty path and use after close", async () => {
  await assert.rejects(() => openSqliteStore(""), /non-empty/);
  const store = await openSqliteStore(":memory:");
  await store.close();
  await assert.rejects(() => store.accounts.list(), /closed/);
  await store.close(); // closing twice is harmless
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(tempRoot, { recursive: true });
  } catch {
    // best effort
  }
});
