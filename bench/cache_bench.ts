/**
 * Local cache benchmark (`deno task bench:cache`), against `server.ts` in a subprocess on
 * loopback: reads of one 1 KiB container (header and content opened) through the default
 * `server_cache_ofs` provider with a warm cache, against the same reads through the `server`
 * provider, in the same run, by the same user.
 *
 * The last line is `summary: cached_get_ms=... server_get_ms=... cache_speedup=...` (mean
 * milliseconds per read; speedup = server / cached). `ARCA_BENCH_CACHE_ROUNDS` sets the reads
 * of each kind (default 300), `ARCA_CRYPTO_SUITE` the suite.
 *
 * @module
 */
import { Arca } from "../lib/sdk/users/app.ts";
import type { Session } from "../lib/sdk/users/session.ts";
import { suiteNameFromEnv } from "../lib/crypto/suites.ts";
import { spawnArcaServer } from "./subprocess.ts";

const ROUNDS = Number(Deno.env.get("ARCA_BENCH_CACHE_ROUNDS") ?? "300");
const TOKEN = "cache-bench-registration-token";
const CHEAP_KDF = { opslimit: 1, memlimit: 8192, iterations: 1000 };

/** Mean milliseconds of `rounds` reads of `id` (content read to the end). */
async function meanGetMs(session: Session, id: string, rounds: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const container = await session.containers.get(id);
    if ((await container.content!.bytes()).length !== 1024) throw new Error("short read");
  }
  return (performance.now() - started) / rounds;
}

const dataDir = await Deno.makeTempDir({ prefix: "arca-cache-bench-" });
const server = await spawnArcaServer({ ARCA_DATA_DIR: dataDir, ARCA_REGISTRATION_TOKEN: TOKEN });
try {
  const options = { serverUrl: server.url, suite: suiteNameFromEnv(), keyFileKdf: CHEAP_KDF };
  const cachedApp = await Arca.initialize(TOKEN, { ...options, rootDir: `${dataDir}/client` });
  const serverApp = await Arca.initialize(TOKEN, { ...options, provider: "server" });
  const cached = await cachedApp.users.create("Tr0ub4dor&3", "bench", "correct Horse battery 9");
  const direct = serverApp.resume(cached.client.config);
  const made = await cached.containers.create(crypto.getRandomValues(new Uint8Array(1024)), {
    header: { bench: true },
    type: "bench",
  });
  await meanGetMs(cached, made.id, 10); // Warm both paths (and the JIT).
  await meanGetMs(direct, made.id, 10);
  const serverMs = await meanGetMs(direct, made.id, ROUNDS);
  const cachedMs = await meanGetMs(cached, made.id, ROUNDS);
  console.log(`${ROUNDS} reads each of a 1 KiB container, suite ${options.suite}`);
  console.log(
    `summary: cached_get_ms=${cachedMs.toFixed(3)} server_get_ms=${serverMs.toFixed(3)} ` +
      `cache_speedup=${(serverMs / cachedMs).toFixed(1)}`,
  );
  await cached.logout({ purge: true });
} finally {
  await server.stop();
  await Deno.remove(dataDir, { recursive: true });
}
