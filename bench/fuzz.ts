/**
 * The fuzzer (`deno task fuzz`): at least `ARCA_FUZZ_REQUESTS` (100,000) generated requests
 * (`bench/fuzz_requests.ts`) over every route of a real server, on loopback only.
 *
 * - By default it starts `server.ts` as a subprocess on a fresh data directory (64 KiB body
 *   limit, so the limit is reached cheaply) and watches it: if the process dies, the run stops.
 *   With `ARCA_API_URL` (a loopback URL) it targets that server instead, registering with
 *   `ARCA_REGISTRATION_TOKEN` (and using `ARCA_ADMIN_TOKEN`, if set).
 * - `ARCA_FUZZ_SEED` (default: the time) seeds fast-check; batch `i` of 1,000 requests uses
 *   seed + i, so a finding can be replayed. `ARCA_FUZZ_CONCURRENCY` (16) requests are in flight
 *   at once. `ARCA_FUZZ_SECONDS` (1,200) bounds the run; it stops by itself either way.
 * - Every 5xx is printed with its request. A crash is the server process dying or a connection
 *   being refused or reset.
 *
 * The last line: `summary: requests=N status_5xx=0 crashes=0` (exit code 1 unless both are 0
 * and N reached the target).
 *
 * @module
 */
import fc from "fast-check";
import { prepareFuzzContext } from "./fuzz_context.ts";
import { type FuzzRequest, fuzzRequestArbitrary, sendFuzzRequest } from "./fuzz_requests.ts";
import { spawnArcaServer, type Subprocess } from "./subprocess.ts";

const BATCH = 1_000;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function intSetting(name: string, fallback: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be an integer`);
  return value;
}

interface Target {
  url: string;
  registrationToken: string;
  adminToken: string;
  server?: Subprocess;
  dataDir?: string;
}

async function openTarget(): Promise<Target> {
  const apiUrl = Deno.env.get("ARCA_API_URL");
  if (apiUrl !== undefined && apiUrl !== "") {
    if (!LOOPBACK.has(new URL(apiUrl).hostname)) {
      throw new Error(`The fuzzer targets loopback only, not ${apiUrl}`);
    }
    const registrationToken = Deno.env.get("ARCA_REGISTRATION_TOKEN") ?? "";
    if (registrationToken === "") throw new Error("ARCA_API_URL needs ARCA_REGISTRATION_TOKEN");
    return {
      url: apiUrl.replace(/\/+$/, ""),
      registrationToken,
      adminToken: Deno.env.get("ARCA_ADMIN_TOKEN") ?? "",
    };
  }
  const dataDir = await Deno.makeTempDir({ prefix: "arca-fuzz-" });
  const registrationToken = crypto.randomUUID();
  const adminToken = crypto.randomUUID();
  const server = await spawnArcaServer({
    ARCA_DATA_DIR: dataDir,
    ARCA_REGISTRATION_TOKEN: registrationToken,
    ARCA_ADMIN_TOKEN: adminToken,
    ARCA_MAX_BODY_BYTES: "65536",
  });
  return { url: server.url, registrationToken, adminToken, server, dataDir };
}

function describe(request: FuzzRequest): string {
  const body = request.body instanceof Uint8Array
    ? `<${request.body.length} bytes>`
    : String(request.body).slice(0, 300);
  return `${request.method} ${request.path.slice(0, 200)} auth=${JSON.stringify(request.auth)} ` +
    `headers=${JSON.stringify(request.headers)} body=${body}`;
}

async function main(): Promise<number> {
  const target = intSetting("ARCA_FUZZ_REQUESTS", 100_000);
  const seconds = intSetting("ARCA_FUZZ_SECONDS", 1_200);
  const concurrency = Math.max(1, intSetting("ARCA_FUZZ_CONCURRENCY", 16));
  const seed = intSetting("ARCA_FUZZ_SEED", Date.now() % 2 ** 31);
  const deadline = Date.now() + seconds * 1000;
  const server = await openTarget();
  let died = false;
  server.server?.status.then(() => died = true);
  let requests = 0;
  let status5xx = 0;
  let crashes = 0;
  const statuses = new Map<number, number>();
  console.log(`fuzz: ${server.url} seed=${seed} target=${target} concurrency=${concurrency}`);
  try {
    const ctx = await prepareFuzzContext(server.url, server.registrationToken, server.adminToken);
    const arbitrary = fuzzRequestArbitrary(ctx);
    for (let batch = 0; requests < target && Date.now() < deadline && !died; batch++) {
      const sample = fc.sample(arbitrary, { seed: seed + batch, numRuns: BATCH });
      let next = 0;
      const worker = async () => {
        while (next < sample.length && !died) {
          const request = sample[next++]!;
          const outcome = await sendFuzzRequest(ctx, request);
          requests++;
          if (outcome === "crash") {
            crashes++;
            console.error(`crash (batch ${batch}): ${describe(request)}`);
          } else {
            statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
            if (outcome >= 500) {
              status5xx++;
              console.error(
                `${outcome} (batch ${batch}, seed ${seed + batch}): ${describe(request)}`,
              );
            }
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      if (batch % 10 === 9) console.log(`fuzz: ${requests} requests, ${status5xx} 5xx`);
    }
  } finally {
    if (died) crashes++;
    await server.server?.stop();
    if (server.dataDir !== undefined) await Deno.remove(server.dataDir, { recursive: true });
  }
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
  console.log(`statuses: ${byStatus.join(" ")}`);
  console.log(`summary: requests=${requests} status_5xx=${status5xx} crashes=${crashes}`);
  return status5xx === 0 && crashes === 0 && requests >= target ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
