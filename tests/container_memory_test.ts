/**
 * Container content streams in constant memory: a probe subprocess (its RSS is its own) seals
 * and opens stream content much larger than the allowed growth, in both suites. A memory
 * assertion, not a timing one; V8's young generation is capped as in files_memory_test.ts.
 */
import assert from "node:assert/strict";

const MIB = 1024 * 1024;
const PROBE_MIB = 128;
const MAX_GROWTH_MB = 64;

for (const suite of ["Sodium", "NIST"]) {
  Deno.test(`${suite} container: ${PROBE_MIB} MiB stream content sealed and opened grows RSS by at most ${MAX_GROWTH_MB} MB`, async () => {
    const probe = new URL("./_container_memory_probe.ts", import.meta.url);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", probe.pathname],
      env: { ARCA_PROBE_MIB: String(PROBE_MIB), ARCA_PROBE_SUITE: suite, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, `probe failed:\n${stdout}\n${stderr}`);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(result.total, PROBE_MIB * MIB);
    assert.equal(result.readBack, PROBE_MIB * MIB, "every byte came back");
    assert.equal(result.mismatches, 0, "and every byte is right");
    const growthMb = (result.peakRss - result.baselineRss) / 1e6;
    assert.ok(
      growthMb <= MAX_GROWTH_MB,
      `RSS grew by ${growthMb.toFixed(1)} MB (from ${(result.baselineRss / 1e6).toFixed(1)} MB)`,
    );
    console.log(`${suite}: RSS growth ${growthMb.toFixed(1)} MB for ${PROBE_MIB} MiB`);
  });
}
