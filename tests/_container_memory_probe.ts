/**
 * Run as a subprocess by `container_memory_test.ts`: seals `ARCA_PROBE_MIB` MiB (default 128) of
 * stream content with a `Container` and opens it again as a stream — sealed bytes are piped
 * straight from the sealing container to the opening one, never held — and prints one JSON line
 * with the RSS before and at its peak, and what came back.
 */
import { Container } from "../lib/sdk/container.ts";
import { ContainerContent } from "../lib/sdk/container_content.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";

const MIB = 1024 * 1024;
const total = Number(Deno.env.get("ARCA_PROBE_MIB") ?? "128") * MIB;
const suite = (Deno.env.get("ARCA_PROBE_SUITE") ?? "Sodium") as SuiteName;

const pool = new Uint8Array(MIB);
for (let i = 0; i < MIB; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));

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

async function roundTrip(length: number): Promise<{ bytes: number; mismatches: number }> {
  const writer = new Container({ suite, content: source(length), length });
  const keys = await writer.encrypt();
  const reader = new Container({
    suite,
    id: writer.id,
    length,
    sealed: { header: null, content: new ContainerContent(writer.sealed!.content!.stream()) },
  });
  await reader.decrypt(keys);
  const state = { bytes: 0, mismatches: 0 };
  await reader.content!.stream().pipeTo(
    new WritableStream({
      write(chunk) {
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] !== pool[(state.bytes + i) % MIB]) state.mismatches++;
        }
        state.bytes += chunk.length;
      },
    }),
  );
  return state;
}

await roundTrip(MIB); // warm up
const baseline = Deno.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, Deno.memoryUsage().rss);
}, 5);
const state = await roundTrip(total);
clearInterval(timer);
peak = Math.max(peak, Deno.memoryUsage().rss);
console.log(JSON.stringify({
  total,
  readBack: state.bytes,
  mismatches: state.mismatches,
  baselineRss: baseline,
  peakRss: peak,
}));
