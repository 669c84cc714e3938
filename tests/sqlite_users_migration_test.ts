/** The users migration on a database that already has clients. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations, SQLITE_MIGRATIONS } from "../lib/store/sqlite/migrations.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";

Deno.test("SQLite migration: an existing client can become a user after the users migration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-migration-" });
  const path = join(dir, "arca.sqlite3");
  try {
    const users = SQLITE_MIGRATIONS.find((m) => m.name.startsWith("users:"))!;
    const db = new DatabaseSync(path);
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < users.version));
    assert.equal(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'key_files'").get()?.n,
      0,
    );
    const clientId = crypto.randomUUID();
    db.exec("INSERT INTO accounts (account_id, name, created) VALUES ('a', 'acme', 1)");
    db.prepare(
      "INSERT INTO clients (client_id, account_id, name, public_key_type, public_key," +
        " api_key_id, api_secret_hash, backup_client_id, created)" +
        " VALUES (?, 'a', 'old', 'curve25519', 'pk', 'k', 'h', ?, 1)",
    ).run(clientId, clientId);
    db.close();

    const store = await openSqliteStore(path, { backgroundCheckpoints: false });
    try {
      assert.equal(await store.schemaVersion(), SQLITE_MIGRATIONS.at(-1)!.version);
      const keyFile = new Uint8Array([0, 1, 2, 255]);
      const header = new Uint8Array(48).fill(9);
      const verifier = new Uint8Array(32).fill(7);
      const row = { clientId, keyFile, checksum: "c", header, verifier, reminder: "", updated: 5 };
      assert.equal(await store.users.save(row), true);
      assert.deepEqual((await store.users.get(clientId))?.keyFile, keyFile);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
