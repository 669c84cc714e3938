/**
 * The SQL search path against the brute-force reference, on random records and queries (seeded),
 * with the default planner thresholds and with tiny ones that force every plan (merges, sorts,
 * scope scans, dictionary ranges, re-run patterns), on SQLite and on PostgreSQL (when
 * `DATABASE_URL` is set; see `_postgres.ts`). Index maintenance on update and delete, sharing,
 * revocation and the 10,000-result window are in the conformance suite
 * (`store_conformance/search.ts`).
 */
import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { DatabaseSync } from "node:sqlite";
import { referenceSearch } from "./_reference_search.ts";
import type { SearchQuery } from "../lib/store/search/search_query.ts";
import { searchSql } from "../lib/store/search/search_sql.ts";
import type { SearchTuning } from "../lib/store/search/_search_tuning.ts";
import { prepareSearchIndex } from "../lib/store/search/sqlite_index.ts";
import { runSqliteSearch, type SearchHits } from "../lib/store/search/sqlite_search.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import postgres from "postgres";
import { quoteIdentifier } from "../lib/store/postgres/_migrations.ts";
import type { PostgresSearch } from "../lib/store/postgres/_search.ts";
import { oneTermOf } from "../lib/store/postgres/_search_one_term.ts";
import { rebuildSearchIndexPostgres } from "../lib/store/postgres/_search_index.ts";
import {
  freshSchemaName,
  openTestPostgresStore,
  postgresRun,
  postgresTestUrl,
} from "./_postgres.ts";
import type { PolicyRow } from "../lib/store/policies.ts";
import type { RecordRow } from "../lib/store/records.ts";
import type { Store } from "../lib/store/store.ts";
import {
  clause,
  Dice,
  ids,
  KEYS,
  randomClause,
  randomRecord,
  searchQuery,
  TYPES,
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
  /** Runs a search with other planner thresholds: the page's sequence numbers and the total. */
  tuned(query: SearchQuery, tuning: SearchTuning | undefined): Promise<SearchHits>;
  records: Map<string, RecordRow>;
  policies: PolicyRow[];
  writers: string[];
  close(): Promise<void>;
}

/** A store of one backend, and its tuned search. */
interface Backend {
  store: Store;
  tuned(query: SearchQuery, tuning: SearchTuning | undefined): Promise<SearchHits>;
  close(): Promise<void>;
}

/** SQLite: a second connection to the same file runs the tuned searches. */
async function openSqlite(): Promise<Backend> {
  const dir = await Deno.makeTempDir({ prefix: "arca-search-test-" });
  const path = `${dir}/store.sqlite3`;
  const store = await openSqliteStore(path);
  let db: DatabaseSync | undefined;
  return {
    store,
    tuned: (query, tuning) => {
      if (db === undefined) {
        db = new DatabaseSync(path);
        prepareSearchIndex(db);
      }
      return Promise.resolve(runSqliteSearch(searchSql(db), query, tuning));
    },
    async close() {
      db?.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** PostgreSQL: a store in a throwaway schema. */
async function openPostgres(schema?: string): Promise<Backend> {
  const store = await openTestPostgresStore(schema === undefined ? {} : { schema });
  const search = store.search as PostgresSearch;
  return {
    store,
    tuned: async (query, tuning) => {
      const page = await search.runTuned({ ...query, includeData: false }, tuning);
      return { seqs: page.records.map((r) => r.seq), total: page.total };
    },
    close: () => store.close(),
  };
}

const BACKENDS = [
  { name: "SQLite", open: openSqlite, ignore: false },
  { name: "PostgreSQL", open: () => openPostgres(), ignore: postgresRun.ignore },
];

const T0 = 1_800_000_000_000_000;

async function fixture(open: () => Promise<Backend>): Promise<Fixture> {
  const backend = await open();
  const store = backend.store;
  const writers = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  await store.accounts.create({ accountId: writers[0]!, name: "a", created: T0 });
  for (const clientId of writers) {
    await store.clients.create({
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
  return {
    store,
    tuned: backend.tuned,
    records: new Map(),
    policies: [],
    writers,
    close: backend.close,
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
  await f.store.policies.put(policy);
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
    const row = await f.store.records.insert(randomRecord(dice, writer, created));
    f.records.set(row.recordId, row);
  }
  const rows = [...f.records.values()];
  for (const row of rows.slice(0, Math.floor(count / 6))) {
    const other = randomRecord(dice, row.writerId, 0);
    const outcome = await f.store.records.update(row.recordId, row.version, {
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
    const outcome = await f.store.records.delete(row.recordId, current.version);
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

for (const backend of BACKENDS) {
  Deno.test({
    name:
      `search (${backend.name}): the SQL path equals the brute-force reference on random data and queries`,
    ignore: backend.ignore,
    fn: () => referenceProperty(backend.open),
  });
  Deno.test({
    name:
      `search (${backend.name}): prefix patterns matching many terms (dictionary ranges) stay exact`,
    ignore: backend.ignore,
    fn: () => dictionaryRanges(backend.open),
  });
}

async function referenceProperty(open: () => Promise<Backend>): Promise<void> {
  const f = await fixture(open);
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
      const actual = await f.store.search.run(query);
      assert.equal(actual.total, expected.total, describe(query));
      assert.deepEqual(ids(actual.records), ids(expected.records), describe(query));
      for (const tuning of [TINY, SMALL]) {
        const hits = await f.tuned(query, tuning);
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
}

async function dictionaryRanges(open: () => Promise<Backend>): Promise<void> {
  const f = await fixture(open);
  try {
    const dice = new Dice(99);
    const caller = f.writers[0]!;
    for (let i = 0; i < 60; i++) {
      const record = randomRecord(dice, i % 5 === 0 ? f.writers[1]! : caller, T0 + i);
      record.plain = { host: `server_${i}`, [dice.pick(KEYS)]: dice.pick(WORDS) };
      const row = await f.store.records.insert(record);
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
        const hits = await f.tuned(query, tuning);
        assert.equal(hits.total, expected.total, describe(query));
        assert.deepEqual(hits.seqs, expected.records.map((r) => r.seq), describe(query));
      }
    }
  } finally {
    await f.close();
  }
}

Deno.test({
  name: "search (PostgreSQL): the bulk index build equals the index the store maintains",
  ignore: postgresRun.ignore,
  fn: async () => {
    const schema = freshSchemaName();
    const f = await fixture(() => openPostgres(schema));
    const sql = postgres(postgresTestUrl(), {
      max: 1,
      onnotice: () => {},
      connection: { search_path: `${quoteIdentifier(schema)}, public` },
    });
    try {
      await populate(f, new Dice(7), 120); // inserts, updates and deletes
      const maintained = await indexContents(sql);
      assert.ok(maintained.length > 300, `only ${maintained.length} index rows`);
      await sql.begin((tx) => rebuildSearchIndexPostgres(tx));
      assert.deepEqual(await indexContents(sql), maintained);
    } finally {
      await sql.end({ timeout: 5 });
      await f.close();
    }
  },
});

/** Every posting, tag posting and writer count of a PostgreSQL index, by term text, sorted. */
async function indexContents(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql.unsafe(
    `SELECT concat_ws(' ', 'posting', t.field, t.term, w.writer_id, p.created, p.seq) AS line
     FROM search_postings p JOIN search_terms t USING (term_id) JOIN search_writers w USING (writer_num)
     UNION ALL
     SELECT concat_ws(' ', 'tag', k.term, v.term, w.writer_id, q.created, q.seq)
     FROM search_tag_postings q JOIN search_terms k ON k.term_id = q.key_id
     JOIN search_terms v ON v.term_id = q.value_id JOIN search_writers w USING (writer_num)
     UNION ALL
     SELECT concat_ws(' ', 'writer', writer_id, records) FROM search_writers`,
  );
  return rows.map((row) => String(row.line)).sort();
}

Deno.test({
  name: "search (PostgreSQL): U+0000, which PostgreSQL text cannot hold, is refused as bad input",
  ignore: postgresRun.ignore,
  fn: async () => {
    const f = await fixture(() => openPostgres());
    try {
      const writer = f.writers[0]!;
      const record = { ...randomRecord(new Dice(3), writer, T0), plain: { name: "a\0b" } };
      await assert.rejects(f.store.records.insert(record), ValidationError);
      const query = searchQuery(writer, { match: [clause({ values: ["a\0b"] })] });
      await assert.rejects(f.store.search.run(query), ValidationError);
      await f.store.records.insert({ ...record, plain: { name: "ab" } });
      assert.equal((await f.store.search.run(searchQuery(writer))).total, 1);
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "search (PostgreSQL): one EXACT value or type of the caller's own records, answered in" +
    " one statement, equals the reference and the planner's plans",
  ignore: postgresRun.ignore,
  fn: async () => {
    const f = await fixture(() => openPostgres());
    const search = f.store.search as PostgresSearch;
    try {
      await populate(f, new Dice(11), 150);
      const dice = new Dice(12);
      const callers = [...f.writers, crypto.randomUUID()]; // the last one has no records
      let nonEmpty = 0;
      let cut = 0;
      for (const callerId of callers) {
        for (const term of [...WORDS, ...TYPES, "absent"]) {
          for (const field of ["values", "types"] as const) {
            const query = searchQuery(callerId, {
              descending: dice.chance(0.5),
              offset: dice.chance(0.3) ? dice.int(10) : 0,
              limit: 1 + dice.int(12),
              match: [clause({ [field]: [term] })],
              includeData: dice.chance(0.8),
            });
            if (dice.chance(0.3)) query.maxDataBytes = 1 + dice.int(60); // each record's data is 15 units
            assert.deepEqual(oneTermOf(query), { field: field === "values" ? 3 : 1, term });
            const expected = referenceSearch(query, [...f.records.values()], () => false);
            const actual = await search.run(query);
            // The planner's plans (any tuning bypasses the one statement) read the same page.
            assert.deepEqual(actual, await search.runTuned(query, SMALL), describe(query));
            assert.equal(actual.total, expected.total, describe(query));
            const wanted = ids(expected.records);
            if (actual.records.length < wanted.length) cut++;
            assert.ok(actual.records.length > 0 || wanted.length === 0, describe(query));
            assert.deepEqual(ids(actual.records), wanted.slice(0, actual.records.length));
            if (query.maxDataBytes === undefined || query.includeData === false) {
              assert.equal(actual.records.length, wanted.length, describe(query));
            }
            if (wanted.length > 0) nonEmpty++;
          }
        }
      }
      assert.ok(nonEmpty > 40, `only ${nonEmpty} queries found something`);
      assert.ok(cut > 3, `only ${cut} pages were cut by their data budget`);
    } finally {
      await f.close();
    }
  },
});
