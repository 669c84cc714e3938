import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SerialQueue } from "../lib/store/sqlite/_serial_queue.ts";
import { SqliteWriteBatcher } from "../lib/store/sqlite/_write_batcher.ts";

interface Fixture {
  db: DatabaseSync;
  /** A second connection to the same file: sees only committed rows. */
  other: DatabaseSync;
  dir: string;
  close(): Promise<void>;
}

async function openFixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "arca-batcher-" });
  const path = `${dir}/test.db`;
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, CHECK (n > 0))");
  const other = new DatabaseSync(path);
  return {
    db,
    other,
    dir,
    async close() {
      other.close();
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function insert(db: DatabaseSync, n: number): number {
  return Number(db.prepare("INSERT INTO t (n) VALUES (?)").run(n).changes);
}

function committed(other: DatabaseSync): number[] {
  return other.prepare("SELECT n FROM t ORDER BY n").all().map((row) => Number(row.n));
}

Deno.test("batcher: a failing operation rolls back alone; the others commit", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue());
    const results = await Promise.allSettled([
      batcher.submit(() => Promise.resolve(insert(f.db, 1))),
      batcher.submit(async () => {
        await Promise.resolve(); // an operation may yield; it still holds the batch
        insert(f.db, 2);
        insert(f.db, -2); // violates the CHECK: the row 2 above must go too
        return 0;
      }),
      batcher.submit(() => Promise.resolve(insert(f.db, 3))),
      batcher.submit(() => Promise.reject(new RangeError("own error"))),
      batcher.submit(() => Promise.resolve(insert(f.db, 1))), // duplicate of the first: rejected
      batcher.submit(() => Promise.resolve(insert(f.db, 4))),
    ]);
    assert.deepEqual(results.map((r) => r.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /CHECK constraint/);
    assert.ok((results[3] as PromiseRejectedResult).reason instanceof RangeError);
    assert.match(String((results[4] as PromiseRejectedResult).reason), /UNIQUE|PRIMARY KEY/);
    assert.deepEqual(committed(f.other), [1, 3, 4]);
    assert.equal(f.db.isTransaction, false);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: a lone operation runs without a savepoint and rolls back whole", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue());
    const failed = batcher.submit(() => {
      insert(f.db, 1);
      insert(f.db, 2);
      // Alone in its batch, the operation has no savepoint of its own to release.
      assert.throws(() => f.db.exec("RELEASE arca_batch_op"), /no such savepoint/);
      insert(f.db, -1); // violates the CHECK: rows 1 and 2 must go too
      return Promise.resolve(0);
    });
    await assert.rejects(failed, /CHECK constraint/);
    assert.deepEqual(committed(f.other), []);
    assert.equal(f.db.isTransaction, false);
    assert.equal(await batcher.submit(() => Promise.resolve(insert(f.db, 5))), 1);
    assert.deepEqual(committed(f.other), [5]);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: an alone operation gets a batch of its own, between the others", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue());
    const hasSavepoint = () => {
      try {
        // Releases the operation's savepoint and opens it again (nothing is written yet).
        f.db.exec("RELEASE arca_batch_op");
        f.db.exec("SAVEPOINT arca_batch_op");
        return true;
      } catch {
        return false;
      }
    };
    const seen: string[] = [];
    const op = (name: string, n: number) => () => {
      seen.push(`${name}:${hasSavepoint() ? "savepoint" : "alone"}:${committed(f.other).length}`);
      return Promise.resolve(insert(f.db, n));
    };
    await Promise.all([
      batcher.submit(op("a", 1)),
      batcher.submit(op("b", 2)),
      batcher.submit(op("c", 3), { alone: true }),
      batcher.submit(op("d", 4)),
      batcher.submit(op("e", 5)),
    ]);
    // [a, b] commit together, then c alone (it sees a and b committed), then [d, e].
    assert.deepEqual(seen, [
      "a:savepoint:0",
      "b:savepoint:0",
      "c:alone:2",
      "d:savepoint:3",
      "e:savepoint:3",
    ]);
    assert.deepEqual(committed(f.other), [1, 2, 3, 4, 5]);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: concurrent operations share one transaction, settled after COMMIT", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue());
    const seenByOthers: number[][] = [];
    const settledAfter: number[][] = [];
    const ops = [1, 2, 3, 4].map((n) =>
      batcher.submit(async () => {
        await Promise.resolve(); // an operation may yield; it still holds the batch
        assert.equal(f.db.isTransaction, true);
        seenByOthers.push(committed(f.other));
        return insert(f.db, n);
      }).then(() => settledAfter.push(committed(f.other)))
    );
    await Promise.all(ops);
    // Inside the batch, no other connection saw any of its rows: one transaction for all four.
    assert.deepEqual(seenByOthers, [[], [], [], []]);
    // Every caller was answered after all four rows were committed.
    assert.deepEqual(settledAfter, [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: operations run one at a time in arrival order, each seeing the ones before", async () => {
  const f = await openFixture();
  try {
    f.db.exec("CREATE TABLE counter (value INTEGER NOT NULL); INSERT INTO counter VALUES (0)");
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue(), { maxBatch: 3 });
    let running = 0;
    const next = () =>
      batcher.submit(async () => {
        running++;
        assert.equal(running, 1);
        await Promise.resolve(); // yields inside the operation: nobody else may start
        const row = f.db.prepare("UPDATE counter SET value = value + 1 RETURNING value").get();
        running--;
        return Number(row?.value);
      });
    const failing = () =>
      batcher.submit(async () => {
        await Promise.resolve(); // an operation may yield; it still holds the batch
        f.db.exec("UPDATE counter SET value = value + 100");
        throw new Error("undo my increment");
      });
    const issued = await Promise.allSettled([
      next(),
      next(),
      failing(),
      next(),
      next(),
      failing(),
      next(),
    ]);
    const values = issued.filter((r) => r.status === "fulfilled").map((r) => r.value);
    assert.deepEqual(values, [1, 2, 3, 4, 5]);
    assert.equal(issued.filter((r) => r.status === "rejected").length, 2);
    assert.equal(Number(f.other.prepare("SELECT value FROM counter").get()?.value), 5);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: more operations than maxBatch are split into several commits", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue(), { maxBatch: 2 });
    const seenByOthers: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) =>
      batcher.submit(async () => {
        await Promise.resolve(); // an operation may yield; it still holds the batch
        seenByOthers.push(committed(f.other).length);
        return insert(f.db, n);
      })
    ));
    assert.deepEqual(seenByOthers, [0, 0, 2, 2, 4]);
    assert.deepEqual(committed(f.other), [1, 2, 3, 4, 5]);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: when the transaction is lost mid-batch, earlier successes are rejected", async () => {
  const f = await openFixture();
  try {
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue());
    const results = await Promise.allSettled([
      batcher.submit(() => Promise.resolve(insert(f.db, 1))),
      batcher.submit(async () => {
        await Promise.resolve(); // an operation may yield; it still holds the batch
        f.db.exec("ROLLBACK"); // what SQLite does on some I/O errors
        throw new Error("disk trouble");
      }),
      batcher.submit(() => Promise.resolve(insert(f.db, 3))),
    ]);
    assert.equal(results[0]!.status, "rejected");
    assert.match(String((results[0] as PromiseRejectedResult).reason), /rolled back; retry/);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /disk trouble/);
    assert.equal(results[2]!.status, "fulfilled");
    assert.deepEqual(committed(f.other), [3]);
  } finally {
    await f.close();
  }
});

Deno.test("batcher: a closed database rejects the whole batch; bad arguments are refused", async () => {
  const f = await openFixture();
  try {
    let open = true;
    const batcher = new SqliteWriteBatcher(f.db, new SerialQueue(), {
      assertOpen: () => {
        if (!open) throw new Error("Store is closed");
      },
    });
    open = false;
    const results = await Promise.allSettled([
      batcher.submit(() => Promise.resolve(insert(f.db, 1))),
      batcher.submit(() => Promise.resolve(insert(f.db, 2))),
    ]);
    assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
    assert.deepEqual(committed(f.other), []);
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      batcher.submit(undefined as any),
      TypeError,
    );
    assert.throws(
      () => new SqliteWriteBatcher(f.db, new SerialQueue(), { maxBatch: 0 }),
      RangeError,
    );
  } finally {
    await f.close();
  }
});

Deno.test("batcher: flush queues pending operations without waiting for the timer", async () => {
  const f = await openFixture();
  try {
    const queue = new SerialQueue();
    const batcher = new SqliteWriteBatcher(f.db, queue);
    const op = batcher.submit(() => Promise.resolve(insert(f.db, 7)));
    batcher.flush();
    // A job queued after flush runs after the batch, so it sees the committed row.
    const seen = await queue.run(() => Promise.resolve(committed(f.other)));
    assert.deepEqual(seen, [7]);
    assert.equal(await op, 1);
  } finally {
    await f.close();
  }
});
