/**
 * The SQL search path against the brute-force reference, on random records and queries (seeded),
 * with the default planner thresholds and with tiny ones that force every plan (merges, sorts,
 * scope scans, dictionary ranges, re-run patterns); plus index maintenance on update and delete,
 * sharing, revocation and the 10,000-result window.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ValidationError } from "../lib/errors.ts";
import { referenceSearch } from "../lib/store/search/reference_search.ts";
import type { SearchQuery } from "../lib/store/search/search_query.ts";
import { searchSql } from "../lib/store/search/search_sql.ts";
import type { SearchTuning } from "../lib/store/search/search_tuning.ts";
import { prepareSearchIndex } from "../lib/store/search/sqlite_index.ts";
import { runSqliteSearch } from "../lib/store/search/sqlite_search.ts";
import { openSqliteStore } from "../lib/store/sqlite_store.ts";
import type { PolicyRow, RecordRow, Store } from "../lib/store/store.ts";
import {
  clause,
  Dice,
  ids,
  KEYS,
  randomClause,
  randomRecord,
  searchQuery,
  WORDS,
} from "./_search_helpers.ts";

const TINY: SearchTuning = {
  probeMax: 1,
  inlineTextsMax: 2,
  maxMergeRanges: 2,
  sortCap: 3,
  scanBudget: 5,
  maxListedTerms: 2,
};
const SMALL: SearchTuning = {
  probeMax: 3,
  inlineTextsMax: 5,
  maxMergeRanges: 6,
  sortCap: 15,
  scanBudget: 40,
  maxListedTerms: 4,
};

interface Fixture {
  store: Store;
  /** A second connection to the same file, to run searches with other thresholds. */
  db: DatabaseSync;
  records: Map<string, RecordRow>;
  policies: PolicyRow[];
  writers: string[];
  dir: string;
  close(): Promise<void>;
}

const T0 = 1_800_000_000_000_000;

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "arca-search-test-" });
  const path = `${dir}/store.sqlite3`;
  const store = await openSqliteStore(path);
  const writers = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  await store.createAccount({ accountId: writers[0]!, name: "a", created: T0 });
  for (const clientId of writers) {
    await store.createClient({
      clientId,
      accountId: writers[0]!,
      name: clientId,
      publicKeyType: "curve25519",
      publicKey: "k",
      signingKeyType: null,
      signingKey: null,
      apiKeyId: clientId,
      apiSecretHash: "0".repeat(64),
      backupClientId: clientId,
      backedUp: null,
      created: T0,
    });
  }
  const db = new DatabaseSync(path);
  prepareSearchIndex(db);
  return {
    store,
    db,
    records: new Map(),
    policies: [],
    writers,
    dir,
    async close() {
      db.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function shared(f: Fixture, callerId: string) {
  return (record: RecordRow) =>
    f.policies.some((p) =>
      p.readerId === callerId && p.canRead && p.writerId === record.writerId &&
      p.userId === record.userId && p.type === record.type
    );
}

async function grant(f: Fixture, writerId: string, readerId: string, type: string, read: boolean) {
  const policy: PolicyRow = {
    writerId,
    userId: writerId,
    readerId,
    type,
    canRead: read,
    canAuthorize: false,
    canEdit: false,
    authorizedBy: writerId,
    updated: T0,
  };
  await f.store.putPolicy(policy);
  f.policies = f.policies.filter((p) =>
    !(p.writerId === writerId && p.readerId === readerId && p.type === type)
  );
  f.policies.push(policy);
}

/** Random records (some created at the same microsecond), then some updates and deletes. */
async function populate(f: Fixture, dice: Dice, count: number): Promise<void> {
  let created = T0;
  for (let i = 0; i < count; i++) {
    if (!dice.chance(0.1)) created += 1 + dice.int(1_000_000);
    const writer = dice.chance(0.7) ? f.writers[0]! : dice.pick(f.writers);
    const row = await f.store.insertRecord(randomRecord(dice, writer, created));
    f.records.set(row.recordId, row);
  }
  const rows = [...f.records.values()];
  for (const row of rows.slice(0, Math.floor(count / 6))) {
    const other = randomRecord(dice, row.writerId, 0);
    const outcome = await f.store.updateRecord(row.recordId, row.version, {
      plain: other.plain,
      data: other.data,
      recSig: null,
      lastModified: row.created + 5_000_000 + dice.int(10_000_000),
      version: crypto.randomUUID(),
    });
    assert.equal(outcome.status, "ok");
    if (outcome.status === "ok") f.records.set(row.recordId, outcome.value);
  }
  for (const row of rows.slice(-Math.floor(count / 10))) {
    const current = f.records.get(row.recordId)!;
    const outcome = await f.store.deleteRecord(row.recordId, current.version);
    assert.equal(outcome.status, "ok");
    f.records.delete(row.recordId);
  }
}

function randomQuery(f: Fixture, dice: Dice): SearchQuery {
  const callerId = dice.chance(0.8) ? f.writers[0]! : dice.pick(f.writers);
  const recordIds = [...f.records.keys()];
  const times = [...f.records.values()].map((r) => r.created).sort((a, b) => a - b);
  const at = () => times[dice.int(times.length)] ?? T0;
  const query = searchQuery(callerId, {
    includeAllWriters: dice.chance(0.4),
    descending: dice.chance(0.3),
    limit: 1 + dice.int(12),
    offset: dice.chance(0.3) ? dice.int(15) : 0,
    match: Array.from({ length: dice.int(3) }, () => randomClause(dice, f.writers, recordIds)),
    exclude: Array.from(
      { length: dice.chance(0.3) ? 1 : 0 },
      () => randomClause(dice, f.writers, recordIds),
    ),
  });
  if (dice.chance(0.25)) {
    const [a, b] = [at(), at()].sort((x, y) => x - y);
    query.range = {
      key: dice.chance(0.7) ? "CREATED" : "MODIFIED",
      after: dice.chance(0.8) ? a! : null,
      before: dice.chance(0.8) ? b! : null,
    };
  }
  return query;
}

function describe(query: SearchQuery): string {
  return JSON.stringify(query);
}

Deno.test("search: the SQL path equals the brute-force reference on random data and queries", async () => {
  const f = await fixture();
  try {
    const dice = new Dice(Number(Deno.env.get("ARCA_TEST_SEED") ?? 20241123));
    await populate(f, dice, 240);
    for (const type of ["season", "web"]) await grant(f, f.writers[1]!, f.writers[0]!, type, true);
    await grant(f, f.writers[2]!, f.writers[0]!, "contact", true);
    await grant(f, f.writers[0]!, f.writers[1]!, "t", true);
    await grant(f, f.writers[2]!, f.writers[0]!, "web", false); // a deny policy opens nothing
    let nonEmpty = 0;
    for (let i = 0; i < 400; i++) {
      const query = randomQuery(f, dice);
      const expected = referenceSearch(query, [...f.records.values()], shared(f, query.callerId));
      const actual = await f.store.searchRecords(query);
      assert.equal(actual.total, expected.total, describe(query));
      assert.deepEqual(ids(actual.records), ids(expected.records), describe(query));
      for (const tuning of [TINY, SMALL]) {
        const hits = runSqliteSearch(searchSql(f.db), query, tuning);
        assert.equal(hits.total, expected.total, `${JSON.stringify(tuning)} ${describe(query)}`);
        assert.deepEqual(
          hits.seqs,
          expected.records.map((r) => r.seq),
          `${JSON.stringify(tuning)} ${describe(query)}`,
        );
      }
      if (expected.records.length > 0) nonEmpty++;
    }
    assert.ok(nonEmpty > 150, `only ${nonEmpty} queries found something`);
  } finally {
    await f.close();
  }
});

Deno.test("search: prefix patterns matching many terms (dictionary ranges) stay exact", async () => {
  const f = await fixture();
  try {
    const dice = new Dice(99);
    const caller = f.writers[0]!;
    for (let i = 0; i < 60; i++) {
      const record = randomRecord(dice, i % 5 === 0 ? f.writers[1]! : caller, T0 + i);
      record.plain = { host: `server_${i}`, [dice.pick(KEYS)]: dice.pick(WORDS) };
      const row = await f.store.insertRecord(record);
      f.records.set(row.recordId, row);
    }
    await grant(f, f.writers[1]!, caller, "web", true);
    const queries: SearchQuery[] = [
      searchQuery(caller, { match: [clause({ strategy: "WILDCARD", values: ["server_*"] })] }),
      searchQuery(caller, {
        includeAllWriters: true,
        limit: 7,
        offset: 3,
        match: [clause({ strategy: "REGEXP", values: ["server_.*"] })],
        exclude: [clause({ strategy: "WILDCARD", values: ["server_1*"] })],
      }),
      searchQuery(caller, {
        descending: true,
        match: [clause({ strategy: "WILDCARD", tags: [["host", "server_2*"]] })],
      }),
      searchQuery(caller, {
        match: [
          clause({ condition: "AND", strategy: "WILDCARD", values: ["server_*"], types: ["web"] }),
        ],
      }),
    ];
    for (const query of queries) {
      const expected = referenceSearch(query, [...f.records.values()], shared(f, caller));
      assert.ok(expected.total > 0, describe(query));
      for (const tuning of [TINY, SMALL, undefined]) {
        const hits = runSqliteSearch(searchSql(f.db), query, tuning);
        assert.equal(hits.total, expected.total, describe(query));
        assert.deepEqual(hits.seqs, expected.records.map((r) => r.seq), describe(query));
      }
    }
  } finally {
    await f.close();
  }
});

Deno.test("search: updates and deletes keep the index in step; revocation is immediate", async () => {
  const f = await fixture();
  try {
    const [alice, bob] = f.writers as [string, string];
    const dice = new Dice(1);
    const row = await f.store.insertRecord({
      ...randomRecord(dice, bob, T0),
      type: "season",
      plain: { name: "summer" },
    });
    const bySummer = (caller: string) =>
      f.store.searchRecords(searchQuery(caller, {
        includeAllWriters: true,
        match: [clause({ values: ["summer"] })],
      }));
    assert.equal((await bySummer(bob)).total, 1);
    assert.equal((await bySummer(alice)).total, 0); // not shared
    await grant(f, bob, alice, "season", true);
    assert.deepEqual(ids((await bySummer(alice)).records), [row.recordId]);
    await grant(f, bob, alice, "season", false); // revoked
    assert.equal((await bySummer(alice)).total, 0);
    await grant(f, bob, alice, "season", true);
    const updated = await f.store.updateRecord(row.recordId, row.version, {
      plain: { name: "winter" },
      data: row.data,
      recSig: null,
      lastModified: T0 + 10,
      version: crypto.randomUUID(),
    });
    assert.equal(updated.status, "ok");
    assert.equal((await bySummer(alice)).total, 0);
    const winter = await f.store.searchRecords(searchQuery(bob, {
      match: [clause({ values: ["winter"] })],
    }));
    assert.equal(winter.total, 1);
    assert.equal(winter.records[0]!.lastModified, T0 + 10);
    const stale = await f.store.deleteRecord(row.recordId, row.version);
    assert.equal(stale.status, "conflict");
    assert.equal(
      (await f.store.searchRecords(searchQuery(bob, { match: [clause({ values: ["winter"] })] })))
        .total,
      1,
    );
    if (updated.status !== "ok") throw new Error("unreachable");
    assert.equal((await f.store.deleteRecord(row.recordId, updated.value.version)).status, "ok");
    assert.equal((await f.store.searchRecords(searchQuery(bob))).total, 0);
  } finally {
    await f.close();
  }
});

Deno.test("search: a record's index rows commit and roll back with it", async () => {
  const f = await fixture();
  try {
    const dice = new Dice(2);
    const writer = f.writers[0]!;
    await assert.rejects(
      f.store.transaction(async (tx) => {
        await tx.insertRecord({ ...randomRecord(dice, writer, T0), plain: { name: "ghost" } });
        throw new Error("abort");
      }),
      /abort/,
    );
    const ghost = searchQuery(writer, { match: [clause({ values: ["ghost"] })] });
    assert.equal((await f.store.searchRecords(ghost)).total, 0);
    await f.store.transaction((tx) =>
      tx.insertRecord({ ...randomRecord(dice, writer, T0), plain: { name: "ghost" } })
    );
    assert.equal((await f.store.searchRecords(ghost)).total, 1);
  } finally {
    await f.close();
  }
});

Deno.test("search: only the first 10,000 results are reachable; the total is capped", async () => {
  const f = await fixture();
  try {
    const writer = f.writers[0]!;
    const dice = new Dice(4);
    for (let start = 0; start < 10_020; start += 2_000) {
      await f.store.transaction(async (tx) => {
        for (let i = start; i < Math.min(10_020, start + 2_000); i++) {
          await tx.insertRecord({ ...randomRecord(dice, writer, T0 + i), type: "bulk", plain: {} });
        }
      });
    }
    const all = searchQuery(writer, { match: [clause({ types: ["bulk"] })] });
    const first = await f.store.searchRecords(all);
    assert.equal(first.total, 10_000);
    assert.equal(first.records.length, 50);
    const last = await f.store.searchRecords({ ...all, offset: 9_990, limit: 50 });
    assert.equal(last.records.length, 10);
    assert.equal(last.records.at(-1)!.created, T0 + 9_999);
    await assert.rejects(
      f.store.searchRecords({ ...all, offset: 10_000 }),
      (error: unknown) =>
        error instanceof ValidationError && /first 10000 results/.test(error.message),
    );
  } finally {
    await f.close();
  }
});

Deno.test("search: malformed store queries are ValidationErrors", async () => {
  const f = await fixture();
  try {
    const base = searchQuery(f.writers[0]!);
    const bad: Array<[Partial<SearchQuery>, RegExp]> = [
      [{ limit: 0 }, /limit/],
      [{ offset: -1 }, /offset/],
      [{ callerId: "" }, /callerId/],
      [{ match: [clause({ strategy: "REGEXP", values: ["(x"] })] }, /match\[0\]\.values\[0\]/],
      [{ exclude: [clause({ strategy: "REGEXP", tags: [["ok", "[z-a]"]] })] }, /tags\[0\] value/],
      [{ range: { key: "LATER" as "CREATED", after: null, before: null } }, /range key/],
    ];
    for (const [change, message] of bad) {
      await assert.rejects(f.store.searchRecords({ ...base, ...change }), (error: unknown) => {
        assert.ok(error instanceof ValidationError, String(error));
        assert.match((error as Error).message, message);
        return true;
      });
    }
  } finally {
    await f.close();
  }
});
