/**
 * Container events over real HTTP: each action's rows for the right users, filters, paging,
 * the key_file event, and the SSE stream (resume with Last-Event-ID without loss or duplicates,
 * one user's stream never carries another's events, heartbeats, the per-client limit).
 */
import assert from "node:assert/strict";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { assertError, call, registerClient, type TestClient } from "./_server_helpers.ts";
import { craftKeyFile, proofPair, putKeyFile } from "./_user_helpers.ts";
import {
  CONTAINERS,
  createInline,
  entry,
  EVENTS,
  eventsOf,
  getContainer,
} from "./_container_helpers.ts";

const ALL = 127;

type Event = Record<string, unknown>;

/** The frames of an SSE response, one at a time. */
class SseReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  constructor(response: Response) {
    this.#reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }
  /** The next frame's lines (comments included), or undefined at the end. */
  async next(): Promise<string[] | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return frame.split("\n");
      }
      const { value, done } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += value;
    }
  }
  /** The next `count` events (skipping comments). */
  async events(count: number): Promise<Event[]> {
    const events: Event[] = [];
    while (events.length < count) {
      const lines = await this.next();
      if (lines === undefined) throw new Error("stream ended");
      const data = lines.find((line) => line.startsWith("data: "));
      if (data === undefined) continue;
      const id = lines.find((line) => line.startsWith("id: "))!.slice(4);
      assert.ok(lines.includes("event: arca"));
      const event = JSON.parse(data.slice(6));
      assert.equal(String(event.event_id), id);
      events.push(event);
    }
    return events;
  }
  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

function openStream(url: string, client: TestClient, headers: Record<string, string> = {}) {
  return fetch(`${url}${EVENTS}/stream`, {
    headers: { authorization: `Bearer ${client.token}`, ...headers },
  });
}

Deno.test("events: create, read, update, revoke and delete write rows for the right users", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const carol = await registerClient(server, "carol");
    const headers = { "arca-app-name": "event-tests" };
    const created = await call(server, "POST", CONTAINERS, {
      token: alice.token,
      headers,
      body: {
        container_id: crypto.randomUUID(),
        type: "memo",
        length: 1,
        content: "AAAA",
        access: [entry(alice, alice, ALL), entry(alice, bob, 11), entry(alice, carol, 11 | 64)],
      },
    });
    const id = created.json.container_id;
    for (const user of [alice, bob, carol]) {
      const events = await eventsOf(server, user);
      assert.deepEqual(events.map((e) => e.action), ["added"]);
      assert.equal(events[0]!.container_id, id);
      assert.equal(events[0]!.related_user_id, alice.clientId);
      assert.equal(events[0]!.client_app_name, "event-tests");
      assert.equal(events[0]!.type, "container");
      assert.equal(events[0]!.container_modified_at, created.json.modified_at);
    }
    // The type goes only to those with container.type.view.
    assert.equal((await eventsOf(server, bob))[0]!.container_type, null);
    assert.equal((await eventsOf(server, carol))[0]!.container_type, "memo");
    // A read: accessed for the reader and the creator.
    await getContainer(server, bob, id);
    assert.deepEqual((await eventsOf(server, bob)).map((e) => e.action), ["added", "accessed"]);
    assert.deepEqual((await eventsOf(server, alice)).map((e) => e.action), ["added", "accessed"]);
    assert.deepEqual((await eventsOf(server, carol)).map((e) => e.action), ["added"]);
    // Revoke carol, change bob: deleted for carol, updated for the others.
    await call(server, "PATCH", `${CONTAINERS}/${id}`, {
      token: alice.token,
      body: { access: [entry(alice, alice, ALL), entry(alice, bob, 3)] },
    });
    const carols = await eventsOf(server, carol);
    assert.equal(carols.at(-1)!.action, "deleted");
    assert.deepEqual((carols.at(-1)!.changes as { fields: string[] }).fields, ["access"]);
    const bobs = await eventsOf(server, bob);
    assert.equal(bobs.at(-1)!.action, "updated");
    assert.equal((bobs.at(-1)!.changes as { permissions: number }).permissions, 3);
    // Bob deletes his access: deleted for bob, updated for alice.
    await call(server, "DELETE", `${CONTAINERS}/${id}`, { token: bob.token });
    assert.equal((await eventsOf(server, bob)).at(-1)!.action, "deleted");
    assert.equal((await eventsOf(server, alice)).at(-1)!.action, "updated");
    // The last access: deleted, with no modification time (the container is gone).
    await call(server, "DELETE", `${CONTAINERS}/${id}`, { token: alice.token });
    const last = (await eventsOf(server, alice)).at(-1)!;
    assert.equal(last.action, "deleted");
    assert.equal(last.container_modified_at, null);
    // Carol's events never mention what happened after her access ended.
    assert.equal((await eventsOf(server, carol)).length, carols.length);
  } finally {
    await server.close();
  }
});

Deno.test("events: filters, paging with after and last_event_id, ids strictly increasing", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const { id: first } = await createInline(server, alice, [entry(alice, alice, ALL)], {
      type: "a",
    });
    const { id: second } = await createInline(server, alice, [entry(alice, alice, ALL)], {
      type: "b",
    });
    await getContainer(server, alice, first);
    const all = await eventsOf(server, alice);
    assert.equal(all.length, 3);
    const ids = all.map((e) => e.event_id as number);
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!);
    assert.deepEqual(
      (await eventsOf(server, alice, `?container_id=${second}`)).map((e) => e.event_id),
      [ids[1]],
    );
    assert.deepEqual((await eventsOf(server, alice, "?action=accessed")).map((e) => e.event_id), [
      ids[2],
    ]);
    assert.deepEqual((await eventsOf(server, alice, "?container_type=a")).map((e) => e.event_id), [
      ids[0],
      ids[2],
    ]);
    assert.deepEqual(await eventsOf(server, alice, "?type=key_file"), []);
    const page = await call(server, "GET", `${EVENTS}?limit=2`, { token: alice.token });
    assert.equal(page.json.events.length, 2);
    assert.equal(page.json.last_event_id, ids[1]);
    const rest = await call(server, "GET", `${EVENTS}?after=${page.json.last_event_id}`, {
      token: alice.token,
    });
    assert.deepEqual(rest.json.events.map((e: Event) => e.event_id), [ids[2]]);
    const empty = await call(server, "GET", `${EVENTS}?after=${ids[2]}`, { token: alice.token });
    assert.deepEqual(empty.json, { events: [], last_event_id: ids[2] });
    for (
      const [query, message] of [
        ["?after=-1", /after must be an integer/],
        ["?after=x", /after must be an integer/],
        ["?limit=0", /limit must be an integer from 1 to 1000/],
        ["?limit=1001", /limit/],
        ["?type=file", /type must be one of container, key_file/],
        ["?action=read", /action must be one of accessed, added, deleted, updated/],
        ["?container_id=nope", /container_id must be a UUID/],
      ] as const
    ) {
      assertError(
        await call(server, "GET", `${EVENTS}${query}`, { token: alice.token }),
        400,
        message,
      );
    }
    assertError(await call(server, "GET", EVENTS), 401);
  } finally {
    await server.close();
  }
});

Deno.test("events: replacing a key file writes a key_file event for that user only", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const { verifier } = await proofPair();
    assert.equal((await putKeyFile(server, alice, craftKeyFile(), verifier, "r")).status, 201);
    assert.deepEqual(await eventsOf(server, alice), []); // the first upload is no change
    assert.equal((await putKeyFile(server, alice, craftKeyFile(), verifier)).status, 200);
    const events = await eventsOf(server, alice, "?type=key_file");
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, "updated");
    assert.equal(events[0]!.container_id, null);
    assert.deepEqual(await eventsOf(server, bob), []);
  } finally {
    await server.close();
  }
});

Deno.test("events: the stream delivers live events, resumes after Last-Event-ID without loss or duplicates, and is per user", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const bobStream = new SseReader(await openStream(server.url, bob));
    const aliceStream = new SseReader(await openStream(server.url, alice));
    const { id } = await createInline(server, alice, [entry(alice, alice, ALL)]);
    const [aliceFirst] = await aliceStream.events(1);
    assert.equal(aliceFirst!.container_id, id);
    const { id: shared } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 11),
    ]);
    const [bobFirst] = await bobStream.events(1);
    assert.equal(bobFirst!.container_id, shared); // never alice's own container
    await aliceStream.close();
    // While alice is away: three more events for her.
    await getContainer(server, alice, id);
    await getContainer(server, alice, shared);
    await call(server, "PATCH", `${CONTAINERS}/${id}`, { token: alice.token, body: { type: "t" } });
    const resumed = new SseReader(
      await openStream(server.url, alice, { "last-event-id": String(aliceFirst!.event_id) }),
    );
    const missed = await resumed.events(4);
    const expected = (await eventsOf(server, alice, `?after=${aliceFirst!.event_id}`))
      .map((e) => e.event_id);
    assert.deepEqual(missed.map((e) => e.event_id), expected);
    assert.equal(new Set(expected).size, 4);
    await resumed.close();
    // ?after= works the same for clients that cannot set headers.
    const byQuery = new SseReader(
      await fetch(`${server.url}${EVENTS}/stream?after=${expected[2]}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      }),
    );
    assert.deepEqual((await byQuery.events(1)).map((e) => e.event_id), [expected[3]]);
    await byQuery.close();
    // Filters apply to the stream too; bob's stream saw only his events.
    const bobAll = await eventsOf(server, bob);
    const bobLive = await bobStream.events(bobAll.length - 1);
    assert.deepEqual([bobFirst!, ...bobLive].map((e) => e.event_id), bobAll.map((e) => e.event_id));
    await bobStream.close();
  } finally {
    await server.close();
  }
});

Deno.test("events: at most ARCA_EVENT_STREAMS_PER_CLIENT streams per client (429); heartbeats", async () => {
  const server = await realHttpServer({ eventStreamsPerClient: 2, eventHeartbeatSeconds: 1 });
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const first = new SseReader(await openStream(server.url, alice));
    const second = new SseReader(await openStream(server.url, alice));
    const third = await openStream(server.url, alice);
    assert.equal(third.status, 429);
    assert.match((await third.json()).error, /at most 2 \(ARCA_EVENT_STREAMS_PER_CLIENT\)/);
    const other = await openStream(server.url, bob); // another client has its own budget
    assert.equal(other.status, 200);
    await other.body?.cancel();
    assert.deepEqual(await first.next(), [": connected"]);
    assert.deepEqual(await first.next(), [": heartbeat"]);
    await first.close();
    let reopened: Response | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      reopened = await openStream(server.url, alice);
      if (reopened.status === 200) break;
      await reopened.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(reopened!.status, 200);
    await reopened!.body?.cancel();
    await second.close();
    const badResume = await openStream(server.url, alice, { "last-event-id": "x" });
    assert.equal(badResume.status, 400);
    assert.match((await badResume.json()).error, /Last-Event-ID or after must be an integer/);
  } finally {
    await server.close();
  }
});

Deno.test("events: a stream sees events it was not notified of (another instance) within its poll", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const stream = new SseReader(await openStream(server.url, alice));
    assert.deepEqual(await stream.next(), [": connected"]);
    // Appended straight to the store, as another instance sharing the database would: no
    // notification reaches this instance's streams.
    const started = Date.now();
    await server.store.events.append([{
      userId: alice.clientId,
      action: "updated",
      type: "key_file",
      date: server.clock.now,
      containerId: null,
      containerType: null,
      containerModified: null,
      containerExpired: null,
      relatedUserId: alice.clientId,
      appName: null,
      changes: null,
    }]);
    const [event] = await stream.events(1);
    assert.equal(event!.type, "key_file");
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    await stream.close();
  } finally {
    await server.close();
  }
});

Deno.test("events: the stream and container settings come from the environment", () => {
  const options = serverOptionsFromEnv(
    new Map([
      ["ARCA_CONTAINER_INLINE_BYTES", "2048"],
      ["ARCA_EVENT_STREAMS_PER_CLIENT", "7"],
      ["ARCA_EVENT_HEARTBEAT_SECONDS", "5"],
      ["ARCA_EVENT_RETENTION_DAYS", "30"],
    ]),
  );
  assert.equal(options.containerInlineBytes, 2048);
  assert.equal(options.eventStreamsPerClient, 7);
  assert.equal(options.eventHeartbeatSeconds, 5);
  assert.equal(options.eventRetentionDays, 30);
  for (
    const [name, value] of [
      ["ARCA_CONTAINER_INLINE_BYTES", "10"],
      ["ARCA_EVENT_STREAMS_PER_CLIENT", "0"],
      ["ARCA_EVENT_HEARTBEAT_SECONDS", "x"],
      ["ARCA_EVENT_RETENTION_DAYS", "0"],
    ]
  ) {
    assert.throws(() => serverOptionsFromEnv(new Map([[name!, value!]])), new RegExp(name!));
  }
});

Deno.test("events: shutting the server down ends open streams instead of waiting on them", async () => {
  const server = await realHttpServer();
  const alice = await registerClient(server, "alice");
  const stream = new SseReader(await openStream(server.url, alice));
  assert.deepEqual(await stream.next(), [": connected"]);
  const ended = stream.next();
  await server.close(); // would hang on the open stream
  assert.equal(await ended, undefined);
});
