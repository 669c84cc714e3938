/**
 * Tampering with the local cache, both suites (docs/cache.md, "Tampering"): a modified row or
 * part file is dropped and fetched again with `server_cache_ofs`, and an `IntegrityError` with
 * `ofs`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Arca, IntegrityError } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { partitionDir } from "../lib/sdk/cache/partition.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";
import { countingFetch, filesUnder } from "./_cache_helpers.ts";

/** Flips one bit of every row's value in a partition's database. */
function damageRows(dir: string): void {
  const db = new DatabaseSync(join(dir, "store.db"));
  try {
    const rows = db.prepare("SELECT name, value FROM entries").all() as {
      name: Uint8Array;
      value: Uint8Array;
    }[];
    for (const row of rows) {
      const value = new Uint8Array(row.value);
      value[value.length >> 1]! ^= 0x01;
      db.prepare("UPDATE entries SET value = ? WHERE name = ?").run(value, row.name);
    }
  } finally {
    db.close();
  }
}

/** Flips one bit of every part file in a partition. */
async function damageParts(dir: string): Promise<number> {
  const parts = await filesUnder(join(dir, "parts"));
  for (const { path, bytes } of parts) {
    bytes[bytes.length >> 1]! ^= 0x01;
    await Deno.writeFile(path, bytes);
  }
  return parts.length;
}

const BIG = new Uint8Array(150_000).map((_, i) => (i * 31) % 256);

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): server_cache_ofs drops a damaged copy and refetches`, async () => {
    const server = await realHttpServer();
    try {
      const counter = countingFetch();
      const app = await testApp(server.url, server.registrationToken, suite, {
        fetch: counter.fetch,
      });
      const [alice] = await newUsers(app, 1);
      const small = await alice!.containers.create("small and sound", { header: { n: 1 } });
      const large = await alice!.containers.create(BIG);
      const dir = partitionDir(app.settings.rootDir, alice!.userId);
      await alice!.logout(); // Closes the database so the test can edit it.
      const session = await app.login(alice!.userId, { password: PASSWORD });

      assert.equal(await damageParts(dir), 1);
      let before = counter.containerRequests();
      assert.deepEqual(await (await session.containers.get(large.id)).content!.bytes(), BIG);
      assert.ok(counter.containerRequests() > before, "the damaged part was fetched again");
      before = counter.containerRequests();
      assert.deepEqual(await (await session.containers.get(large.id)).content!.bytes(), BIG);
      assert.equal(counter.containerRequests(), before, "and cached again");
      await session.logout();

      damageRows(dir);
      const again = await app.login(alice!.userId, { password: PASSWORD });
      before = counter.containerRequests();
      const read = await again.containers.get(small.id);
      assert.equal(await read.content!.text(), "small and sound");
      assert.deepEqual(read.header, { n: 1 });
      assert.equal(counter.containerRequests(), before + 1);
      await again.containers.get(small.id);
      assert.equal(counter.containerRequests(), before + 1);
      await again.logout();
    } finally {
      await server.close();
    }
  });

  Deno.test(`cache (${suite}): ofs reports a damaged copy as an IntegrityError`, async () => {
    const rootDir = await Deno.makeTempDir({ prefix: "arca-cache-tamper-" });
    try {
      const app = await Arca.initialize("", {
        rootDir,
        provider: "ofs",
        suite,
        keyFileKdf: CHEAP_KDF,
      });
      const alice = await app.users.create(PASSWORD, "reminder", PASSPHRASE);
      const small = await alice.containers.create("small");
      const large = await alice.containers.create(BIG);
      const dir = partitionDir(rootDir, alice.userId);
      await alice.logout();
      assert.equal(await damageParts(dir), 1);
      const session = await app.login(alice.userId, { password: PASSWORD });
      await assert.rejects(session.containers.get(large.id), IntegrityError);
      assert.equal(await (await session.containers.get(small.id)).content!.text(), "small");
      await session.logout();
      damageRows(dir);
      const again = await app.login(alice.userId, { password: PASSWORD });
      await assert.rejects(again.containers.get(small.id), IntegrityError);
      await assert.rejects(again.containers.list(), IntegrityError);
      // The key file is sealed under the password: a damaged one refuses the login.
      await again.logout();
      const keyFile = join(dir, "key-file");
      const bytes = await Deno.readFile(keyFile);
      bytes[100]! ^= 0x01; // Inside the sealed body (after the 48-byte header and the nonce).
      await Deno.writeFile(keyFile, bytes);
      await assert.rejects(app.login(alice.userId, { password: PASSWORD }), IntegrityError);
    } finally {
      await Deno.remove(rootDir, { recursive: true });
    }
  });
}
