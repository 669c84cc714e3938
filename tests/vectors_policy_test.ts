// Finding 17: when CI asks for the Wycheproof vectors and they are missing, the tests fail; only
// a local run without them ignores them (and says why).
import assert from "node:assert/strict";
import { wycheproofPolicy } from "./_vectors.ts";

const env = (values: Record<string, string>) => new Map(Object.entries(values));

Deno.test("wycheproof policy: present vectors always run", () => {
  assert.deepEqual(wycheproofPolicy(env({}), true, "/v"), { ignore: false });
  assert.deepEqual(wycheproofPolicy(env({ CI: "true" }), true, "/v"), { ignore: false });
});

Deno.test("wycheproof policy: missing vectors under CI or ARCA_VECTORS_DIR run (and fail)", () => {
  const ci = wycheproofPolicy(env({ CI: "true" }), false, "/v");
  assert.equal(ci.ignore, false);
  assert.match(ci.reason ?? "", /missing at \/v but CI=true/);
  const explicit = wycheproofPolicy(env({ ARCA_VECTORS_DIR: "/v" }), false, "/v");
  assert.equal(explicit.ignore, false);
  assert.match(explicit.reason ?? "", /ARCA_VECTORS_DIR is set/);
});

Deno.test("wycheproof policy: missing vectors on a local run are ignored with the reason", () => {
  const local = wycheproofPolicy(env({ CI: "false" }), false, "/v");
  assert.equal(local.ignore, true);
  assert.match(local.reason ?? "", /ignored: no vectors at \/v/);
});

Deno.test("wycheproof tests FAIL when ARCA_VECTORS_DIR names a missing folder", async () => {
  const missing = `${await Deno.makeTempDir()}/no-such-vectors`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--no-check", "--allow-read", "--allow-env", "tests/wycheproof_sodium_test.ts"],
    cwd: new URL("..", import.meta.url),
    env: { ARCA_VECTORS_DIR: missing, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  await Deno.remove(missing.replace(/\/no-such-vectors$/, ""), { recursive: true });
  assert.notEqual(output.code, 0, `the run passed without vectors:\n${text}`);
  assert.match(text, /Wycheproof vectors missing at .*no-such-vectors.* ARCA_VECTORS_DIR is set/);
  assert.match(text, /\| [1-9]\d* failed/);
});
