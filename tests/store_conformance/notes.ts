/** Conformance: one-way encrypted notes. */
import assert from "node:assert/strict";
import { newNote as note, SECOND, type StoreTest, T0 } from "./_fixtures.ts";
export function noteConformance(test: StoreTest): void {
  test("notes round trip every field", async (store) => {
    const row = note({
      idString: "n",
      clientId: crypto.randomUUID(),
      eacp: { tozid_eacp: { realm_name: "A" } },
      expiration: T0 + SECOND,
      maxViews: 4,
      views: 1,
    });
    assert.equal(await store.notes.insert(row), true);
    assert.deepEqual(await store.notes.get({ noteId: row.noteId }, T0), row);
    assert.deepEqual(await store.notes.get({ idString: "n" }, T0), row);
    assert.equal(await store.notes.get({ idString: "other" }, T0), undefined);
  });

  test("note names are unique among live notes; expired names are reusable", async (store) => {
    assert.equal(await store.notes.insert(note({ idString: "x", expiration: T0 + SECOND })), true);
    assert.equal(await store.notes.insert(note({ idString: "x" })), false);
    assert.equal(await store.notes.insert(note({ idString: null })), true);
    assert.equal(await store.notes.insert(note({ idString: null })), true);
    const later = note({ idString: "x", created: T0 + SECOND });
    assert.equal(await store.notes.insert(later), true);
    assert.equal((await store.notes.get({ idString: "x" }, T0 + SECOND))?.noteId, later.noteId);
  });

  test("takeNoteView counts and burns at max_views", async (store) => {
    const row = note({ maxViews: 2 });
    await store.notes.insert(row);
    assert.equal((await store.notes.takeView(row.noteId, T0))?.views, 1);
    assert.equal((await store.notes.get({ noteId: row.noteId }, T0))?.views, 1);
    assert.equal((await store.notes.takeView(row.noteId, T0))?.views, 2);
    assert.equal(await store.notes.get({ noteId: row.noteId }, T0), undefined);
    assert.equal(await store.notes.takeView(row.noteId, T0), undefined);
    const open = note({ maxViews: -1 });
    await store.notes.insert(open);
    for (let i = 1; i <= 10; i++) {
      assert.equal((await store.notes.takeView(open.noteId, T0))?.views, i);
    }
  });

  test("concurrent takeNoteView never exceeds max_views", async (store) => {
    const row = note({ maxViews: 5 });
    await store.notes.insert(row);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => store.notes.takeView(row.noteId, T0)),
    );
    assert.equal(results.filter((r) => r !== undefined).length, 5);
  });

  test("expired notes are invisible, untakeable and purged", async (store) => {
    const row = note({ expiration: T0 + 10 * SECOND });
    await store.notes.insert(row);
    assert.ok(await store.notes.get({ noteId: row.noteId }, T0 + 9 * SECOND));
    assert.equal(await store.notes.get({ noteId: row.noteId }, T0 + 10 * SECOND), undefined);
    assert.equal(await store.notes.takeView(row.noteId, T0 + 10 * SECOND), undefined);
    await store.notes.insert(note());
    assert.equal(await store.notes.deleteExpired(T0 + 10 * SECOND), 1);
    assert.equal(await store.notes.deleteExpired(T0 + 10 * SECOND), 0);
  });

  test("deleteNote reports whether it deleted", async (store) => {
    const row = note();
    await store.notes.insert(row);
    assert.equal(await store.notes.delete(row.noteId), true);
    assert.equal(await store.notes.delete(row.noteId), false);
  });

  test("note writes roll back with their transaction", async (store) => {
    const row = note({ idString: "tx" });
    await assert.rejects(store.transaction(async (tx) => {
      await tx.notes.insert(row);
      throw new Error("abort");
    }));
    assert.equal(await store.notes.get({ idString: "tx" }, T0), undefined);
  });

  test("notes: a claimed name takes only its client's notes; the claim removes others'", async (store) => {
    const owner = crypto.randomUUID();
    const squatter = note({ idString: "claimed", clientId: crypto.randomUUID() });
    const anonymous = note({ idString: "free" });
    assert.equal(await store.notes.insert(squatter), true);
    await store.notes.claimName("claimed", owner);
    await store.notes.claimName("free", owner);
    assert.equal(await store.notes.get({ idString: "claimed" }, T0), undefined);
    assert.equal(await store.notes.insert(anonymous), false);
    assert.equal(await store.notes.insert(note({ idString: "claimed" })), false);
    const own = note({ idString: "claimed", clientId: owner });
    assert.equal(await store.notes.insert(own), true);
    assert.equal((await store.notes.get({ idString: "claimed" }, T0))?.noteId, own.noteId);
    // the owner's own note survives a new claim by the same client
    await store.notes.claimName("claimed", owner);
    assert.equal((await store.notes.get({ idString: "claimed" }, T0))?.noteId, own.noteId);
  });
}
