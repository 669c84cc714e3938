import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import type { RecordRow } from "../lib/store/records.ts";
import type { Store } from "../lib/store/store.ts";
import { addWriter, WRITER_ID } from "./_store_helpers.ts";

const CLIENT = WRITER_ID;

async function seeded(path: string): Promise<Store> {
  const store = await openSqliteStore(path);
  await addWriter(store);
  return store;
}

function recordId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** What the record route does: a timestamp and an insert in one transaction. */
function writeRecord(store: Store, n: number, fail: boolean): Promise<RecordRow> {
  return store.transaction(async (tx) => {
    const now = await tx.issueTimestamp(1_000_000);
    const row = await tx.records.insert({
      recordId: recordId(n),
      writerId: CLIENT,
      userId: CLIENT,
      type: "t",
      plain: { n: String(n) },
      data: { f: "a.b.c.d" },
      recSig: null,
      fileMeta: null,
      created: now,
      lastModified: now,
      version: recordId(1000 + n),
    });
    if (fail) throw new Error(`write ${n} fails after inserting`);
    return row;
  });
}

Deno.test("SQLite store: concurrent write transactions, some failing, commit only the others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-group-commit-" });
  const path = join(dir, "store.sqlite3");
  const store = await seeded(path);
  try {
    const fails = (n: number) => n % 5 === 2;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => writeRecord(store, n, fails(n))),
    );
    const written = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    assert.equal(written.length, 32);
    results.forEach((r, n) => assert.equal(r.status, fails(n) ? "rejected" : "fulfilled"));
    // In arrival order: sequence numbers and timestamps strictly increasing, no duplicates.
    for (let i = 1; i < written.length; i++) {
      assert.ok(written[i]!.seq > written[i - 1]!.seq);
      assert.ok(written[i]!.created > written[i - 1]!.created);
    }
    // A failed operation's timestamp is rolled back with it: the committed ones are consecutive.
    assert.equal(written.at(-1)!.created - written[0]!.created, written.length - 1);
    for (let n = 0; n < 40; n++) {
      const row = await store.records.get(recordId(n));
      assert.equal(row === undefined, fails(n), `record ${n}`);
    }
  } finally {
    await store.close();
  }
  // Everything acknowledged is on disk: a fresh connection sees exactly the committed rows.
  const reopened = await openSqliteStore(path);
  try {
    const rows = await reopened.records.query({
      callerId: CLIENT,
      scope: "own",
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    });
    assert.equal(rows.length, 32);
    assert.ok(rows.every((row) => Number(row.plain.n) % 5 !== 2));
    // The timestamp counter survived: the next one is after every committed record.
    assert.ok((await reopened.issueTimestamp(1)) > rows.at(-1)!.created);
  } finally {
    await reopened.close();
    await Deno.remove(dir, { recursive: true });
  }
});
