/**
 * Server load benchmark (`deno task bench:server`): a real Arca server on loopback against a
 * trivial Hono route, in one run.
 *
 * - Two subprocesses, so load generation and serving never share an event loop: the Arca server
 *   (`server.ts` with `ARCA_*` settings, a fresh data directory, a free port) and the baseline,
 *   `bench/hello_server.ts` (a bare Hono app answering `GET /hello`, no I/O). Arca's own
 *   `/healthz` reads the store, so it is not the baseline.
 * - Setup through the SDK: register a client, write `ARCA_BENCH_RECORDS` signed records of ten
 *   ~100-byte fields. Then one bearer token from `POST /v1/auth/token`, and request bodies built
 *   once from those records' wire form (ciphertext and `rec_sig`), so no client-side crypto runs
 *   while measuring.
 * - Routes: hello (`GET /hello`), read (`GET /v1/storage/records/{id}`, cycling over the
 *   records), write (`POST /v1/storage/records`, cycling over the prepared bodies).
 * - Each route: a warm-up (`ARCA_BENCH_WARMUP_SECONDS`, 1), then `ARCA_BENCH_CONCURRENCY` (32)
 *   keep-alive connections with one request in flight each, until `ARCA_BENCH_SECONDS` (3) pass
 *   or `ARCA_BENCH_MAX_REQUESTS` are sent, by a small HTTP/1.1 client over `Deno.connect`
 *   (`bench/http_load.ts`): requests are encoded in advance, so the client costs a few µs per
 *   request (`fetch` costs several times more and would cap the hello route). Every status is
 *   checked; any failure ends the run.
 * - `ARCA_BENCH_ROUNDS` (3) rounds of hello, read, write, so every route sees the same machine
 *   conditions; each route's best round is reported (the least disturbed by other processes),
 *   with every round's rps beside it.
 * - `ARCA_BENCH_TOOL=wrk` sends the same requests with `wrk` (2 threads) instead.
 * - CPU seconds of the server process and of this one come from `/proc` (Linux): "server µs/req"
 *   is the server's CPU time per request, steadier than rps on a busy machine, and a load
 *   generator near 100% of a core means the route measured the client, not the server.
 * - `ARCA_BENCH_ROUTES=read,write` measures only some routes (no summary then);
 *   `ARCA_BENCH_SERVER_FLAGS="--v8-flags=--prof"` passes flags to the server's `deno run`;
 *   `ARCA_BENCH_RECORD_CACHE_BYTES=0` runs the server without its record cache.
 * - `ARCA_BENCH_DATABASE=postgres` runs the server on PostgreSQL (`ARCA_DATABASE_URL`): a fresh
 *   database is created on the server of `ARCA_BENCH_DATABASE_URL` (default `DATABASE_URL`) and
 *   dropped afterwards. `ARCA_BENCH_INSTANCES=2` (PostgreSQL only) starts that many servers on the
 *   one database and loads them at once, the connections split evenly; read and write report the
 *   instances' total rate (server CPU summed, latencies the worst instance's).
 *
 * Prints a table, then one last line `summary: hello_rps=... read_rps=... write_rps=...
 * read_ratio=... write_ratio=...` (ratios against hello). Targets: read ≥ 0.2, write ≥ 0.1 on
 * SQLite; read ≥ 0.1, write ≥ 0.03 on PostgreSQL (one instance).
 *
 * @module
 */
import postgres from "postgres";
import { Client } from "../mod.ts";
import { httpLoad, type LoadRun, type LoadTarget } from "./http_load.ts";
import { SERVER_PATH, SERVER_PERMISSIONS, spawnDeno, type Subprocess } from "./subprocess.ts";
import { assertWrkInstalled, wrkLoad } from "./wrk_load.ts";

const HELLO_PATH = new URL("./hello_server.ts", import.meta.url).pathname;
const CLOCK_TICKS_PER_SECOND = 100;
const RECORD_TYPE = "bench";
const FIELDS_PER_RECORD = 10;
const FIELD_CHARS = 100;
const WRITE_BODIES = 64;
const ROUTE_NAMES = ["hello", "read", "write"];

interface Settings {
  concurrency: number;
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  maxRequests: number;
  records: number;
  tool: "socket" | "wrk";
  /** Routes to measure (the summary needs all three). */
  routes: string[];
  /** Extra `deno run` flags for the Arca server, e.g. `--v8-flags=--prof` to profile it. */
  serverFlags: string[];
  /** The server's `ARCA_RECORD_CACHE_BYTES` (default: the server's own default). */
  recordCacheBytes: string | undefined;
  /** The store: SQLite in a fresh data directory, or a fresh PostgreSQL database. */
  database: "sqlite" | "postgres";
  /** Server processes sharing the database (more than one needs PostgreSQL). */
  instances: number;
}

function readSettings(): Settings {
  const tool = Deno.env.get("ARCA_BENCH_TOOL") ?? "socket";
  if (tool !== "socket" && tool !== "wrk") {
    throw new Error(`ARCA_BENCH_TOOL must be "socket" or "wrk", got "${tool}"`);
  }
  return {
    concurrency: envInteger("ARCA_BENCH_CONCURRENCY", 32, 1, 1024),
    seconds: envInteger("ARCA_BENCH_SECONDS", 3, 1, 600),
    rounds: envInteger("ARCA_BENCH_ROUNDS", 3, 1, 100),
    warmupSeconds: envInteger("ARCA_BENCH_WARMUP_SECONDS", 1, 0, 60),
    maxRequests: envInteger("ARCA_BENCH_MAX_REQUESTS", 500_000, 100, 10_000_000),
    records: envInteger("ARCA_BENCH_RECORDS", 256, 1, 100_000),
    tool,
    routes: readRoutes(),
    serverFlags: (Deno.env.get("ARCA_BENCH_SERVER_FLAGS") ?? "").split(" ").filter((f) => f !== ""),
    recordCacheBytes: Deno.env.get("ARCA_BENCH_RECORD_CACHE_BYTES"),
    ...readDatabase(),
  };
}

function readDatabase(): Pick<Settings, "database" | "instances"> {
  const database = Deno.env.get("ARCA_BENCH_DATABASE") ?? "sqlite";
  if (database !== "sqlite" && database !== "postgres") {
    throw new Error(`ARCA_BENCH_DATABASE must be "sqlite" or "postgres", got "${database}"`);
  }
  const instances = envInteger("ARCA_BENCH_INSTANCES", 1, 1, 8);
  if (instances > 1 && database !== "postgres") {
    throw new Error("ARCA_BENCH_INSTANCES above 1 needs ARCA_BENCH_DATABASE=postgres");
  }
  return { database, instances };
}

/** A fresh database on the PostgreSQL server named by the environment, and its removal. */
async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = Deno.env.get("ARCA_BENCH_DATABASE_URL") ?? Deno.env.get("DATABASE_URL");
  if (serverUrl === undefined || serverUrl === "") {
    throw new Error("ARCA_BENCH_DATABASE=postgres needs ARCA_BENCH_DATABASE_URL or DATABASE_URL");
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function readRoutes(): string[] {
  const routes = (Deno.env.get("ARCA_BENCH_ROUTES") ?? ROUTE_NAMES.join(","))
    .split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = routes.filter((name) => !ROUTE_NAMES.includes(name));
  if (routes.length === 0 || unknown.length > 0) {
    throw new Error(`ARCA_BENCH_ROUTES must list some of ${ROUTE_NAMES.join(", ")}`);
  }
  return routes;
}

function envInteger(name: string, fallback: number, min: number, max: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

// ---- subprocesses ----

/**
 * User + system CPU seconds of a process from Linux `/proc` (Deno lets only `-A` read it), or
 * `NaN` when it cannot be read.
 */
function cpuSeconds(pid: number | "self"): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: state is field 3, utime field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

// ---- setup through the SDK ----

interface Fixture {
  bearer: string;
  recordIds: string[];
  writeBodies: string[];
}

function fieldText(seed: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-";
  let text = "";
  for (let i = 0; i < FIELD_CHARS; i++) text += alphabet[(seed * 31 + i * 7) % alphabet.length];
  return text;
}

function sampleData(seed: number): Record<string, string> {
  const data: Record<string, string> = {};
  for (let i = 0; i < FIELDS_PER_RECORD; i++) data[`field${i}`] = fieldText(seed + i);
  return data;
}

async function prepareFixture(apiUrl: string, token: string, records: number): Promise<Fixture> {
  const registration = await Client.register(token, "server-load", await Client.generateKeypair(), {
    apiUrl,
    signingKeys: await Client.generateSigningKeypair(),
    backup: false,
  });
  const client = new Client(registration.config);
  const first = await client.write(RECORD_TYPE, sampleData(0), { n: "0" });
  const recordIds = [first.meta.recordId];
  for (let start = 1; start < records; start += 16) {
    const batch = [];
    for (let n = start; n < Math.min(start + 16, records); n++) {
      batch.push(client.write(RECORD_TYPE, sampleData(n), { n: String(n) }));
    }
    for (const record of await Promise.all(batch)) recordIds.push(record.meta.recordId);
  }
  const bearer = await fetchBearer(apiUrl, registration.apiKeyId, registration.apiSecret);
  const writeBodies: string[] = [];
  for (const id of recordIds.slice(0, WRITE_BODIES)) {
    writeBodies.push(writeBodyFrom(await fetchJson(`${apiUrl}/v1/storage/records/${id}`, bearer)));
  }
  return { bearer, recordIds, writeBodies };
}

async function fetchBearer(apiUrl: string, apiKeyId: string, apiSecret: string): Promise<string> {
  const response = await fetch(`${apiUrl}/v1/auth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${apiKeyId}:${apiSecret}`)}` },
    body: "grant_type=client_credentials",
  });
  const body = await response.json();
  if (response.status !== 200 || typeof body.access_token !== "string") {
    throw new Error(`POST /v1/auth/token answered ${response.status}`);
  }
  return body.access_token;
}

// deno-lint-ignore no-explicit-any
async function fetchJson(url: string, bearer: string): Promise<any> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return body;
}

/** A `POST /v1/storage/records` body carrying a stored record's ciphertext and signature. */
// deno-lint-ignore no-explicit-any
function writeBodyFrom(record: any): string {
  const { writer_id, user_id, type, plain } = record.meta;
  return JSON.stringify({
    meta: { writer_id, user_id, type, plain },
    data: record.data,
    ...(record.rec_sig === undefined ? {} : { rec_sig: record.rec_sig }),
  });
}

// ---- load ----

interface Result extends LoadRun {
  name: string;
  rps: number;
  /** Server CPU seconds per wall second. */
  serverCpu: number;
  /** Server CPU microseconds per request. */
  serverMicros: number;
  /** This process's CPU seconds per wall second. */
  benchCpu: number;
}

/** Loads every target at once (one per server instance), the connections split evenly. */
async function measure(
  targets: LoadTarget[],
  serverPids: number[],
  settings: Settings,
  warmupSeconds: number,
  workDir: string,
): Promise<Result> {
  const loadOne = (target: LoadTarget, seconds: number) => {
    const options = {
      concurrency: Math.max(1, Math.round(settings.concurrency / targets.length)),
      seconds,
      maxRequests: Math.ceil(settings.maxRequests / targets.length),
    };
    return settings.tool === "wrk" ? wrkLoad(target, options, workDir) : httpLoad(target, options);
  };
  const load = async (seconds: number): Promise<LoadRun> => {
    const runs = await Promise.all(targets.map((target) => loadOne(target, seconds)));
    return {
      requests: runs.reduce((sum, run) => sum + run.requests, 0),
      seconds: Math.max(...runs.map((run) => run.seconds)),
      p50: Math.max(...runs.map((run) => run.p50)),
      p99: Math.max(...runs.map((run) => run.p99)),
    };
  };
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  if (warmupSeconds > 0) await load(warmupSeconds);
  const serverBefore = serverCpu();
  const benchBefore = cpuSeconds("self");
  const run = await load(settings.seconds);
  const serverSeconds = serverCpu() - serverBefore;
  return {
    name: targets[0]!.name,
    ...run,
    rps: run.requests / run.seconds,
    serverCpu: serverSeconds / run.seconds,
    serverMicros: serverSeconds * 1e6 / run.requests,
    benchCpu: (cpuSeconds("self") - benchBefore) / run.seconds,
  };
}

/** The round with the most requests per second: the one least disturbed by other work. */
function bestRound(results: Result[]): Result {
  return results.reduce((best, result) => result.rps > best.rps ? result : best);
}

// ---- report ----

function printTable(results: Result[], rounds: Result[][], settings: Settings): void {
  const header = [
    "route",
    "requests",
    "seconds",
    "rps",
    "rps rounds",
    "p50 ms",
    "p99 ms",
    "server cpu",
    "server µs/req",
    "bench cpu",
  ];
  const rows = results.map((r, index) => [
    r.name,
    String(r.requests),
    r.seconds.toFixed(2),
    r.rps.toFixed(0),
    rounds[index]!.map((round) => round.rps.toFixed(0)).join("/"),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    percent(r.serverCpu),
    Number.isNaN(r.serverMicros) ? "-" : r.serverMicros.toFixed(0),
    settings.tool === "wrk" ? "-" : percent(r.benchCpu),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))
      .join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function percent(fraction: number): string {
  return Number.isNaN(fraction) ? "-" : `${(fraction * 100).toFixed(0)}%`;
}

// ---- main ----

async function main(): Promise<void> {
  const settings = readSettings();
  if (settings.tool === "wrk") await assertWrkInstalled();
  const workDir = await Deno.makeTempDir({ prefix: "arca-bench-" });
  const registrationToken = crypto.randomUUID() + crypto.randomUUID();
  const started: Subprocess[] = [];
  const database = settings.database === "postgres" ? await freshPostgresDatabase() : undefined;
  try {
    const env = {
      ARCA_DATA_DIR: `${workDir}/data`,
      ARCA_HOST: "127.0.0.1",
      ARCA_PORT: "0",
      ARCA_REGISTRATION_TOKEN: registrationToken,
      ...(settings.recordCacheBytes === undefined
        ? {}
        : { ARCA_RECORD_CACHE_BYTES: settings.recordCacheBytes }),
      ...(database === undefined ? {} : { ARCA_DATABASE_URL: database.url }),
    };
    const arcas: Subprocess[] = [];
    for (let n = 0; n < settings.instances; n++) {
      // One at a time: the first creates the schema, the others find it.
      const arca = await spawnDeno(
        SERVER_PATH,
        [...SERVER_PERMISSIONS, ...settings.serverFlags],
        env,
      );
      started.push(arca);
      arcas.push(arca);
    }
    const arca = arcas[0]!;
    const hello = await spawnDeno(HELLO_PATH, ["--allow-net", "--allow-env"], { ARCA_PORT: "0" });
    started.push(hello);
    const fixture = await prepareFixture(arca.url, registrationToken, settings.records);
    const auth = { authorization: `Bearer ${fixture.bearer}` };
    console.log(
      `tool=${settings.tool} concurrency=${settings.concurrency} seconds=${settings.seconds}` +
        ` rounds=${settings.rounds}` +
        ` records=${fixture.recordIds.length} (${FIELDS_PER_RECORD} fields x ${FIELD_CHARS} chars)` +
        ` database=${settings.database} instances=${settings.instances}`,
    );
    const plan: [LoadTarget[], Subprocess[]][] = [
      [[{
        name: "hello",
        method: "GET",
        expectStatus: 200,
        urls: [`${hello.url}/hello`],
        headers: {},
        bodies: [],
      }], [hello]],
      [
        arcas.map((instance) => ({
          name: "read",
          method: "GET",
          expectStatus: 200,
          urls: fixture.recordIds.map((id) => `${instance.url}/v1/storage/records/${id}`),
          headers: auth,
          bodies: [],
        })),
        arcas,
      ],
      [
        arcas.map((instance) => ({
          name: "write",
          method: "POST",
          expectStatus: 201,
          urls: [`${instance.url}/v1/storage/records`],
          headers: { ...auth, "content-type": "application/json" },
          bodies: fixture.writeBodies,
        })),
        arcas,
      ],
    ];
    const chosen = plan.filter(([targets]) => settings.routes.includes(targets[0]!.name));
    const rounds: Result[][] = chosen.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [index, [targets, servers]] of chosen.entries()) {
        const warmup = round === 0 ? settings.warmupSeconds : 0;
        const pids = servers.map((server) => server.pid);
        rounds[index]!.push(await measure(targets, pids, settings, warmup, workDir));
      }
    }
    const results = rounds.map(bestRound);
    printTable(results, rounds, settings);
    if (results.length < plan.length) return;
    const [helloRps, readRps, writeRps] = results.map((r) => r.rps) as [number, number, number];
    console.log(
      `summary: hello_rps=${helloRps.toFixed(0)} read_rps=${readRps.toFixed(0)}` +
        ` write_rps=${writeRps.toFixed(0)} read_ratio=${(readRps / helloRps).toFixed(3)}` +
        ` write_ratio=${(writeRps / helloRps).toFixed(3)}`,
    );
  } finally {
    for (const process of started.reverse()) await process.stop();
    await database?.drop();
    await Deno.remove(workDir, { recursive: true });
  }
}

if (import.meta.main) await main();
