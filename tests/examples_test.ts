/** The runnable examples, each run as `deno run -A examples/<name>.ts` against a real server. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { startHttpServer, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";

const EXPECTED: Record<string, RegExp[]> = {
  registration: [/^registered [0-9a-f-]{36} \(Sodium\)$/m, /saved credentials to .*e3db\.json/],
  records: [
    /signed: true/,
    /read back: Jon Snow <jon@example\.com>/,
    /stale update refused \(409\)/,
    /Starks: Arya Stark, Jon Snow/,
    /page of 2, lastIndex \d+\npage of 1, lastIndex \d+/,
    /deleted; 2 contacts left/,
  ],
  sharing: [
    /reader sees: negative/,
    /incoming: lab-result/,
    /after revoke: forbidden/,
    /shared by authorizer: negative/,
    /authorizers left: 0/,
  ],
};

for (const [name, patterns] of Object.entries(EXPECTED)) {
  Deno.test(`example ${name}.ts runs against a real server`, async () => {
    const server = await startHttpServer();
    try {
      const run = await runExample(name, {
        ARCA_API_URL: server.url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_CRYPTO_SUITE: "Sodium",
      });
      assert.equal(run.code, 0, run.stderr);
      for (const pattern of patterns) assert.match(run.stdout, pattern);
    } finally {
      await server.close();
    }
  });
}

Deno.test("example registration.ts runs in the NIST suite", async () => {
  const server = await startHttpServer();
  try {
    const run = await runExample("registration", {
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
      ARCA_CRYPTO_SUITE: "NIST",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\(NIST\)/);
  } finally {
    await server.close();
  }
});

Deno.test("examples refuse to run without a registration token (exit 2)", async () => {
  const run = await runExample("records", { ARCA_API_URL: "http://127.0.0.1:9" });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Set ARCA_REGISTRATION_TOKEN/);
});
