/**
 * Forgetting what was revoked (docs/cache.md, "Forgetting"), both suites: a revocation seen by
 * polling (`getEvents`) or on the live stream purges the cached copy at once; a cached copy
 * whose access expired (an injected clock) is never served, even offline; `logout({ purge })`
 * erases the partition.
 */
import assert from "node:assert/strict";
import { NotFoundError } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { partitionDir } from "../lib/sdk/cache/partition.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";
import { isCached, MovableClock } from "./_cache_helpers.ts";

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): a revocation seen by polling purges the copy`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob] = await newUsers(app, 2);
      const made = await alice!.containers.create("for bob, for now", {
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      await bob!.containers.getEvents(); // The "added" event: before the copy is made.
      await bob!.containers.get(made.id);
      assert.equal(await isCached(bob!, made.id), true);
      await alice!.containers.update(made.id, { access: [alice!.userId] });
      // Until bob hears of it, his copy is all he has (docs/cache.md says so).
      assert.equal(await isCached(bob!, made.id), true);
      const events = await bob!.containers.getEvents();
      assert.ok(events.some((event) => event.containerId === made.id));
      assert.equal(await isCached(bob!, made.id), false);
      await assert.rejects(bob!.containers.get(made.id), NotFoundError);
      // An access refused by the server drops a copy too.
      const again = await alice!.containers.create("again", {
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      await bob!.containers.get(again.id);
      await alice!.containers.update(again.id, { access: [alice!.userId] });
      await assert.rejects(bob!.containers.get(again.id, { forceRefresh: true }), NotFoundError);
      assert.equal(await isCached(bob!, again.id), false);
    } finally {
      await server.close();
    }
  });

  Deno.test(`cache (${suite}): a revocation on the live stream purges the copy`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob] = await newUsers(app, 2);
      const made = await alice!.containers.create("streamed away", {
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      await bob!.containers.get(made.id);
      assert.equal(await isCached(bob!, made.id), true);
      const subscription = bob!.events.subscribe({ containerId: made.id });
      await subscription.ready;
      await alice!.containers.update(made.id, { access: [alice!.userId] });
      for await (const event of subscription) {
        if (event.action === "accessed") continue;
        // The copy is gone before the event is given out.
        assert.equal(await isCached(bob!, made.id), false);
        break;
      }
      await assert.rejects(bob!.containers.get(made.id), NotFoundError);
    } finally {
      await server.close();
    }
  });

  Deno.test(`cache (${suite}): an expired access is never served, even offline`, async () => {
    const server = await realHttpServer();
    let closed = false;
    try {
      const clock = new MovableClock(server.clock.now / 1000);
      const app = await testApp(server.url, server.registrationToken, suite, { now: clock.now });
      const [alice, bob] = await newUsers(app, 2);
      const hour = 3_600_000;
      const expiring = await alice!.containers.create("an hour only", {
        access: {
          [alice!.userId]: { permissions: 127 },
          [bob!.userId]: { expiration: new Date(clock.ms + hour) },
        },
      });
      const online = await alice!.containers.create("expires online", {
        access: {
          [alice!.userId]: { permissions: 127 },
          [bob!.userId]: { expiration: new Date(clock.ms + 2 * hour) },
        },
      });
      await bob!.containers.get(expiring.id);
      await bob!.containers.get(online.id);
      assert.equal(await isCached(bob!, expiring.id), true);
      clock.ms += hour / 2;
      assert.equal(await (await bob!.containers.get(expiring.id)).content!.text(), "an hour only");

      // Past the expiry on bob's clock, with the server still up but its clock behind: the copy
      // is purged, and the server (whose clock has not moved) is asked again.
      clock.ms += 2 * hour;
      server.clock.advanceSeconds(3 * 3600);
      await assert.rejects(bob!.containers.get(online.id), NotFoundError);
      assert.equal(await isCached(bob!, online.id), false);

      await server.close();
      closed = true;
      await assert.rejects(bob!.containers.get(expiring.id), /Cannot reach/);
      assert.equal(await isCached(bob!, expiring.id), false);
      // The creator's own access never expires: alice still reads offline.
      assert.equal(
        await (await alice!.containers.get(expiring.id)).content!.text(),
        "an hour only",
      );
    } finally {
      if (!closed) await server.close();
    }
  });

  Deno.test(`cache (${suite}): logout({ purge: true }) erases the partition`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice] = await newUsers(app, 1);
      const made = await alice!.containers.create("forget me");
      const dir = partitionDir(app.settings.rootDir, alice!.userId);
      assert.ok((await Deno.stat(dir)).isDirectory);
      await alice!.logout({ purge: true });
      assert.equal(alice!.isLoggedIn, false);
      await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
      await assert.rejects(app.login(alice!.userId, { password: PASSWORD }), NotFoundError);
      const back = await app.login(alice!.userId, { password: PASSWORD, passphrase: PASSPHRASE });
      assert.equal(await isCached(back, made.id), false);
      assert.equal(await (await back.containers.get(made.id)).content!.text(), "forget me");
      await back.logout();
    } finally {
      await server.close();
    }
  });
}
