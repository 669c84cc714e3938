/** Conformance: containers, their access entries (with key blobs) and uploads. */
import assert from "node:assert/strict";
import type {
  ContainerAccessRow,
  ContainerRow,
  ContainerUploadRow,
} from "../../lib/store/containers.ts";
import { id, SECOND, type StoreTest, T0 } from "./_fixtures.ts";

function container(containerId: string, overrides: Partial<ContainerRow> = {}): ContainerRow {
  const writer = overrides.createdBy ?? id();
  return {
    containerId,
    type: "memo",
    version: 1,
    created: T0,
    createdBy: writer,
    modified: T0,
    modifiedBy: writer,
    length: 5,
    contentSize: 45,
    header: "aGVhZGVy",
    inlineContent: "Y29udGVudA",
    blobKey: null,
    ...overrides,
  };
}

function access(
  containerId: string,
  userId: string,
  overrides: Partial<ContainerAccessRow> = {},
): ContainerAccessRow {
  return {
    containerId,
    userId,
    permissions: 11,
    expiration: null,
    grantedBy: userId,
    keyBlob: `{"writer_id":"${userId}","encrypted_key":"k","signature":"s"}`,
    ...overrides,
  };
}

function upload(containerId: string, overrides: Partial<ContainerUploadRow> = {}) {
  return {
    containerId,
    version: 1,
    writerId: id(),
    blobKey: `ctr-${containerId}-1`,
    contentSize: 1 << 20,
    state: "pending" as const,
    created: T0,
    expires: T0 + 3600 * SECOND,
    change: '{"kind":"create"}',
    ...overrides,
  };
}

export function containerConformance(test: StoreTest): void {
  test("containers: create, get, update, delete round-trip every field", async (store) => {
    const containerId = id();
    const row = container(containerId, { type: null, header: null });
    await store.containers.create(row);
    assert.deepEqual(await store.containers.get(containerId), row);
    await assert.rejects(store.containers.create(row)); // the id is taken
    const changed = {
      ...row,
      type: "note",
      version: 2,
      modified: T0 + SECOND,
      modifiedBy: id(),
      length: 2 ** 40,
      contentSize: 2 ** 40 + 4096,
      header: "bmV3",
      inlineContent: null,
      blobKey: `ctr-${containerId}-2`,
    };
    assert.equal(await store.containers.update(changed), true);
    assert.deepEqual(await store.containers.get(containerId), changed);
    assert.equal(await store.containers.update(container(id())), false);
    assert.equal(await store.containers.delete(containerId), true);
    assert.equal(await store.containers.get(containerId), undefined);
    assert.equal(await store.containers.delete(containerId), false);
  });

  test("containers: access entries are replaced whole, listed by user, and go with the container", async (store) => {
    const containerId = id();
    await store.containers.create(container(containerId));
    const [a, b, c] = [id(), id(), id()].sort();
    const first = [access(containerId, b!), access(containerId, a!, { expiration: T0 })];
    await store.containers.replaceAccess(containerId, first);
    assert.deepEqual(await store.containers.listAccess(containerId), [
      access(containerId, a!, { expiration: T0 }),
      access(containerId, b!),
    ]);
    const second = [access(containerId, c!, { permissions: 127, keyBlob: null })];
    await store.containers.replaceAccess(containerId, second);
    assert.deepEqual(await store.containers.listAccess(containerId), second);
    assert.deepEqual(await store.containers.getAccess(containerId, c!), second[0]);
    assert.equal(await store.containers.getAccess(containerId, a!), undefined);
    assert.deepEqual(await store.containers.listAccessOfUser(c!), second);
    assert.equal(await store.containers.deleteAccess(containerId, c!), true);
    assert.equal(await store.containers.deleteAccess(containerId, c!), false);
    await store.containers.replaceAccess(containerId, [access(containerId, a!)]);
    await store.containers.delete(containerId);
    assert.deepEqual(await store.containers.listAccessOfUser(a!), []);
  });

  test("containers: listReachable pages by id, skips expired entries, filters by type", async (store) => {
    const user = id();
    const other = id();
    const ids = [id(), id(), id(), id()].sort();
    for (const [index, containerId] of ids.entries()) {
      await store.containers.create(container(containerId, { type: index === 2 ? "x" : "memo" }));
      const expiration = index === 1 ? T0 + SECOND : null;
      await store.containers.replaceAccess(containerId, [
        access(containerId, user, { expiration }),
        access(containerId, other),
      ]);
    }
    const reach = (q: { now?: number; after?: string; type?: string; limit?: number }) =>
      store.containers.listReachable({ userId: user, now: q.now ?? T0, limit: q.limit ?? 10, ...q })
        .then((rows) => rows.map((row) => row.containerId));
    assert.deepEqual(await reach({}), ids);
    assert.deepEqual(await reach({ now: T0 + SECOND }), [ids[0], ids[2], ids[3]]);
    assert.deepEqual(await reach({ limit: 2 }), ids.slice(0, 2));
    assert.deepEqual(await reach({ after: ids[1]! }), ids.slice(2));
    assert.deepEqual(await reach({ type: "x" }), [ids[2]]);
    assert.deepEqual(
      await store.containers.listReachable({ userId: id(), now: T0, limit: 10 }),
      [],
    );
  });

  test("containers: listExpiredAccess returns entries due by now, soonest first", async (store) => {
    const containerId = id();
    await store.containers.create(container(containerId));
    const [a, b, c] = [id(), id(), id()];
    await store.containers.replaceAccess(containerId, [
      access(containerId, a, { expiration: T0 + 2 * SECOND }),
      access(containerId, b, { expiration: T0 + SECOND }),
      access(containerId, c),
    ]);
    assert.deepEqual(await store.containers.listExpiredAccess(T0, 10), []);
    const due = await store.containers.listExpiredAccess(T0 + 2 * SECOND, 10);
    assert.deepEqual(due.map((row) => row.userId), [b, a]);
    assert.equal((await store.containers.listExpiredAccess(T0 + 2 * SECOND, 1)).length, 1);
  });

  test("containers: uploads move between states once, expire, list by writer", async (store) => {
    const containerId = id();
    const row = upload(containerId);
    await store.containers.createUpload(row);
    assert.deepEqual(await store.containers.getUpload(containerId, 1), row);
    await assert.rejects(store.containers.createUpload(row));
    assert.equal(await store.containers.getUpload(containerId, 2), undefined);
    assert.equal(
      await store.containers.setUploadState(containerId, 1, "pending", "uploading"),
      true,
    );
    assert.equal(
      await store.containers.setUploadState(containerId, 1, "pending", "uploading"),
      false,
    );
    assert.equal((await store.containers.getUpload(containerId, 1))?.state, "uploading");
    assert.deepEqual(await store.containers.listExpiredUploads(T0, 10), []);
    const expired = await store.containers.listExpiredUploads(row.expires, 10);
    assert.deepEqual(expired.map((u) => u.containerId), [containerId]);
    assert.deepEqual(
      (await store.containers.listUploadsByWriter(row.writerId)).map((u) => u.version),
      [1],
    );
    assert.equal(await store.containers.deleteUpload(containerId, 1), true);
    assert.equal(await store.containers.deleteUpload(containerId, 1), false);
  });

  test("containers: deleting a container removes its uploads", async (store) => {
    const containerId = id();
    await store.containers.create(container(containerId));
    await store.containers.createUpload(upload(containerId, { version: 2 }));
    await store.containers.delete(containerId);
    assert.equal(await store.containers.getUpload(containerId, 2), undefined);
  });

  test("containers: a failed transaction leaves no container, access or upload", async (store) => {
    const containerId = id();
    await assert.rejects(store.transaction(async (tx) => {
      await tx.containers.create(container(containerId));
      await tx.containers.replaceAccess(containerId, [access(containerId, id())]);
      await tx.containers.createUpload(upload(containerId, { version: 2 }));
      throw new Error("rolled back");
    }));
    assert.equal(await store.containers.get(containerId), undefined);
    assert.deepEqual(await store.containers.listAccess(containerId), []);
    assert.equal(await store.containers.getUpload(containerId, 2), undefined);
  });
}
