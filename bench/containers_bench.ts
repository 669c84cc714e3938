/**
 * Containers benchmark (`deno task bench:containers`), against `server.ts` in a subprocess on
 * loopback (so the client's RSS is its own):
 *
 * - `big_mbps` / `big_rss_mb`: a 1 GiB container created from a stream and read back as a
 *   stream (MB/s = 10^6 plaintext bytes per second, the slower direction), and the client's
 *   peak RSS (Linux `VmHWM`) over both. Measured first, in a fresh process.
 * - `container_ops` / `record_ops` / `container_ratio`: create + get of a 1 KiB container shared
 *   with 3 users, against write + read of a 1 KiB record through the SDK (pairs per second).
 * - `sse_p99_ms`: 100 users each subscribed to the event stream; the 99th percentile of
 *   commit-to-delivery time (the event's `date` to its arrival) over a series of updates of a
 *   container they share.
 *
 * The last line is `summary: container_ops=... record_ops=... container_ratio=... sse_p99_ms=...
 * big_mbps=... big_rss_mb=...`. `ARCA_BENCH_CONTAINER_MIB` sets the big size (default 1024),
 * `ARCA_BENCH_CONTAINER_ROUNDS` the small rounds (default 200), `ARCA_CRYPTO_SUITE` the suite.
 * Users get the cheapest key-file KDF: the KDF is `bench:users`' subject, not this one's.
 *
 * @module
 */
import { Arca } from "../lib/sdk/users/app.ts";
import type { Session } from "../lib/sdk/users/session.ts";
import { suiteNameFromEnv } from "../lib/crypto/suites.ts";
import { spawnArcaServer } from "./subprocess.ts";

const MIB = 1024 * 1024;
const BIG_BYTES = Number(Deno.env.get("ARCA_BENCH_CONTAINER_MIB") ?? "1024") * MIB;
const ROUNDS = Number(Deno.env.get("ARCA_BENCH_CONTAINER_ROUNDS") ?? "200");
const SUBSCRIBERS = 100;
const SSE_UPDATES = 30;
const TOKEN = "containers-bench-registration-token";
const PASSWORD = "Tr0ub4dor&3";
const CHEAP_KDF = { opslimit: 1, memlimit: 8192, iterations: 1000 };

/** Peak resident set size of this process in bytes (`VmHWM`), or 0 off Linux. */
function peakRss(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `size` bytes of a repeated random 1 MiB pattern, in 64 KiB chunks. */
function patternStream(size: number): ReadableStream<Uint8Array> {
  const pool = new Uint8Array(MIB);
  for (let i = 0; i < MIB; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const length = Math.min(65536, size - sent);
      const offset = sent % MIB;
      controller.enqueue(pool.slice(offset, offset + length));
      sent += length;
    },
  }, { highWaterMark: 0 });
}

function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

async function users(app: Arca, count: number): Promise<Session[]> {
  const made: Session[] = [];
  for (let i = 0; i < count; i++) {
    made.push(await app.users.create(PASSWORD, "", "correct Horse battery 9"));
  }
  return made;
}

/** A 1 GiB container through create and get: MB/s each way and the client's peak RSS. */
async function bigContainer(alice: Session) {
  let start = performance.now();
  const made = await alice.containers.create(patternStream(BIG_BYTES), { length: BIG_BYTES });
  const up = mbps(BIG_BYTES, performance.now() - start);
  start = performance.now();
  const read = await alice.containers.get(made.id);
  let bytes = 0;
  for await (const chunk of read.content!.stream()) bytes += chunk.length;
  const down = mbps(BIG_BYTES, performance.now() - start);
  if (bytes !== BIG_BYTES) throw new Error(`read ${bytes} bytes, wrote ${BIG_BYTES}`);
  await alice.containers.delete(made.id);
  return { up, down, rss: peakRss() };
}

/** Create + get of a 1 KiB container shared with 3 users vs write + read of a 1 KiB record. */
async function smallOperations(alice: Session, others: Session[]) {
  const text = "x".repeat(1024);
  const access = {
    [alice.userId]: { permissions: 127 },
    ...Object.fromEntries(others.map((other) => [other.userId, {}])),
  };
  await alice.containers.get((await alice.containers.create(text, { access })).id); // Warm-up.
  let start = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const made = await alice.containers.create(text, { access });
    await alice.containers.get(made.id);
  }
  const containerOps = ROUNDS / ((performance.now() - start) / 1000);
  await alice.client.read((await alice.client.write("bench", { text })).meta.recordId);
  start = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const record = await alice.client.write("bench", { text });
    await alice.client.read(record.meta.recordId);
  }
  const recordOps = ROUNDS / ((performance.now() - start) / 1000);
  return { containerOps, recordOps };
}

/** 100 subscribed users: commit-to-delivery times of the events of a shared container. */
async function eventLatency(alice: Session, subscribers: Session[]): Promise<number> {
  const made = await alice.containers.create("watched", {
    access: {
      [alice.userId]: { permissions: 127 },
      ...Object.fromEntries(subscribers.map((user) => [user.userId, {}])),
    },
  });
  const latencies: number[] = [];
  const subscriptions = subscribers.map((user) =>
    user.events.subscribe({ containerId: made.id, action: "updated" })
  );
  await Promise.all(subscriptions.map((subscription) => subscription.ready));
  const readers = subscriptions.map(async (subscription) => {
    let seen = 0;
    for await (const event of subscription) {
      latencies.push(Date.now() - event.date.getTime());
      if (++seen === SSE_UPDATES) break;
    }
  });
  for (let i = 0; i < SSE_UPDATES; i++) {
    await alice.containers.update(made.id, { type: `t${i}` });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(readers);
  latencies.sort((a, b) => a - b);
  return latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
}

const dataDir = await Deno.makeTempDir({ prefix: "arca-containers-bench-" });
const server = await spawnArcaServer({ ARCA_DATA_DIR: dataDir, ARCA_REGISTRATION_TOKEN: TOKEN });
try {
  const suite = suiteNameFromEnv();
  const app = await Arca.initialize(TOKEN, {
    serverUrl: server.url,
    rootDir: dataDir,
    provider: "server", // The server path; bench:cache measures the local cache.
    suite,
    keyFileKdf: CHEAP_KDF,
  });
  const [alice, ...others] = await users(app, 4);
  const big = await bigContainer(alice!);
  console.log(
    `big: ${BIG_BYTES / MIB} MiB, create ${big.up.toFixed(1)} MB/s, get ${
      big.down.toFixed(1)
    } MB/s, client peak RSS ${(big.rss / MIB).toFixed(0)} MiB`,
  );
  const small = await smallOperations(alice!, others);
  console.log(
    `small: ${small.containerOps.toFixed(0)} container create+get/s, ${
      small.recordOps.toFixed(0)
    } record write+read/s`,
  );
  const subscribers = await users(app, SUBSCRIBERS);
  const p99 = await eventLatency(alice!, subscribers);
  console.log(`events: ${SUBSCRIBERS} subscribers, commit-to-delivery p99 ${p99} ms`);
  console.log(
    `summary: container_ops=${small.containerOps.toFixed(0)} record_ops=${
      small.recordOps.toFixed(0)
    } container_ratio=${(small.containerOps / small.recordOps).toFixed(2)} sse_p99_ms=${p99} ` +
      `big_mbps=${Math.min(big.up, big.down).toFixed(1)} big_rss_mb=${
        (big.rss / 1e6).toFixed(0)
      } suite=${suite}`,
  );
} finally {
  await server.stop();
  await Deno.remove(dataDir, { recursive: true });
}
