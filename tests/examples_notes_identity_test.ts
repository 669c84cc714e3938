/** examples/notes.ts and examples/identity.ts, each run as a subprocess against a real server. */
import assert from "node:assert/strict";
import { runExample } from "./_examples.ts";
import { startHttpServer, TEST_ADMIN_TOKEN, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";

Deno.test("example notes.ts runs against a real server", async () => {
  const server = await startHttpServer();
  try {
    const run = await runExample("notes", {
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote note [0-9a-f-]{36} \(2 views\)$/m);
    assert.match(run.stdout, /view 1: the eagle has landed\nview 2: the eagle has landed\n/);
    assert.match(run.stdout, /view 3: gone \(burned after 2 views\)/);
    assert.match(run.stdout, /anonymous note: name "", 1 view/);
    assert.match(run.stdout, /anonymous read: from nobody/);
  } finally {
    await server.close();
  }
});

Deno.test("example identity.ts runs against a real server", async () => {
  const server = await startHttpServer();
  try {
    const run = await runExample("identity", {
      ARCA_API_URL: server.url,
      ARCA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /registered alice in Example/);
    assert.match(run.stdout, /logged in as alice; client [0-9a-f-]{36}/);
    assert.match(run.stdout, /diary: dear diary/);
    assert.match(run.stdout, /token refreshed: true/);
    assert.match(run.stdout, /alice: Invalid username or password \(401\)/);
    assert.match(run.stdout, /mallory: Invalid username or password \(401\)/);
  } finally {
    await server.close();
  }
});

Deno.test("examples/identity.ts refuses to run without an admin token (exit 2)", async () => {
  const run = await runExample("identity", { ARCA_API_URL: "http://127.0.0.1:9" });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Set ARCA_ADMIN_TOKEN/);
});
