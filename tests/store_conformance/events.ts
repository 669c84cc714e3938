/** Conformance: container events (append, filtered pages, prune). */
import assert from "node:assert/strict";
import type { NewEventRow } from "../../lib/store/events.ts";
import { id, SECOND, type StoreTest, T0 } from "./_fixtures.ts";

function event(userId: string, overrides: Partial<NewEventRow> = {}): NewEventRow {
  return {
    userId,
    action: "added",
    type: "container",
    date: T0,
    containerId: id(),
    containerType: "memo",
    containerModified: T0,
    containerExpired: null,
    relatedUserId: userId,
    appName: "app",
    changes: '{"version":1}',
    ...overrides,
  };
}

export function eventConformance(test: StoreTest): void {
  test("events: ids strictly increase, each user reads only its own, every field kept", async (store) => {
    const [alice, bob] = [id(), id()];
    const first = event(alice, { containerExpired: T0 + 5, appName: null, changes: null });
    await store.events.append([first, event(bob)]);
    await store.events.append([event(alice, { action: "updated", type: "key_file" })]);
    const page = await store.events.list({ userId: alice, after: 0, limit: 10 });
    assert.equal(page.length, 2);
    assert.ok(page[0]!.eventId > 0 && page[1]!.eventId > page[0]!.eventId);
    assert.deepEqual({ ...page[0] }, { ...first, eventId: page[0]!.eventId });
    const bobs = await store.events.list({ userId: bob, after: 0, limit: 10 });
    assert.equal(bobs.length, 1);
    assert.ok(bobs[0]!.eventId > page[0]!.eventId && bobs[0]!.eventId < page[1]!.eventId);
  });

  test("events: after, limit and every filter", async (store) => {
    const user = id();
    const containerId = id();
    await store.events.append([
      event(user, { containerId }),
      event(user, { action: "updated", containerId }),
      event(user, { containerType: "other" }),
      event(user, { type: "key_file", containerId: null, containerType: null }),
      event(user, { action: "deleted" }),
    ]);
    const all = await store.events.list({ userId: user, after: 0, limit: 100 });
    assert.equal(all.length, 5);
    const ids = all.map((row) => row.eventId);
    const list = async (filter: Record<string, unknown>) =>
      (await store.events.list({ userId: user, after: 0, limit: 100, ...filter }))
        .map((row) => row.eventId);
    assert.deepEqual(await list({ after: ids[1] }), ids.slice(2));
    assert.deepEqual(await list({ limit: 2 }), ids.slice(0, 2));
    assert.deepEqual(await list({ containerId }), ids.slice(0, 2));
    assert.deepEqual(await list({ action: "updated" }), [ids[1]]);
    assert.deepEqual(await list({ type: "key_file" }), [ids[3]]);
    assert.deepEqual(await list({ containerType: "other" }), [ids[2]]);
    assert.deepEqual(await list({ containerType: "memo", action: "deleted" }), [ids[4]]);
  });

  test("events: deleteBefore prunes by date, deleteByUser by recipient; ids are never reused", async (store) => {
    const [alice, bob] = [id(), id()];
    await store.events.append([event(alice, { date: T0 }), event(alice, { date: T0 + SECOND })]);
    await store.events.append([event(bob)]);
    const before = await store.events.list({ userId: alice, after: 0, limit: 10 });
    assert.equal(await store.events.deleteBefore(T0 + SECOND), 2);
    assert.deepEqual(
      (await store.events.list({ userId: alice, after: 0, limit: 10 })).map((e) => e.eventId),
      [before[1]!.eventId],
    );
    assert.equal(await store.events.deleteByUser(alice), 1);
    assert.equal(await store.events.deleteByUser(alice), 0);
    await store.events.append([event(alice, { date: T0 + 2 * SECOND })]);
    const [again] = await store.events.list({ userId: alice, after: 0, limit: 10 });
    assert.ok(again!.eventId > before[1]!.eventId);
  });

  test("events: an append in a rolled-back transaction leaves nothing", async (store) => {
    const user = id();
    await assert.rejects(store.transaction(async (tx) => {
      await tx.events.append([event(user)]);
      throw new Error("rolled back");
    }));
    assert.deepEqual(await store.events.list({ userId: user, after: 0, limit: 10 }), []);
  });
}
