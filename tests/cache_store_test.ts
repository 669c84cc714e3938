/**
 * The local encrypted store on its own (docs/cache.md): sealed rows named by a keyed hash, part
 * files, tamper and swap detection, per-user keys, partition names, stats and purge. Both suites.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { deriveCacheKeys, partitionName } from "../lib/crypto/cache_keys.ts";
import type { CryptoSuite } from "../lib/crypto/suite.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { IntegrityError } from "../lib/errors.ts";
import { CacheStore } from "../lib/sdk/cache/cache_store.ts";
import { partitionDir } from "../lib/sdk/cache/partition.ts";

async function openStore(suite: CryptoSuite, root: string, userId = crypto.randomUUID()) {
  const keys = await suite.generateEncryptionKeyPair();
  const signing = await suite.generateSigningKeyPair();
  return await CacheStore.open(root, userId, suite, keys.privateKey, signing.privateKey);
}

function rows(store: CacheStore): { name: Uint8Array; value: Uint8Array }[] {
  const db = new DatabaseSync(join(store.dir, "store.db"));
  try {
    return db.prepare("SELECT name, value FROM entries").all() as {
      name: Uint8Array;
      value: Uint8Array;
    }[];
  } finally {
    db.close();
  }
}

function setValue(store: CacheStore, name: Uint8Array, value: Uint8Array): void {
  const db = new DatabaseSync(join(store.dir, "store.db"));
  try {
    db.prepare("UPDATE entries SET value = ? WHERE name = ?").run(value, name);
  } finally {
    db.close();
  }
}

async function partFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else found.push(path);
    }
  };
  await walk(join(dir, "parts")).catch(() => {});
  return found;
}

Deno.test("cache keys: HKDF labels give distinct keys, fixed per private key", async () => {
  const a = await deriveCacheKeys(new Uint8Array(32).fill(1), undefined);
  const b = await deriveCacheKeys(new Uint8Array(32).fill(1), undefined);
  const c = await deriveCacheKeys(new Uint8Array(32).fill(2), undefined);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.valueKey, c.valueKey);
  assert.equal(new Set([a.valueKey, a.nameKey, a.fileKey].map(String)).size, 3);
  const id = crypto.randomUUID();
  assert.equal(partitionName(id), partitionName(id.toUpperCase()));
  assert.notEqual(partitionName(id), partitionName(crypto.randomUUID()));
});

for (const name of ["Sodium", "NIST"] as const) {
  Deno.test(`cache store (${name}): rows and parts round-trip, sealed and named blindly`, async () => {
    const suite = await getSuite(name);
    const root = await Deno.makeTempDir({ prefix: "arca-cache-store-" });
    const userId = crypto.randomUUID();
    try {
      const store = await openStore(suite, root, userId);
      assert.ok(store.dir.startsWith(partitionDir(root, userId)));
      const big = new Uint8Array(200_000).map((_, i) => i % 251);
      await store.put("container", "c-small", { label: "canary-small" }, new Uint8Array([1, 2]));
      await store.put("container", "c-big", { label: "canary-big" }, big);
      await store.put("cursor", "events", 42, null);
      assert.deepEqual(await store.get("container", "c-small"), {
        value: { label: "canary-small" },
        part: new Uint8Array([1, 2]),
      });
      assert.deepEqual((await store.get("container", "c-big"))?.part, big);
      assert.equal((await store.get("cursor", "events"))?.value, 42);
      assert.equal(await store.get("container", "absent"), undefined);
      assert.deepEqual((await store.list("container")).map((row) => row.id).sort(), [
        "c-big",
        "c-small",
      ]);
      const stats = await store.stats();
      assert.equal(stats.rows, 3);
      assert.equal(stats.containers, 2);
      assert.equal(stats.partFiles, 1);
      assert.ok(stats.bytes > big.length);
      // Replacing a row with a part file removes the old file; deleting removes it too.
      await store.put("container", "c-big", { label: "again" }, big);
      assert.equal((await partFiles(store.dir)).length, 1);
      assert.equal(await store.delete("container", "c-big"), true);
      assert.equal(await store.delete("container", "c-big"), false);
      assert.equal((await partFiles(store.dir)).length, 0);
      store.close();
      // Another user's keys see nothing: its own partition, and these rows would not open.
      const other = await openStore(suite, root);
      assert.notEqual(other.dir, store.dir);
      assert.equal(await other.get("cursor", "events"), undefined);
      other.close();
      // Closed, then used again: it reopens.
      assert.equal((await store.get("cursor", "events"))?.value, 42);
      await store.purge();
      await assert.rejects(Deno.stat(store.dir), Deno.errors.NotFound);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });

  Deno.test(`cache store (${name}): a changed, swapped or foreign row is an IntegrityError`, async () => {
    const suite = await getSuite(name);
    const root = await Deno.makeTempDir({ prefix: "arca-cache-store-" });
    try {
      const store = await openStore(suite, root);
      await store.put("container", "a", { who: "a" }, null);
      await store.put("container", "b", { who: "b" }, null);
      store.close();
      const [first, second] = rows(store);
      // Swapped: each row carries the other's value.
      setValue(store, first!.name, second!.value);
      setValue(store, second!.name, first!.value);
      await assert.rejects(store.get("container", "a"), IntegrityError);
      await assert.rejects(store.get("container", "b"), IntegrityError);
      await assert.rejects(store.list("container"), IntegrityError);
      // Put back, both open; then one flipped bit fails exactly that row.
      setValue(store, first!.name, first!.value);
      setValue(store, second!.name, second!.value);
      assert.deepEqual((await store.get("container", "a"))?.value, { who: "a" });
      assert.deepEqual((await store.get("container", "b"))?.value, { who: "b" });
      const flipped = new Uint8Array(first!.value);
      flipped[flipped.length - 1]! ^= 1;
      setValue(store, first!.name, flipped);
      const results = await Promise.allSettled([
        store.get("container", "a"),
        store.get("container", "b"),
      ]);
      const failed = results.filter((result) => result.status === "rejected");
      assert.equal(failed.length, 1);
      assert.ok((failed[0] as PromiseRejectedResult).reason instanceof IntegrityError);
      // A damaged row can still be deleted (the cache drops it).
      assert.ok(await store.delete("container", "a"));
      assert.ok(await store.delete("container", "b"));
      assert.equal(rows(store).length, 0);
      await store.purge();
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });

  Deno.test(`cache store (${name}): a changed, missing or swapped part file fails`, async () => {
    const suite = await getSuite(name);
    const root = await Deno.makeTempDir({ prefix: "arca-cache-store-" });
    try {
      const store = await openStore(suite, root);
      const part = (fill: number) => new Uint8Array(100_000).fill(fill);
      await store.put("container", "x", {}, part(1));
      await store.put("container", "y", {}, part(2));
      const [one, two] = await partFiles(store.dir);
      const bytesOne = await Deno.readFile(one!);
      const bytesTwo = await Deno.readFile(two!);
      await Deno.writeFile(one!, bytesTwo);
      await Deno.writeFile(two!, bytesOne);
      await assert.rejects(store.get("container", "x"), IntegrityError);
      await assert.rejects(store.get("container", "y"), IntegrityError);
      const changed = new Uint8Array(bytesOne);
      changed[50]! ^= 0x80;
      await Deno.writeFile(one!, changed);
      await Deno.remove(two!);
      const results = await Promise.allSettled([
        store.get("container", "x"),
        store.get("container", "y"),
      ]);
      for (const result of results) {
        assert.equal(result.status, "rejected");
        assert.ok((result as PromiseRejectedResult).reason instanceof IntegrityError);
      }
      await store.purge();
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
