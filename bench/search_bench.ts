/**
 * Search benchmark (`deno task bench:search [--records N]`): seeds N records (default 1,000,000)
 * straight into a store, then times searches per strategy and for combined clauses, through
 * `store.search.run` (what `POST /v2/search` calls).
 *
 * - SQLite (default): records go through `insertRecord` in batched transactions, so the search
 *   index is maintained exactly as in production.
 * - PostgreSQL (`--database postgres`, server from `--url` or `DATABASE_URL`): records are
 *   bulk-loaded with multi-row `INSERT`s, then indexed in one set-based pass
 *   (`rebuildSearchIndexPostgres`) and vacuumed, as after any bulk load. The property tests
 *   check that this index equals the one the store maintains record by record.
 *
 * Data: 20 record types with 5 `plain` keys each — a 10-value categorical key, three keys whose
 * values are drawn from a 50,000-word vocabulary with a Zipf (s = 1) distribution, and a
 * `server_N` host name out of 100,000. One writer owns 99% of the records; a second writer owns
 * the rest and shares five types with the first, which is the client every search runs as.
 * Query values are drawn from the same distributions, so common values are searched more often,
 * as in real use. Everything comes from a seeded PRNG: runs are repeatable.
 *
 * Flags: `--records N`, `--queries N` (per kind, default 200), `--db PATH` (SQLite: reuse or keep
 * a database; seeding is skipped when it already holds the records), `--database
 * sqlite|postgres`, `--url URL` and `--schema NAME` (PostgreSQL: reuse or keep a schema; by
 * default a fresh one, dropped at the end), `--seed N`.
 *
 * Prints seeding progress and rate, a table of p50/p99/max per query kind, and a last line
 * `summary: records=... exact_p50_ms=... exact_p99_ms=... wildcard_prefix_p50_ms=...
 * fuzzy_p50_ms=... regexp_p50_ms=...`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import {
  emptyClause,
  type SearchClause,
  type SearchQuery,
} from "../lib/store/search/search_query.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { openPostgresStore } from "../lib/store/postgres/store.ts";
import { quoteIdentifier } from "../lib/store/postgres/_migrations.ts";
import { rebuildSearchIndexPostgres } from "../lib/store/postgres/_search_index.ts";
import type { NewRecord } from "../lib/store/records.ts";
import type { Store } from "../lib/store/store.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    records: { type: "string", default: "1000000" },
    queries: { type: "string", default: "200" },
    db: { type: "string" },
    database: { type: "string", default: "sqlite" },
    url: { type: "string" },
    schema: { type: "string" },
    seed: { type: "string", default: "42" },
  },
});
const RECORDS = positiveInt(flags.records, "--records");
const QUERIES = positiveInt(flags.queries, "--queries");
const BATCH = 100_000; // records per transaction while seeding
const PG_INSERT_ROWS = 5_000; // records per multi-row INSERT while bulk-loading PostgreSQL
const DATABASE = flags.database;
if (DATABASE !== "sqlite" && DATABASE !== "postgres") {
  throw new Error("--database must be sqlite or postgres");
}
const PG_URL = flags.url ?? Deno.env.get("DATABASE_URL") ?? "";
if (DATABASE === "postgres" && PG_URL === "") {
  throw new Error("--database postgres needs --url or DATABASE_URL");
}
const PG_SCHEMA = flags.schema ?? `search_bench_${crypto.randomUUID().slice(0, 8)}`;
const CACHE_KIB = 1_048_576; // 1 GiB page cache while seeding and searching
const TYPES = 20;
const VOCABULARY = 50_000;
const SERVERS = 100_000;
const START_MICROS = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z
const MAIN = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";
const SHARED_TYPES = 5;

function positiveInt(text: string | undefined, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer`);
  }
  return value;
}

// ---- deterministic data ----

/** mulberry32: a small seeded PRNG (benchmark data only; never for secrets). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(positiveInt(flags.seed, "--seed"));

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1). */
function zipfSampler(n: number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / (i + 1);
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "zo", "an", "el", "or", "us"];

function makeWord(): string {
  let word = "";
  const parts = 2 + Math.floor(random() * 4);
  for (let i = 0; i < parts; i++) {
    word += random() < 0.6
      ? SYLLABLES[Math.floor(random() * SYLLABLES.length)]!
      : LETTERS[Math.floor(random() * 26)]!;
  }
  return word;
}

const vocabulary = [...new Set(Array.from({ length: VOCABULARY * 2 }, makeWord))].slice(
  0,
  VOCABULARY,
);
const zipfWord = zipfSampler(vocabulary.length);
const word = () => vocabulary[zipfWord()]!;
const TYPE_NAMES = [
  "contact",
  "invoice",
  "order",
  "shipment",
  "ticket",
  "device",
  "sensor",
  "patient",
  "visit",
  "account",
  "payment",
  "document",
  "message",
  "task",
  "project",
  "asset",
  "license",
  "event",
  "session",
  "report",
].slice(0, TYPES);
const KEY_NAMES = ["status", "region", "owner", "label", "team", "color", "model", "topic"];
const STATUS = [
  "new",
  "open",
  "active",
  "pending",
  "review",
  "closed",
  "archived",
  "failed",
  "held",
  "done",
];
const typeKeys = TYPE_NAMES.map((type, i) => [
  "status",
  KEY_NAMES[1 + (i % 7)]!,
  KEY_NAMES[1 + ((i + 2) % 7)]!,
  `${type}_tag`,
  "server",
]);
const server = () => `server_${Math.floor(random() * SERVERS)}`;
const field = "A".repeat(48) + "." + "B".repeat(32) + "." + "C".repeat(40) + "." + "D".repeat(32);

function plainFor(typeIndex: number): Record<string, string> {
  const keys = typeKeys[typeIndex]!;
  return {
    [keys[0]!]: STATUS[Math.floor(random() * STATUS.length)]!,
    [keys[1]!]: word(),
    [keys[2]!]: word(),
    [keys[3]!]: word(),
    [keys[4]!]: server(),
  };
}

// ---- seeding ----

interface Opened {
  store: Store;
  /** Where the data lives, for the log. */
  where: string;
  /** Removes a throwaway database. */
  cleanup(): Promise<void>;
}

async function openStore(): Promise<Opened> {
  if (DATABASE === "postgres") {
    const schema = PG_SCHEMA;
    const store = await openPostgresStore(PG_URL, { schema, poolSize: 2 });
    return {
      store,
      where: `PostgreSQL schema ${schema}`,
      cleanup: async () => {
        if (flags.schema !== undefined) return;
        await withPostgres(
          schema,
          (sql) => sql.unsafe(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`),
        );
      },
    };
  }
  const temp = flags.db === undefined
    ? await Deno.makeTempDir({ prefix: "arca-search-bench-" })
    : null;
  const path = flags.db ?? `${temp}/bench.sqlite3`;
  return {
    store: await openSqliteStore(path, { cacheKib: CACHE_KIB }),
    where: `database ${path}`,
    cleanup: async () => {
      if (temp !== null) await Deno.remove(temp, { recursive: true });
    },
  };
}

/** Runs `job` on a direct connection to the PostgreSQL server, tables found in `schema`. */
async function withPostgres<T>(schema: string, job: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(PG_URL, {
    max: 1,
    onnotice: () => {},
    connection: { search_path: `${quoteIdentifier(schema)}, public` },
  });
  try {
    return await job(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function seed(store: Store): Promise<void> {
  const existing = await store.search.run(query({ limit: 1 }));
  if (existing.total > 0) {
    console.log(`database already seeded (search sees ${existing.total}+ records); not seeding`);
    return;
  }
  await store.accounts.create({ accountId: MAIN, name: "bench", created: START_MICROS });
  for (const clientId of [MAIN, OTHER]) {
    await store.clients.create({
      clientId,
      accountId: MAIN,
      name: clientId,
      publicKeyType: "curve25519",
      publicKey: "k".repeat(43),
      signingKeyType: null,
      signingKey: null,
      apiKeyId: clientId,
      apiSecretHash: "0".repeat(64),
      backupClientId: clientId,
      backedUp: null,
      created: START_MICROS,
    });
  }
  for (const type of TYPE_NAMES.slice(0, SHARED_TYPES)) {
    await store.policies.put({
      writerId: OTHER,
      userId: OTHER,
      readerId: MAIN,
      type,
      canRead: true,
      canAuthorize: false,
      canEdit: false,
      authorizedBy: OTHER,
      updated: START_MICROS,
    });
  }
  const started = performance.now();
  if (DATABASE === "postgres") await bulkLoadPostgres(started);
  else await seedSqlite(store, started);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seeding: ${RECORDS} records in ${seconds.toFixed(1)} s (${
      (RECORDS / seconds).toFixed(0)
    } records/s)`,
  );
}

let created = START_MICROS;

/** The next benchmark record (the same sequence on every backend). */
function nextRecord(): NewRecord {
  const typeIndex = Math.floor(random() * TYPES);
  const writer = random() < 0.99 ? MAIN : OTHER;
  created += 1 + Math.floor(random() * 60_000_000);
  return {
    recordId: crypto.randomUUID(),
    writerId: writer,
    userId: writer,
    type: TYPE_NAMES[typeIndex]!,
    plain: plainFor(typeIndex),
    data: { payload: field },
    recSig: null,
    fileMeta: null,
    created,
    lastModified: created,
    version: crypto.randomUUID(),
  };
}

async function seedSqlite(store: Store, started: number): Promise<void> {
  for (let done = 0; done < RECORDS; done += BATCH) {
    const batchStarted = performance.now();
    const count = Math.min(RECORDS, done + BATCH);
    await store.transaction(async (tx) => {
      for (let i = done; i < count; i++) await tx.records.insert(nextRecord());
    }, { bulk: true });
    const now = performance.now();
    const batchRate = (count - done) / ((now - batchStarted) / 1000);
    const rate = count / ((now - started) / 1000);
    console.log(
      `seeded ${count} records: this batch ${batchRate.toFixed(0)} records/s, overall ${
        rate.toFixed(0)
      } records/s`,
    );
  }
}

/** Multi-row INSERTs of the records, then the search index built in one pass, then VACUUM. */
async function bulkLoadPostgres(started: number): Promise<void> {
  await withPostgres(PG_SCHEMA, async (sql) => {
    await sql.begin(async (tx) => {
      for (let done = 0; done < RECORDS; done += PG_INSERT_ROWS) {
        const count = Math.min(RECORDS, done + PG_INSERT_ROWS);
        const rows = [];
        for (let i = done; i < count; i++) {
          const r = nextRecord();
          const data = JSON.stringify(r.data);
          rows.push({
            seq: i + 1,
            record_id: r.recordId,
            writer_id: r.writerId,
            user_id: r.userId,
            type: r.type,
            plain: JSON.stringify(r.plain),
            data,
            created: r.created,
            last_modified: r.lastModified,
            version: r.version,
            stored_bytes: data.length,
          });
        }
        await tx.unsafe(
          "INSERT INTO records (seq, record_id, writer_id, user_id, type, plain, data, created," +
            " last_modified, version, stored_bytes) SELECT * FROM json_to_recordset($1::text::json)" +
            " AS x(seq bigint, record_id text, writer_id text, user_id text, type text, plain text," +
            " data text, created bigint, last_modified bigint, version text, stored_bytes bigint)",
          [JSON.stringify(rows)],
        );
        if (count % 100_000 === 0 || count === RECORDS) {
          const rate = count / ((performance.now() - started) / 1000);
          console.log(`loaded ${count} records: ${rate.toFixed(0)} records/s`);
        }
      }
      await tx.unsafe("UPDATE counters SET value = $1 WHERE name = 'record_seq'", [RECORDS]);
    });
    const loaded = performance.now();
    await sql.begin(async (tx) => {
      await tx.unsafe("SET LOCAL maintenance_work_mem = '256MB'");
      await tx.unsafe("SET LOCAL work_mem = '256MB'");
      await rebuildSearchIndexPostgres(tx);
    });
    const indexed = performance.now();
    console.log(
      `indexed ${RECORDS} records in ${((indexed - loaded) / 1000).toFixed(1)} s (${
        (RECORDS / ((indexed - loaded) / 1000)).toFixed(0)
      } records/s)`,
    );
    await sql.unsafe(
      "VACUUM (ANALYZE) records, search_postings, search_tag_postings, search_terms",
    );
    console.log(`vacuumed in ${((performance.now() - indexed) / 1000).toFixed(1)} s`);
  });
}

// ---- queries ----

function query(overrides: Partial<SearchQuery>): SearchQuery {
  return {
    callerId: MAIN,
    includeAllWriters: false,
    match: [],
    exclude: [],
    range: null,
    descending: false,
    offset: 0,
    limit: 50,
    ...overrides,
  };
}

function clause(overrides: Partial<SearchClause>): SearchClause {
  return { ...emptyClause(), ...overrides };
}

function typo(text: string): string {
  const chars = [...text];
  const at = Math.floor(random() * chars.length);
  const letter = LETTERS[Math.floor(random() * 26)]!;
  const kind = random();
  if (kind < 0.4) chars[at] = letter;
  else if (kind < 0.7) chars.splice(at, 0, letter);
  else chars.splice(at, 1);
  return chars.join("");
}

function longWord(min: number): string {
  for (;;) {
    const candidate = word();
    if (candidate.length >= min) return candidate;
  }
}

const QUERY_KINDS: Record<string, () => SearchQuery> = {
  exact: () => query({ match: [clause({ values: [random() < 0.8 ? word() : server()] })] }),
  exact_tag: () => {
    const typeIndex = Math.floor(random() * TYPES);
    return query({ match: [clause({ tags: [[typeKeys[typeIndex]![1]!, word()]] })] });
  },
  exact_type: () =>
    query({ match: [clause({ types: [TYPE_NAMES[Math.floor(random() * TYPES)]!] })] }),
  wildcard_prefix: () => {
    const text = random() < 0.8 ? longWord(5) : server();
    return query({
      match: [
        clause({
          strategy: "WILDCARD",
          values: [`${text.slice(0, Math.min(text.length - 1, 4))}*`],
        }),
      ],
    });
  },
  wildcard_infix: () => {
    const text = longWord(6);
    return query({ match: [clause({ strategy: "WILDCARD", values: [`*${text.slice(1, 5)}*`] })] });
  },
  fuzzy: () => query({ match: [clause({ strategy: "FUZZY", values: [typo(longWord(4))] })] }),
  regexp: () => {
    const text = longWord(5);
    const shapes = [
      `${text.slice(0, 3)}.*`,
      `.*${text.slice(1, 4)}.*`,
      `${text.slice(0, 2)}[a-z]+${text.slice(-2)}`,
      `(${text}|${word()})`,
      `server_1[0-9]{2}`,
    ];
    return query({
      match: [
        clause({ strategy: "REGEXP", values: [shapes[Math.floor(random() * shapes.length)]!] }),
      ],
    });
  },
  combined_and: () => {
    const typeIndex = Math.floor(random() * TYPES);
    return query({
      match: [clause({ condition: "AND", types: [TYPE_NAMES[typeIndex]!], values: [word()] })],
    });
  },
  combined_or_exclude: () =>
    query({
      match: [clause({ values: [word(), word(), word()] }), clause({ types: [TYPE_NAMES[0]!] })],
      exclude: [clause({ values: [STATUS[Math.floor(random() * STATUS.length)]!] })],
    }),
  combined_range: () => {
    const span = RECORDS * 30_000_000;
    const after = START_MICROS + Math.floor(random() * span);
    return query({
      match: [clause({ values: [word()] })],
      range: { key: "CREATED", after, before: after + 30 * 86_400_000_000 },
    });
  },
  shared_all_writers: () =>
    query({
      includeAllWriters: true,
      match: [clause({ types: [TYPE_NAMES[Math.floor(random() * SHARED_TYPES)]!] })],
    }),
  paged_descending: () =>
    query({ match: [clause({ values: [word()] })], descending: true, offset: 100, limit: 100 }),
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function timeKind(store: Store, make: () => SearchQuery) {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < Math.min(20, QUERIES); i++) await store.search.run(make()); // warm-up
  for (let i = 0; i < QUERIES; i++) {
    const q = make();
    const start = performance.now();
    const page = await store.search.run(q);
    times.push(performance.now() - start);
    hits += page.total;
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: times.at(-1)!,
    meanTotal: hits / QUERIES,
  };
}

const { store, where, cleanup } = await openStore();
try {
  console.log(`search bench: ${RECORDS} records, ${QUERIES} queries per kind, ${where}`);
  await seed(store);
  const results: Record<string, { p50: number; p99: number; max: number; meanTotal: number }> = {};
  console.log("kind                   p50 ms   p99 ms   max ms   mean total_results");
  for (const [kind, make] of Object.entries(QUERY_KINDS)) {
    const r = results[kind] = await timeKind(store, make);
    console.log(
      `${kind.padEnd(22)} ${r.p50.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}  ` +
        `${r.max.toFixed(2).padStart(7)}   ${r.meanTotal.toFixed(0)}`,
    );
  }
  const f = (n: number) => n.toFixed(2);
  console.log(
    `summary: records=${RECORDS} exact_p50_ms=${f(results.exact!.p50)} exact_p99_ms=${
      f(results.exact!.p99)
    }` +
      ` wildcard_prefix_p50_ms=${f(results.wildcard_prefix!.p50)} fuzzy_p50_ms=${
        f(results.fuzzy!.p50)
      }` +
      ` regexp_p50_ms=${f(results.regexp!.p50)}`,
  );
} finally {
  await store.close();
  await cleanup();
}
