/** The SQLite store's runtime machinery: its file lock, record cache and background checkpoints. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ConflictError } from "../lib/errors.ts";
import { RecordCache } from "../lib/store/sqlite/_record_cache.ts";
import { CHECKPOINT_INTERVAL_MS } from "../lib/store/sqlite/_checkpointer.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import type { RecordRow } from "../lib/store/records.ts";
import { addWriter, WRITER_ID } from "./_store_helpers.ts";

const CLIENT = WRITER_ID;

/** A store file in a fresh temporary folder, removed with the folder when disposed. */
async function tempPath(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "arca-store-runtime-" });
  return {
    path: join(dir, "store.sqlite3"),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

function row(n: number, data: Record<string, string> = { f: "a.b.c.d" }): Omit<RecordRow, "seq"> {
  const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  return {
    recordId: id,
    writerId: CLIENT,
    userId: CLIENT,
    type: "t",
    plain: {},
    data,
    recSig: null,
    fileMeta: null,
    created: n,
    lastModified: n,
    version: `v${n}`,
  };
}

Deno.test("SQLite store: a second store on the same file is refused until the first closes", async () => {
  await using temp = await tempPath();
  const path = temp.path;
  const first = await openSqliteStore(path);
  try {
    await assert.rejects(() => openSqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.match(error.message, /in use by another Arca store/);
      return true;
    });
  } finally {
    await first.close();
  }
  const second = await openSqliteStore(path);
  await second.close();
});

Deno.test("SQLite store: cached records follow updates and deletes", async () => {
  await using temp = await tempPath();
  const store = await openSqliteStore(temp.path);
  try {
    await addWriter(store);
    const written = await store.transaction((tx) => tx.records.insert(row(1)));
    const first = await store.records.get(written.recordId);
    assert.equal(
      await store.records.get(written.recordId),
      first,
      "a hot read is served from memory",
    );
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.data));
    const updated = await store.records.update(written.recordId, "v1", {
      plain: { k: "v" },
      data: { f: "e.f.g.h" },
      recSig: null,
      lastModified: 2,
      version: "v2",
    });
    assert.equal(updated.status, "ok");
    const afterUpdate = await store.records.get(written.recordId);
    assert.deepEqual([afterUpdate?.version, afterUpdate?.data.f], ["v2", "e.f.g.h"]);
    assert.equal((await store.records.delete(written.recordId, "v2")).status, "ok");
    assert.equal(await store.records.get(written.recordId), undefined);
  } finally {
    await store.close();
  }
});

Deno.test("SQLite store: a rolled-back update leaves the committed record readable", async () => {
  await using temp = await tempPath();
  const store = await openSqliteStore(temp.path);
  try {
    await addWriter(store);
    const written = await store.transaction((tx) => tx.records.insert(row(1)));
    await store.records.get(written.recordId);
    await assert.rejects(() =>
      store.transaction(async (tx) => {
        await tx.records.update(written.recordId, "v1", {
          plain: {},
          data: { f: "changed.b.c.d" },
          recSig: null,
          lastModified: 2,
          version: "v2",
        });
        throw new Error("abort");
      })
    );
    const read = await store.records.get(written.recordId);
    assert.deepEqual([read?.version, read?.data.f], ["v1", "a.b.c.d"]);
  } finally {
    await store.close();
  }
});

Deno.test("record cache: least recently used records go first, within the byte budget", () => {
  const big = (n: number) => ({ ...row(n, { f: "x".repeat(1000) }), seq: n });
  // Each row counts about 2.5 KB, so a 6 KB budget keeps two.
  const cache = new RecordCache(6000);
  cache.put(big(1));
  cache.put(big(2));
  assert.ok(cache.get(big(1).recordId) !== undefined); // 1 is now the most recently used
  cache.put(big(3));
  assert.equal(cache.get(big(2).recordId), undefined);
  assert.ok(cache.get(big(1).recordId) !== undefined);
  assert.ok(cache.get(big(3).recordId) !== undefined);
  const off = new RecordCache(0);
  off.put(big(4));
  assert.equal(off.get(big(4).recordId), undefined);
  assert.throws(() => new RecordCache(-1), RangeError);
});

async function mainFileGrowth(backgroundCheckpoints: boolean): Promise<number> {
  await using temp = await tempPath();
  const path = temp.path;
  const store = await openSqliteStore(path, { backgroundCheckpoints });
  try {
    await addWriter(store);
    const before = (await Deno.stat(path)).size;
    await Promise.all(
      Array.from(
        { length: 50 },
        (_, n) => store.transaction((tx) => tx.records.insert(row(n + 1, { f: "y".repeat(3000) }))),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS * 4));
    return (await Deno.stat(path)).size - before;
  } finally {
    await store.close();
  }
}

Deno.test("SQLite store: a worker copies the WAL into the database file in the background", async () => {
  // 150 KB of records is far below SQLite's own checkpoint threshold (4000 pages), so without
  // the worker the pages stay in the WAL and the database file does not grow.
  assert.equal(await mainFileGrowth(false), 0);
  assert.ok((await mainFileGrowth(true)) >= 150_000);
});

/** The (key, value) terms of the tag postings of the record at `seq`, read with plain SQL. */
function tagTerms(path: string, seq: number): string[][] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(
      "SELECT k.term AS key, v.term AS value FROM search_tag_postings p" +
        " JOIN search_terms k ON k.term_id = p.key_id JOIN search_terms v ON v.term_id = p.value_id" +
        " WHERE p.seq = ?",
    ).all(seq).map((r) => [String(r.key), String(r.value)]);
  } finally {
    db.close();
  }
}

for (const together of [false, true]) {
  Deno.test(`SQLite store: search ids of a rolled-back write are not reused (${together ? "same batch" : "next batch"})`, async () => {
    await using temp = await tempPath();
    const path = temp.path;
    const store = await openSqliteStore(path);
    try {
      await addWriter(store);
      const doomed = store.transaction(async (tx) => {
        await tx.records.insert({ ...row(1), plain: { color: "red" } });
        throw new Error("roll back");
      });
      if (!together) await assert.rejects(() => doomed, /roll back/);
      const kept = store.transaction((tx) =>
        tx.records.insert({ ...row(2), plain: { color: "blue" } })
      );
      if (together) await assert.rejects(() => doomed, /roll back/);
      const written = await kept;
      assert.deepEqual(tagTerms(path, written.seq), [["color", "blue"]]);
    } finally {
      await store.close();
    }
  });
}
