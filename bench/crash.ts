/**
 * Crash safety (`deno task crash`): `server.ts` runs as a subprocess on a temp data directory
 * while `ARCA_CRASH_WORKERS` (8) clients write new records and update acknowledged ones through
 * real HTTP; at a random moment the server gets SIGKILL. It is restarted on the same directory
 * and every acknowledged write is read back: it must exist with its data, at the version of its
 * last acknowledged update, or else hold exactly the data of an update that was in flight at
 * the kill (which may or may not have committed). `ARCA_CRASH_ROUNDS` (10) rounds, each ending
 * in a kill; the directory and the acknowledged set carry over, so every round re-checks all
 * earlier ones. `ARCA_CRASH_SEED` seeds the kill moments.
 *
 * The last line: `summary: rounds=R acked=N lost=0` (exit code 1 when anything was lost).
 *
 * @module
 */
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { spawnArcaServer, type Subprocess } from "./subprocess.ts";

const TYPE = "crash";

/** Options of {@linkcode crashCampaign}. */
export interface CrashOptions {
  rounds: number;
  workers?: number;
  /** Seeds the kill moments (default: the time). */
  seed?: number;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

/** What a campaign found. */
export interface CrashResult {
  rounds: number;
  /** Acknowledged writes and updates. */
  acked: number;
  /** Acknowledged records missing or not at an acknowledged (or in-flight) state. */
  lost: number;
  /** What was lost, one line each. */
  problems: string[];
}

/** What the client knows of one record: its last acknowledged state and any in-flight update. */
interface Known {
  version: string;
  field: string;
  inFlight: string[];
}

interface Session {
  url: string;
  token: string;
  clientId: string;
}

function fakeField(): string {
  const part = (n: number) => encodeBase64Url(crypto.getRandomValues(new Uint8Array(n)));
  return `${part(48)}.${part(24)}.${part(24)}.${part(24)}`;
}

/** A small deterministic generator (mulberry32) for the kill moments. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// deno-lint-ignore no-explicit-any
async function json(response: Response): Promise<{ status: number; body: any }> {
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

async function login(url: string, credentials: { apiKeyId: string; apiSecret: string }) {
  const reply = await json(
    await fetch(`${url}/v1/auth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${credentials.apiKeyId}:${credentials.apiSecret}`)}`,
      },
      body: "grant_type=client_credentials",
    }),
  );
  if (reply.status !== 200) throw new Error(`token: ${reply.status}`);
  return reply.body.access_token as string;
}

async function register(url: string, registrationToken: string) {
  const key = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const reply = await json(
    await fetch(`${url}/v1/account/e3db/clients/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: registrationToken,
        client: { name: "crash", public_key: { curve25519: key } },
      }),
    }),
  );
  if (reply.status !== 201) throw new Error(`register: ${reply.status}`);
  return {
    clientId: reply.body.client_id as string,
    apiKeyId: reply.body.api_key_id as string,
    apiSecret: reply.body.api_secret as string,
  };
}

/** Writes and updates until the server stops answering; returns how many were acknowledged. */
async function load(session: Session, known: Map<string, Known>, worker: number): Promise<number> {
  const headers = {
    authorization: `Bearer ${session.token}`,
    "content-type": "application/json",
  };
  let acked = 0;
  for (let step = 0;; step++) {
    const mine = [...known.keys()].filter((_, i) => i % 8 === worker % 8);
    const updateId = step % 2 === 1 && mine.length > 0 ? mine[step % mine.length]! : undefined;
    const field = fakeField();
    const meta = { writer_id: session.clientId, user_id: session.clientId, type: TYPE };
    try {
      if (updateId === undefined) {
        const reply = await json(
          await fetch(`${session.url}/v1/storage/records`, {
            method: "POST",
            headers,
            body: JSON.stringify({ meta, data: { field } }),
          }),
        );
        if (reply.status !== 201) throw new Error(`write answered ${reply.status}`);
        known.set(reply.body.meta.record_id, {
          version: reply.body.meta.version,
          field,
          inFlight: [],
        });
      } else {
        const record = known.get(updateId)!;
        if (record.inFlight.length > 0) continue; // one update at a time per record
        record.inFlight.push(field);
        const reply = await json(
          await fetch(`${session.url}/v1/storage/records/safe/${updateId}/${record.version}`, {
            method: "PUT",
            headers,
            body: JSON.stringify({ meta: { ...meta, plain: {} }, data: { field } }),
          }),
        );
        if (reply.status !== 200) throw new Error(`update answered ${reply.status}`);
        record.version = reply.body.meta.version;
        record.field = field;
        record.inFlight = [];
      }
      acked++;
    } catch (error) {
      // The server is gone: the connection failed, or the answer was cut short.
      if (error instanceof TypeError || error instanceof SyntaxError) return acked;
      throw error;
    }
  }
}

/** Reads every known record back; fixes up in-flight updates that did commit. */
async function verify(session: Session, known: Map<string, Known>): Promise<string[]> {
  const problems: string[] = [];
  for (const [recordId, record] of known) {
    const reply = await json(
      await fetch(`${session.url}/v1/storage/records/${recordId}`, {
        headers: { authorization: `Bearer ${session.token}` },
      }),
    );
    if (reply.status !== 200) {
      problems.push(`${recordId}: acknowledged, now ${reply.status}`);
      continue;
    }
    const field = reply.body.data.field as string;
    const version = reply.body.meta.version as string;
    if (version === record.version && field === record.field) {
      record.inFlight = [];
    } else if (record.inFlight.includes(field)) {
      record.version = version; // the in-flight update committed before the kill
      record.field = field;
      record.inFlight = [];
    } else {
      problems.push(`${recordId}: expected version ${record.version}, found ${version}`);
    }
  }
  return problems;
}

/**
 * Runs the campaign: rounds of load and SIGKILL, each followed by a restart and a full read-back.
 *
 * @example
 * ```ts ignore
 * // Starts server subprocesses (needs --allow-run).
 * const result = await crashCampaign({ rounds: 2 });
 * ```
 */
export async function crashCampaign(options: CrashOptions): Promise<CrashResult> {
  const log = options.log ?? (() => {});
  const workers = options.workers ?? 8;
  const next = random(options.seed ?? Date.now());
  const dataDir = await Deno.makeTempDir({ prefix: "arca-crash-" });
  const registrationToken = crypto.randomUUID();
  const env = { ARCA_DATA_DIR: dataDir, ARCA_REGISTRATION_TOKEN: registrationToken };
  const known = new Map<string, Known>();
  const problems: string[] = [];
  let acked = 0;
  let server: Subprocess | undefined;
  try {
    server = await spawnArcaServer(env);
    const credentials = await register(server.url, registrationToken);
    for (let round = 1; round <= options.rounds; round++) {
      const session = {
        url: server.url,
        token: await login(server.url, credentials),
        clientId: credentials.clientId,
      };
      const running = Array.from({ length: workers }, (_, i) => load(session, known, i));
      await new Promise((resolve) => setTimeout(resolve, 300 + next() * 1200));
      server.kill("SIGKILL");
      await server.status;
      const counts = await Promise.all(running);
      acked += counts.reduce((sum, n) => sum + n, 0);
      server = await spawnArcaServer(env);
      const found = await verify(
        { ...session, url: server.url, token: await login(server.url, credentials) },
        known,
      );
      problems.push(...found.map((line) => `round ${round}: ${line}`));
      log(`round ${round}: acked ${acked} so far, ${known.size} records, lost ${found.length}`);
    }
  } finally {
    await server?.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
  return { rounds: options.rounds, acked, lost: problems.length, problems };
}

async function main(): Promise<number> {
  const rounds = Number(Deno.env.get("ARCA_CRASH_ROUNDS") ?? "10");
  const workers = Number(Deno.env.get("ARCA_CRASH_WORKERS") ?? "8");
  const seedText = Deno.env.get("ARCA_CRASH_SEED");
  const seed = seedText === undefined ? Date.now() % 2 ** 31 : Number(seedText);
  console.log(`crash: ${rounds} rounds, ${workers} workers, seed ${seed}`);
  const result = await crashCampaign({ rounds, workers, seed, log: console.log });
  for (const problem of result.problems) console.error(problem);
  console.log(`summary: rounds=${result.rounds} acked=${result.acked} lost=${result.lost}`);
  return result.lost === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
