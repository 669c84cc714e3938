// The CI run of the crash campaign (`deno task crash` runs 10+ rounds): two rounds of
// concurrent writes and updates, SIGKILL of the server subprocess, restart, read-back.
import assert from "node:assert/strict";
import { crashCampaign } from "../bench/crash.ts";

Deno.test("crash: 2 rounds of SIGKILL during writes and updates lose no acknowledged write", async () => {
  const result = await crashCampaign({ rounds: 2, workers: 8, seed: 20_261_204 });
  assert.deepEqual(result.problems, []);
  assert.equal(result.lost, 0);
  assert.equal(result.rounds, 2);
  // Writes and updates were acknowledged before each kill, so the read-back checked something.
  assert.ok(result.acked > 20, `only ${result.acked} acknowledged`);
});
