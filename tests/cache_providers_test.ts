/**
 * The providers against a real server, both suites (docs/cache.md, "Providers"):
 * `server_cache_ofs` reads the cache first and keeps working for cached reads once the server
 * is gone (writes then fail clearly); `forceRefresh` goes to the server; `ofs` creates users and
 * containers with no server at all; `server` writes nothing under `rootDir`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Arca, ArcaError, IntegrityError, NotFoundError, ValidationError } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";
import { countingFetch, isCached } from "./_cache_helpers.ts";

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): server_cache_ofs reads the cache, then works offline`, async () => {
    const server = await realHttpServer();
    let closed = false;
    try {
      const counter = countingFetch();
      const app = await testApp(server.url, server.registrationToken, suite, {
        fetch: counter.fetch,
      });
      assert.equal(app.settings.provider, "server_cache_ofs");
      const [alice, bob] = await newUsers(app, 2);
      const made = await alice!.containers.create("hello cache", {
        header: { subject: "cached" },
        type: "memo",
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      const before = counter.containerRequests();
      const own = await alice!.containers.get(made.id);
      assert.equal(counter.containerRequests(), before, "the write filled the cache");
      assert.equal(await own.content!.text(), "hello cache");
      assert.deepEqual(own.header, { subject: "cached" });
      assert.equal(own.type, "memo");
      assert.equal(own.version, 1);
      assert.equal(own.createdBy, alice!.userId);

      const first = await bob!.containers.get(made.id);
      assert.equal(counter.containerRequests(), before + 1, "bob's first read goes to the server");
      assert.equal(await first.content!.text(), "hello cache");
      const second = await bob!.containers.get(made.id);
      assert.equal(counter.containerRequests(), before + 1, "bob's second read is cached");
      assert.equal(await second.content!.text(), "hello cache");
      assert.deepEqual((await bob!.containers.get(made.id, { portion: "header" })).header, {
        subject: "cached",
      });
      assert.equal(counter.containerRequests(), before + 1);
      await bob!.containers.get(made.id, { forceRefresh: true });
      assert.equal(counter.containerRequests(), before + 2, "forceRefresh goes to the server");

      // An update through the cache replaces the cached copy.
      const updated = await alice!.containers.update(made.id, { content: "second version" });
      assert.equal(updated.version, 2);
      const reread = await alice!.containers.get(made.id);
      assert.equal(await reread.content!.text(), "second version");
      assert.equal(reread.version, 2);
      const uncached = await alice!.containers.create("never read back", { type: "memo" });
      await alice!.containers.delete(uncached.id);
      assert.equal(await isCached(alice!, uncached.id), false);

      await server.close();
      closed = true;
      const offline = await alice!.containers.get(made.id);
      assert.equal(await offline.content!.text(), "second version");
      assert.equal(await (await bob!.containers.get(made.id)).content!.text(), "hello cache");
      await assert.rejects(alice!.containers.create("offline write"), /Cannot reach/);
      await assert.rejects(
        alice!.containers.update(made.id, { header: { subject: "offline" } }),
        /Cannot reach/,
      );
      await assert.rejects(alice!.containers.get(crypto.randomUUID()), /Cannot reach/);
      // A failed write leaves the cached copy as it was.
      assert.equal(await (await alice!.containers.get(made.id)).content!.text(), "second version");
      await alice!.logout();
      await bob!.logout();
    } finally {
      if (!closed) await server.close();
    }
  });

  Deno.test(`cache (${suite}): ofs keeps users and containers local, no server`, async () => {
    const rootDir = await Deno.makeTempDir({ prefix: "arca-cache-ofs-" });
    const noNetwork: typeof fetch = () => {
      throw new Error("the ofs provider must not use the network");
    };
    const options = {
      serverUrl: "http://127.0.0.1:9",
      rootDir,
      provider: "ofs" as const,
      suite,
      keyFileKdf: CHEAP_KDF,
      fetch: noNetwork,
    };
    try {
      const app = await Arca.initialize("", options);
      const alice = await app.users.create(PASSWORD, "reminder", PASSPHRASE);
      const made = await alice.containers.create("local only", {
        header: { where: "here" },
        type: "note",
      });
      const big = new Uint8Array(300_000).map((_, i) => i % 7);
      const large = await alice.containers.create(big, { type: "blob" });
      assert.equal(made.version, 1);
      assert.equal(made.createdBy, alice.userId);
      const read = await alice.containers.get(made.id);
      assert.equal(await read.content!.text(), "local only");
      assert.deepEqual(read.header, { where: "here" });
      assert.deepEqual(await (await alice.containers.get(large.id)).content!.bytes(), big);
      const changed = await alice.containers.update(made.id, { content: "changed locally" });
      assert.equal(changed.version, 2);
      assert.equal((await alice.containers.update(made.id, { type: "memo" })).version, 2);
      assert.equal(await (await alice.containers.get(made.id)).content!.text(), "changed locally");
      const page = await alice.containers.list({ type: "memo" });
      assert.deepEqual(page.containers.map((c) => c.id), [made.id]);
      assert.equal((await alice.containers.list({ limit: 1 })).next !== null, true);
      await assert.rejects(alice.containers.getEvents(), ValidationError);
      await assert.rejects(alice.containers.get(made.id, { decrypt: false }), ValidationError);
      await assert.rejects(alice.containers.get(crypto.randomUUID()), NotFoundError);
      assert.equal(await alice.keyFile.needsSync(), false);
      assert.match((await alice.keyFile.getChecksum())!, /^[0-9a-f]{64}$/);
      await alice.logout();

      // Another run on this device: the local key file logs the user in.
      const again = await Arca.initialize("", options);
      await assert.rejects(
        again.login(alice.userId, { password: "Wr0ng-password!" }),
        IntegrityError,
      );
      const session = await again.login(alice.userId, { password: PASSWORD });
      assert.equal(
        await (await session.containers.get(made.id)).content!.text(),
        "changed locally",
      );
      await session.containers.delete(large.id);
      await assert.rejects(session.containers.get(large.id), NotFoundError);
      await assert.rejects(session.containers.delete(large.id), NotFoundError);
      await session.changeCredentials("N3w-password!", "new Passphrase 2");
      await session.logout({ purge: true });
      await assert.rejects(again.login(alice.userId, { password: "N3w-password!" }), NotFoundError);
    } finally {
      await Deno.remove(rootDir, { recursive: true });
    }
  });

  Deno.test(`cache (${suite}): the server provider keeps nothing under rootDir`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite, {
        provider: "server",
      });
      const [alice] = await newUsers(app, 1);
      const made = await alice!.containers.create("not kept", { type: "memo" });
      assert.equal(await (await alice!.containers.get(made.id)).content!.text(), "not kept");
      await alice!.containers.getEvents();
      await assert.rejects(
        Deno.stat(join(app.settings.rootDir, "arca", "cache")),
        Deno.errors.NotFound,
      );
      assert.equal(await alice!.keyFile.getChecksum(), null);
      assert.equal(await alice!.keyFile.needsSync(), false);
      await assert.rejects(alice!.keyFile.needsSync(crypto.randomUUID()), ArcaError);
      await alice!.logout();
    } finally {
      await server.close();
    }
  });
}
