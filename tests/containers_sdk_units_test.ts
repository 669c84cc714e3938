/**
 * Units of the containers SDK that need no server: the event stream parser and the
 * subscription's reconnection (Last-Event-ID, no duplicates, close), the events cursor file,
 * the access option forms, event filters, and the content length check.
 */
import assert from "node:assert/strict";
import { ForbiddenError, IntegrityError, Permissions, ValidationError } from "../mod.ts";
import { Access } from "../lib/protocol/access.ts";
import {
  EventSubscription,
  parseServerSentEvents,
} from "../lib/sdk/containers/event_subscription.ts";
import {
  eventsCursorPath,
  readEventsCursor,
  writeEventsCursor,
} from "../lib/sdk/containers/events_cursor.ts";
import { accessGrants } from "../lib/sdk/containers/_access_input.ts";
import { eventQuery, readEvent, startingEventId } from "../lib/sdk/containers/_event_wire.ts";
import { streamedContent } from "../lib/sdk/containers/_content.ts";

function eventJson(id: number) {
  return {
    event_id: id,
    action: "updated",
    type: "container",
    date: id * 1000,
    container_id: null,
    container_type: null,
    container_modified_at: null,
    container_expired_at: null,
    related_user_id: null,
    client_app_name: null,
    changes: null,
  };
}

function frame(id: number): string {
  return `id: ${id}\nevent: arca\ndata: ${JSON.stringify(eventJson(id))}\n\n`;
}

/** A body that sends `text` and then fails as a dropped connection does. */
function droppingBody(text: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new TypeError("connection reset"));
      sent = true;
      controller.enqueue(new TextEncoder().encode(text));
    },
  }, { highWaterMark: 0 });
}

Deno.test("SSE parser: comments, CRLF, multi-line data, events without data", async () => {
  const text = ": heartbeat\r\n\r\nid: 1\r\nevent: arca\r\ndata: a\r\ndata: b\r\n\r\n" +
    "event: empty\n\n" + "data:c\n\n";
  const events = await Array.fromAsync(parseServerSentEvents(new Blob([text]).stream()));
  assert.deepEqual(events, [
    { id: "1", event: "arca", data: "a\nb" },
    { id: undefined, event: "message", data: "c" },
  ]);
});

Deno.test("subscription: a dropped stream is resumed with Last-Event-ID, without duplicates", async () => {
  const asked: (number | undefined)[] = [];
  const subscription = new EventSubscription((lastEventId) => {
    asked.push(lastEventId);
    // The first connection drops after two events; the second (wrongly) repeats event 2.
    const body = asked.length === 1
      ? droppingBody(frame(1) + frame(2))
      : new Blob([": heartbeat\n\n" + frame(2) + frame(3) + frame(4)]).stream();
    return Promise.resolve(new Response(body));
  }, { retryMs: 1 });
  await subscription.ready;
  const seen: number[] = [];
  for await (const event of subscription) {
    seen.push(event.eventId);
    if (event.eventId === 4) break;
  }
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.deepEqual(asked, [undefined, 2]);
  assert.equal(subscription.closed, true);
  assert.equal(subscription.lastEventId, 4);
});

Deno.test("subscription: resumes after the given event id; close() ends the iteration", async () => {
  const asked: (number | undefined)[] = [];
  const subscription = new EventSubscription((lastEventId, signal) => {
    asked.push(lastEventId);
    // Never ends until aborted, like a live stream.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(frame(8)));
        signal.addEventListener("abort", () => controller.error(signal.reason));
      },
    });
    return Promise.resolve(new Response(body));
  }, { after: 7 });
  const seen: number[] = [];
  for await (const event of subscription) {
    seen.push(event.eventId);
    subscription.close();
  }
  assert.deepEqual(seen, [8]);
  assert.deepEqual(asked, [7]);
});

Deno.test("subscription: a refusal (4xx) is thrown, not retried", async () => {
  let calls = 0;
  const subscription = new EventSubscription(() => {
    calls++;
    return Promise.reject(new ForbiddenError("too many event streams", { status: 429 }));
  }, { retryMs: 1 });
  await assert.rejects(subscription.ready, /too many/);
  await assert.rejects(async () => {
    for await (const _ of subscription) { /* nothing comes */ }
  }, /too many/);
  assert.equal(calls, 1);
});

Deno.test("subscription: a network failure is retried with back-off", async () => {
  let calls = 0;
  const subscription = new EventSubscription(() => {
    calls++;
    if (calls < 3) return Promise.reject(new TypeError("connection refused"));
    return Promise.resolve(new Response(frame(5)));
  }, { retryMs: 1 });
  for await (const event of subscription) {
    assert.equal(event.eventId, 5);
    break;
  }
  assert.equal(calls, 3);
});

Deno.test("events cursor: path under rootDir, missing or damaged reads 0, written atomically", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const id = crypto.randomUUID();
    assert.equal(eventsCursorPath(dir, id), `${dir}/arca/users/${id}.events-cursor`);
    assert.equal(await readEventsCursor(dir, id), 0);
    await writeEventsCursor(dir, id, 12);
    assert.equal(await Deno.readTextFile(eventsCursorPath(dir, id)), "12\n");
    assert.equal(await readEventsCursor(dir, id), 12);
    await Deno.writeTextFile(eventsCursorPath(dir, id), "garbage");
    assert.equal(await readEventsCursor(dir, id), 0);
    assert.throws(() => eventsCursorPath(dir, "../../etc"), ValidationError);
    const left = [...Deno.readDirSync(`${dir}/arca/users`)].map((entry) => entry.name);
    assert.deepEqual(left, [`${id}.events-cursor`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("access option: ids, maps, Map, Access values; bad ones refused", () => {
  const a = crypto.randomUUID();
  const b = crypto.randomUUID();
  assert.deepEqual(accessGrants([a]), [{ userId: a, permissions: 11, expiration: null }]);
  const at = new Date("2030-01-01T00:00:00Z");
  assert.deepEqual(accessGrants({ [a]: { permissions: new Permissions(3), expiration: at } }), [
    { userId: a, permissions: 3, expiration: at.getTime() * 1000 },
  ]);
  assert.deepEqual(accessGrants(new Map([[b, { permissions: 1 }]])), [
    { userId: b, permissions: 1, expiration: null },
  ]);
  const access = new Access(a, { permissions: Permissions.creatorDefault(), expiration: 5 });
  assert.deepEqual(accessGrants([access]), [{ userId: a, permissions: 127, expiration: 5 }]);
  assert.throws(() => accessGrants([]), /at least one/);
  assert.throws(() => accessGrants([a, a.toUpperCase()]), /twice/);
  assert.throws(() => accessGrants(["nobody"]), /UUID/);
  assert.throws(() => accessGrants({ [a]: { permissions: 128 } }), ValidationError);
  assert.throws(() => accessGrants("x" as never), ValidationError);
});

Deno.test("event filters: query parameters, startingEventId inclusive, bad values refused", () => {
  const id = crypto.randomUUID();
  const query = eventQuery({
    type: "container",
    containerType: "memo",
    containerId: id,
    action: "deleted",
  });
  assert.equal(
    query.toString(),
    `type=container&container_type=memo&container_id=${id}&action=deleted`,
  );
  assert.equal(startingEventId({ startingEventId: 1 }), 0);
  assert.equal(startingEventId({ startingEventId: 50 }), 49);
  assert.throws(() => eventQuery({ startingEventId: -1 }), /startingEventId/);
  assert.throws(() => eventQuery({ type: "record" as never }), /type/);
  assert.throws(() => eventQuery({ containerId: "x" }), /UUID/);
  assert.throws(() => readEvent({ ...eventJson(1), event_id: 0 }), /event_id/);
  assert.throws(() => readEvent({ ...eventJson(1), action: "eaten" }), /action/);
});

Deno.test("streamed content: a stream longer or shorter than its length is an IntegrityError", async () => {
  const short = streamedContent(5, () => Promise.resolve(new Blob(["abc"]).stream()));
  await assert.rejects(short.bytes(), IntegrityError);
  const long = streamedContent(2, () => Promise.resolve(new Blob(["abc"]).stream()));
  await assert.rejects(long.text(), IntegrityError);
  const right = streamedContent(3, () => Promise.resolve(new Blob(['"x"']).stream()));
  assert.equal(await right.json(), "x");
});
