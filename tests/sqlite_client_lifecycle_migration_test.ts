/** The client-lifecycle migration on a database that already has clients. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations, SQLITE_MIGRATIONS } from "../lib/store/sqlite/migrations.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";

Deno.test("SQLite migration: existing clients come out enabled and can then be disabled", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-migration-" });
  const path = join(dir, "arca.sqlite3");
  try {
    const lifecycle = SQLITE_MIGRATIONS.find((m) => m.name.startsWith("client lifecycle"))!;
    const db = new DatabaseSync(path);
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < lifecycle.version));
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
      assert.equal((await store.clients.get(clientId))?.disabled, false);
      assert.equal(await store.clients.setDisabled(clientId, true), true);
      assert.equal((await store.clients.get(clientId))?.disabled, true);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
