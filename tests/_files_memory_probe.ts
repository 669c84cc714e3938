/**
 * Run as a subprocess by `files_memory_test.ts`: starts a server in this process, writes and
 * reads back `ARCA_PROBE_MIB` MiB (default 256) through the SDK, and prints one JSON line with
 * the RSS before and at its peak during the transfer. Client and server share the process, so
 * the bound covers both.
 */
import { join } from "node:path";
import { Client } from "../lib/sdk/client.ts";
import { startServer } from "../lib/server/start_server.ts";

const MIB = 1024 * 1024;
const total = Number(Deno.env.get("ARCA_PROBE_MIB") ?? "256") * MIB;
const TOKEN = "memory-probe-token";

const pool = new Uint8Array(MIB);
for (let i = 0; i < MIB; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));

/** `length` bytes: the pool repeated, in 256 KiB views. */
function source(length: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= length) return controller.close();
      const size = Math.min(256 * 1024, length - sent);
      const offset = sent % MIB;
      controller.enqueue(pool.slice(offset, offset + size));
      sent += size;
    },
  }, { highWaterMark: 0 });
}

/** Checks every byte against the pool; counts them. */
function verifier(state: { bytes: number; mismatches: number }): WritableStream<Uint8Array> {
  return new WritableStream({
    write(chunk) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== pool[(state.bytes + i) % MIB]) state.mismatches++;
      }
      state.bytes += chunk.length;
    },
  });
}

const dataDir = await Deno.makeTempDir({ prefix: "arca-memory-probe-" });
const server = await startServer({
  dataDir,
  port: 0,
  registrationToken: TOKEN,
  print: () => {},
});
try {
  const keys = await Client.generateKeypair();
  const { config } = await Client.register(TOKEN, "probe", keys, { apiUrl: server.url });
  const client = new Client(config);
  // Warm up every code path once, then measure.
  const warm = await client.writeFile("probe", source(MIB));
  await client.readFile(warm.meta.recordId, verifier({ bytes: 0, mismatches: 0 }));

  const baseline = Deno.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 5);
  const record = await client.writeFile("probe", source(total));
  const state = { bytes: 0, mismatches: 0 };
  await client.readFile(record.meta.recordId, verifier(state));
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(JSON.stringify({
    total,
    readBack: state.bytes,
    mismatches: state.mismatches,
    baselineRss: baseline,
    peakRss: peak,
    blob: join(dataDir, "blobs"),
  }));
} finally {
  await server.shutdown();
  await Deno.remove(dataDir, { recursive: true });
}
