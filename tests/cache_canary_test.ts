/**
 * The canary, both suites (docs/cache.md, "What is on disk"): known plaintext, headers, types,
 * container ids and user ids go through every provider that writes locally, and not one of
 * them appears in any byte of any file under `rootDir` (database, its journal, part files, key
 * files), while the sessions are open and after they close.
 */
import assert from "node:assert/strict";
import { Arca } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";
import { containsBytes, filesUnder } from "./_cache_helpers.ts";

function forms(id: string): string[] {
  return [id, id.toUpperCase(), id.replaceAll("-", ""), id.replaceAll("-", "").toUpperCase()];
}

async function assertNoCanary(rootDir: string, canaries: string[]): Promise<void> {
  const files = await filesUnder(rootDir);
  assert.ok(files.some((file) => file.path.endsWith("store.db")), "a database was written");
  assert.ok(files.some((file) => file.path.endsWith("key-file")), "a key file was written");
  assert.ok(files.some((file) => file.path.includes("/parts/")), "a part file was written");
  const encoder = new TextEncoder();
  for (const canary of canaries) {
    const needle = encoder.encode(canary);
    for (const file of files) {
      assert.ok(!file.path.includes(canary), `${file.path} names ${canary}`);
      assert.ok(!containsBytes(file.bytes, needle), `${file.path} holds ${canary}`);
    }
  }
}

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): no plaintext, id or type anywhere under rootDir`, async () => {
    const server = await realHttpServer();
    const tag = crypto.randomUUID().slice(0, 8);
    const plaintext = `CANARY-PLAINTEXT-${tag}`;
    const headerText = `CANARY-HEADER-${tag}`;
    const type = `canary-type-${tag}`;
    const largeText = `CANARY-LARGE-${tag}-`.repeat(8000); // Over 64 KiB: a part file.
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob] = await newUsers(app, 2);
      const access = { [alice!.userId]: { permissions: 127 }, [bob!.userId]: { permissions: 127 } };
      const small = await alice!.containers.create(plaintext, {
        header: { secret: headerText },
        type,
        access,
      });
      const large = await alice!.containers.create(largeText, { type, access });
      await bob!.containers.getEvents();
      await bob!.containers.get(small.id);
      await bob!.containers.get(large.id);
      await alice!.containers.getEvents();
      await alice!.containers.update(small.id, { header: { secret: headerText, again: true } });

      const offline = await Arca.initialize("", {
        rootDir: app.settings.rootDir,
        provider: "ofs",
        suite,
        keyFileKdf: CHEAP_KDF,
      });
      const carol = await offline.users.create(PASSWORD, "reminder", PASSPHRASE);
      const local = await carol.containers.create(plaintext, {
        header: { secret: headerText },
        type,
      });

      const canaries = [
        plaintext,
        headerText,
        type,
        `CANARY-LARGE-${tag}`,
        ...[alice!.userId, bob!.userId, carol.userId].flatMap(forms),
        ...[small.id, large.id, local.id].flatMap(forms),
      ];
      await assertNoCanary(app.settings.rootDir, canaries);
      for (const session of [alice!, bob!, carol]) await session.logout();
      await assertNoCanary(app.settings.rootDir, canaries);
    } finally {
      await server.close();
    }
  });
}

Deno.test("cache canary: the scan finds a planted canary (the check can fail)", async () => {
  const root = await Deno.makeTempDir({ prefix: "arca-cache-canary-" });
  try {
    const bytes = new Uint8Array(5000).fill(0x43); // "CCCC...": near misses everywhere.
    bytes.set(new TextEncoder().encode("CANARY-PLANTED"), 4000);
    await Deno.mkdir(`${root}/parts`);
    await Deno.writeFile(`${root}/store.db`, new Uint8Array(10));
    await Deno.writeFile(`${root}/key-file`, new Uint8Array(10));
    await Deno.writeFile(`${root}/parts/x`, bytes);
    await assertNoCanary(root, ["CANARY-ABSENT"]);
    await assert.rejects(assertNoCanary(root, ["CANARY-PLANTED"]), /holds CANARY-PLANTED/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
