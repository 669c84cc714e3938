import assert from "node:assert/strict";
import { createApp } from "../lib/server/app.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";

const REGISTER = "/v1/account/e3db/clients/register";
const LIMIT = 4096;

/** Serves a fresh app with a 4 KiB body limit over real HTTP on a loopback port. */
async function withLimitedServer(body: (url: string) => Promise<void>): Promise<void> {
  const store = await openSqliteStore(":memory:");
  const app = createApp({ store, settings: { maxBodyBytes: LIMIT } });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    await body(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
    await store.close();
  }
}

Deno.test("body limit: over HTTP, Content-Length decides (413 over the limit, checked after)", async () => {
  await withLimitedServer(async (url) => {
    const over = await fetch(`${url}${REGISTER}`, { method: "POST", body: "x".repeat(LIMIT + 1) });
    assert.equal(over.status, 413);
    assert.match((await over.json()).error, /larger than 4096 bytes/);
    // At the limit the body reaches the route, which rejects it for what it is, not its size.
    const at = await fetch(`${url}${REGISTER}`, { method: "POST", body: "x".repeat(LIMIT) });
    assert.equal(at.status, 400);
    assert.match((await at.json()).error, /not valid JSON/);
  });
});

Deno.test("body limit: a chunked body over HTTP is counted as it arrives", async () => {
  await withLimitedServer(async (url) => {
    const chunks = [new Uint8Array(3000), new Uint8Array(3000)];
    const stream = ReadableStream.from(chunks);
    const reply = await fetch(`${url}${REGISTER}`, { method: "POST", body: stream });
    assert.equal(reply.status, 413);
    assert.match((await reply.json()).error, /larger than 4096 bytes/);
  });
});

Deno.test("body limit: an announced Content-Length over the limit is refused before reading", async () => {
  const store = await openSqliteStore(":memory:");
  try {
    const app = createApp({ store, settings: { maxBodyBytes: LIMIT } });
    const reply = await app.request(REGISTER, {
      method: "POST",
      headers: { "content-length": String(LIMIT + 1) },
      body: "{}",
    });
    assert.equal(reply.status, 413);
    assert.match((await reply.json()).error, /larger than 4096 bytes/);
  } finally {
    await store.close();
  }
});
