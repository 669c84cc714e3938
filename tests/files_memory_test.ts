/**
 * A few hundred MiB through the SDK and a real server with memory checked: the probe runs in a
 * subprocess (its RSS is its own) and reports its RSS growth during the transfer. This is a
 * memory assertion, not a timing one.
 *
 * The probe runs with V8's young generation capped at 1 MB (`--max-semi-space-size=1`, as
 * docs/files.md recommends for servers), so dead 64 KiB chunks are collected promptly and the
 * growth measures what the transfer keeps alive, not how long V8 waits before collecting.
 */
import assert from "node:assert/strict";

const MIB = 1024 * 1024;
const PROBE_MIB = 256;
const MAX_GROWTH_MB = 150;

Deno.test(`files: ${PROBE_MIB} MiB round trip grows RSS by at most ${MAX_GROWTH_MB} MB`, async () => {
  const probe = new URL("./_files_memory_probe.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", probe.pathname],
    env: { ARCA_PROBE_MIB: String(PROBE_MIB), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `probe failed:\n${stdout}\n${stderr}`);
  const line = stdout.trim().split("\n").at(-1)!;
  const result = JSON.parse(line);
  assert.equal(result.total, PROBE_MIB * MIB);
  assert.equal(result.readBack, PROBE_MIB * MIB, "every byte came back");
  assert.equal(result.mismatches, 0, "and every byte is right");
  const growthMb = (result.peakRss - result.baselineRss) / 1e6;
  assert.ok(
    growthMb <= MAX_GROWTH_MB,
    `RSS grew by ${growthMb.toFixed(1)} MB (from ${(result.baselineRss / 1e6).toFixed(1)} MB)`,
  );
});
