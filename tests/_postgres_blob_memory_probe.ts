/**
 * Run as a subprocess by `postgres_blob_store_test.ts`: writes `ARCA_PROBE_MIB` MiB (default 256)
 * into a PostgreSQL blob store in a fresh schema, reads it back, checks every byte, and prints
 * one JSON line with the RSS before and at its peak. Needs DATABASE_URL.
 */
import { PostgresBlobStore } from "../lib/store/postgres/blob_store.ts";
import { dropTestSchema, freshSchemaName, postgresTestUrl } from "./_postgres.ts";

const MIB = 1024 * 1024;
const total = Number(Deno.env.get("ARCA_PROBE_MIB") ?? "256") * MIB;
const PIECE = 256 * 1024;
const pool = new Uint8Array(MIB);
for (let i = 0; i < MIB; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));

const schema = freshSchemaName();
const blobs = await PostgresBlobStore.open(postgresTestUrl(), { schema });
try {
  let sent = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      controller.enqueue(pool.slice(sent % MIB, sent % MIB + PIECE));
      sent += PIECE;
    },
  }, { highWaterMark: 0 });
  const baselineRss = Deno.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => peakRss = Math.max(peakRss, Deno.memoryUsage().rss), 5);
  const written = await blobs.put("large", source);
  let readBack = 0;
  let mismatches = 0;
  for await (const part of (await blobs.read("large"))!) {
    for (let i = 0; i < part.length; i += 4096) {
      if (part[i] !== pool[(readBack + i) % MIB]) mismatches++;
    }
    readBack += part.length;
  }
  clearInterval(sampler);
  console.log(JSON.stringify({ total, written, readBack, mismatches, baselineRss, peakRss }));
} finally {
  await blobs.close();
  await dropTestSchema(schema);
}
