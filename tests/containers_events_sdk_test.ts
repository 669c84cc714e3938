/**
 * Container events through the SDK, over real HTTP: `getEvents` with its cursor under rootDir
 * (filters, startingEventId, a new session continuing, the "server" provider in memory),
 * `events.subscribe` in order, resumed without duplicates after a dropped connection, and the
 * module-level shape.
 */
import assert from "node:assert/strict";
import {
  ArcaError,
  type ContainerEvent,
  containers,
  events,
  initialize,
  login,
  logout,
} from "../mod.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSWORD, testApp } from "./_containers_helpers.ts";

/** A fetch whose first event stream drops right after its first event. */
function droppingStreamFetch(): { fetch: typeof fetch; streams: () => number } {
  let streams = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes("/v1/arca/events/stream")) return response;
    streams++;
    if (streams > 1) return response;
    const reader = response.body!.getReader();
    let text = "";
    let done = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (done) {
          await reader.cancel();
          return controller.error(new TypeError("connection reset"));
        }
        const chunk = await reader.read();
        if (chunk.done) return controller.close();
        text += new TextDecoder().decode(chunk.value);
        const end = text.indexOf("\n\n", text.indexOf("event: arca"));
        if (text.includes("event: arca") && end >= 0) {
          controller.enqueue(new TextEncoder().encode(text.slice(0, end + 2)));
          done = true;
        }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: wrapped, streams: () => streams };
}

Deno.test("events: getEvents pages through what is new since the last call", async (t) => {
  const server = await realHttpServer();
  try {
    const app = await testApp(server.url, server.registrationToken, "Sodium", {
      provider: "server_cache_ofs",
    });
    const [alice, bob] = await newUsers(app, 2);
    const made = await alice!.containers.create("hi", {
      type: "memo",
      access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
    });
    const first = await alice!.containers.getEvents();

    await t.step(
      "the first call returns the events so far, ascending, then nothing new",
      async () => {
        const added = first.filter((event) => event.containerId === made.id);
        assert.ok(added.some((event) => event.action === "added"));
        const ids = first.map((event) => event.eventId);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
        assert.deepEqual(await alice!.containers.getEvents(), []);
        const cursor = await alice!.cache.read(alice!.userId); // Sealed in the local cache.
        assert.equal(cursor, ids.at(-1));
      },
    );

    await t.step("a change gives only the new events", async () => {
      await alice!.containers.update(made.id, { type: "note" });
      const next = await alice!.containers.getEvents();
      assert.ok(next.length >= 1);
      assert.ok(next.every((event) => event.eventId > first.at(-1)!.eventId));
      assert.ok(next.some((event) => event.action === "updated" && event.containerId === made.id));
      assert.equal(next[0]!.clientAppName, "containers-test");
    });

    await t.step("startingEventId is inclusive and does not move the cursor back", async () => {
      const all = await alice!.containers.getEvents({ startingEventId: 0 });
      assert.deepEqual(all.slice(0, first.length), first);
      assert.ok(all.length >= 2);
      const from = await alice!.containers.getEvents({ startingEventId: all[1]!.eventId });
      assert.deepEqual(from, all.slice(1));
      assert.deepEqual(await alice!.containers.getEvents(), []);
    });

    await t.step("filters: action, container id, type", async () => {
      const added = await alice!.containers.getEvents({ startingEventId: 0, action: "added" });
      assert.ok(added.length > 0 && added.every((event) => event.action === "added"));
      const other = await alice!.containers.create("other");
      const one = await alice!.containers.getEvents({ startingEventId: 0, containerId: other.id });
      assert.ok(one.length > 0 && one.every((event) => event.containerId === other.id));
      const keyFile = await alice!.containers.getEvents({ startingEventId: 0, type: "key_file" });
      assert.ok(keyFile.every((event) => event.type === "key_file"));
    });

    await t.step("each user sees only its own events", async () => {
      const bobs = await bob!.containers.getEvents();
      const other = (await alice!.containers.list()).containers.map((c) => c.id);
      assert.ok(bobs.some((event) => event.containerId === made.id));
      const foreign = other.filter((id) => id !== made.id);
      assert.ok(bobs.every((event) => !foreign.includes(event.containerId ?? "")));
    });

    await t.step("a new session of the same user continues from the cursor", async () => {
      const again = await app.login(alice!.userId, { password: PASSWORD });
      assert.deepEqual(await again.containers.getEvents(), []);
      await alice!.containers.update(made.id, { type: "memo" });
      assert.equal((await again.containers.getEvents()).length > 0, true);
      assert.deepEqual(await alice!.containers.getEvents(), []);
    });

    await t.step('the "server" provider keeps the cursor in memory only', async () => {
      const remote = await testApp(server.url, server.registrationToken, "Sodium", {
        provider: "server",
      });
      const session = remote.resume(bob!.client.config);
      assert.ok((await session.containers.getEvents({ startingEventId: 0 })).length > 0);
      assert.deepEqual(await session.containers.getEvents(), []);
      const files = [...Deno.readDirSync(remote.settings.rootDir)];
      assert.deepEqual(files, []);
    });
  } finally {
    await server.close();
  }
});

Deno.test("events: subscribe gets events in order and resumes without duplicates", async () => {
  const server = await realHttpServer();
  try {
    const dropping = droppingStreamFetch();
    const app = await testApp(server.url, server.registrationToken, "Sodium");
    const [alice, bob] = await newUsers(app, 2);
    const bobApp = await testApp(server.url, server.registrationToken, "Sodium", {
      fetch: dropping.fetch,
    });
    const bobs = bobApp.resume(bob!.client.config);
    const made = await alice!.containers.create("one", {
      type: "memo",
      access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
    });
    // Bob has read his events so far: the subscription starts after them.
    assert.ok((await bobs.containers.getEvents()).some((event) => event.action === "added"));
    const subscription = bobs.events.subscribe({ containerId: made.id });
    await subscription.ready;
    const received: ContainerEvent[] = [];
    const reading = (async () => {
      for await (const event of subscription) {
        received.push(event);
        if (received.length === 4) break;
      }
    })();
    for (const type of ["a", "b", "c", "d"]) {
      await alice!.containers.update(made.id, { type });
    }
    await reading;
    assert.equal(dropping.streams(), 2, "the stream was dropped once and reopened");
    const ids = received.map((event) => event.eventId);
    assert.deepEqual(ids, [...new Set(ids)].sort((a, b) => a - b));
    for (const event of received) {
      assert.deepEqual((event.changes as { fields: string[] }).fields, ["type"]);
    }
    assert.ok(received.every((event) => event.action === "updated"));
    assert.equal(subscription.closed, true);

    // From a known id: the missed events come first, then nothing twice.
    const resumed = bobs.events.subscribe({ containerId: made.id, startingEventId: ids[2]! });
    const again: number[] = [];
    for await (const event of resumed) {
      again.push(event.eventId);
      if (again.length === 2) resumed.close();
    }
    assert.deepEqual(again, ids.slice(2));
  } finally {
    await server.close();
  }
});

Deno.test("events and containers at module level act on the logged-in user", async () => {
  const server = await realHttpServer();
  try {
    const app = await testApp(server.url, server.registrationToken, "Sodium");
    const [alice] = await newUsers(app, 1);
    await initialize("", { ...app.settings, keyFileKdf: app.settings.keyFileKdf });
    assert.throws(() => containers.list(), ArcaError);
    assert.throws(() => events.subscribe(), /login/);
    await login(alice!.userId, { password: PASSWORD });
    const made = await containers.create("module level", { header: { a: 1 } });
    assert.equal(await (await containers.get(made.id)).content!.text(), "module level");
    const sealed = await containers.get(made.id, { decrypt: false });
    assert.ok(sealed.sealed!.header instanceof Uint8Array);
    await sealed.decrypt((await containers.keys(sealed))!);
    assert.deepEqual(sealed.header, { a: 1 });
    const subscription = events.subscribe({ containerId: made.id, startingEventId: 0 });
    for await (const event of subscription) {
      assert.equal(event.action, "added");
      break;
    }
    assert.ok((await containers.getEvents({ containerId: made.id })).length > 0);
    await containers.delete(made.id);
  } finally {
    logout();
    await server.close();
  }
});
