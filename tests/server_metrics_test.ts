/** `GET /metrics` (issue 15): the Prometheus text, only for the admin token or on its own port. */
import assert from "node:assert/strict";
import { createApp } from "../lib/server/app.ts";
import { startServer } from "../lib/server/start_server.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import {
  assertError,
  call,
  registerClient,
  type TestServer,
  testServer,
  writeRecord,
} from "./_server_helpers.ts";

const ADMIN = "metrics-admin-token";

/** The metrics text, read with the admin token. */
async function metrics(server: TestServer): Promise<string> {
  const reply = await call(server, "GET", "/metrics", { token: ADMIN });
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  return reply.text;
}

/** The value of the sample `name{labels}` (or `name` alone), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test("metrics: only the admin token reads them; a server without one says how to enable it", async () => {
  const server = await testServer({ adminToken: ADMIN });
  const off = await testServer();
  try {
    assertError(await call(server, "GET", "/metrics"), 401);
    assertError(await call(server, "GET", "/metrics", { token: "wrong" }), 401);
    const client = await registerClient(server, "reader");
    assertError(await call(server, "GET", "/metrics", { token: client.token }), 401);
    assertError(await call(off, "GET", "/metrics", { token: ADMIN }), 404, /ARCA_ADMIN_TOKEN/);
    await metrics(server);
  } finally {
    await server.close();
    await off.close();
  }
});

Deno.test("metrics: requests by route pattern and status, with a latency histogram", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const client = await registerClient(server, "writer");
    const record = await writeRecord(server, client, "notes");
    const id = record.meta.record_id;
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await call(server, "GET", `/v1/storage/records/${id}`, { token: client.token })).status,
        200,
      );
    }
    const missing = crypto.randomUUID();
    assertError(
      await call(server, "GET", `/v1/storage/records/${missing}`, { token: client.token }),
      404,
    );
    const text = await metrics(server);
    const route = 'method="GET",route="/v1/storage/records/:recordId"';
    assert.equal(sample(text, `arca_http_requests_total{${route},status="200"}`), 3);
    assert.equal(sample(text, `arca_http_requests_total{${route},status="404"}`), 1);
    assert.ok(!text.includes(id) && !text.includes(missing), "no concrete path in a label");
    const latency = "arca_http_request_duration_seconds";
    assert.equal(sample(text, `${latency}_count{${route}}`), 4);
    assert.equal(sample(text, `${latency}_bucket{${route},le="+Inf"}`), 4);
    const fast = sample(text, `${latency}_bucket{${route},le="0.001"}`)!;
    const slow = sample(text, `${latency}_bucket{${route},le="10"}`)!;
    assert.ok(fast <= slow && slow === 4, "buckets are cumulative");
    assert.match(text, /^# TYPE arca_http_request_duration_seconds histogram$/m);
  } finally {
    await server.close();
  }
});

Deno.test("metrics: the SQLite store's queue, write batches and record cache hits", async () => {
  const store = await openSqliteStore(":memory:");
  const app = createApp({ store, settings: { adminToken: ADMIN } });
  const server = { app, store, close: () => store.close() } as unknown as TestServer;
  try {
    const { createRegistrationToken } = await import("../lib/server/_bootstrap.ts");
    const { token } = await createRegistrationToken(store, { oneTime: false, name: "t" }, 1);
    (server as { registrationToken: string }).registrationToken = token;
    const client = await registerClient(server, "writer");
    const record = await writeRecord(server, client, "notes");
    const before = await metrics(server);
    const hits = sample(before, "arca_record_cache_hits_total")!;
    const misses = sample(before, "arca_record_cache_misses_total")!;
    const batches = sample(before, "arca_store_write_batch_size_count")!;
    assert.ok(batches >= 1, "the writes ran in batches");
    for (let i = 0; i < 2; i++) { // the first read fills the cache, the second is a hit
      const read = `/v1/storage/records/${record.meta.record_id}`;
      assert.equal((await call(server, "GET", read, { token: client.token })).status, 200);
    }
    await writeRecord(server, client, "notes");
    const after = await metrics(server);
    assert.equal(sample(after, "arca_record_cache_misses_total"), misses + 1);
    assert.equal(sample(after, "arca_record_cache_hits_total"), hits + 1);
    assert.ok(sample(after, "arca_store_write_batch_size_count")! > batches);
    assert.equal(sample(after, "arca_store_queue_depth"), 0);
  } finally {
    await store.close();
  }
});

Deno.test("metrics: open event streams go up and down", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const client = await registerClient(server, "listener");
    const stream = await server.app.request("/v1/arca/events/stream", {
      headers: { authorization: `Bearer ${client.token}` },
    });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    await reader.read(); // the first comment: the stream is open
    assert.equal(sample(await metrics(server), "arca_event_streams_open"), 1);
    await reader.cancel();
    assert.equal(sample(await metrics(server), "arca_event_streams_open"), 0);
  } finally {
    await server.close();
  }
});

Deno.test("metrics: ARCA_METRICS_PORT serves them without a token on a listener of its own", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-metrics-" });
  const server = await startServer({ dataDir, port: 0, metricsPort: 0, print: () => {} });
  try {
    assert.ok(server.metricsUrl !== undefined && server.metricsUrl !== server.url);
    await (await fetch(`${server.url}/healthz`)).body?.cancel();
    const scraped = await fetch(`${server.metricsUrl}/metrics`);
    assert.equal(scraped.status, 200);
    const text = await scraped.text();
    assert.equal(
      sample(text, 'arca_http_requests_total{method="GET",route="/healthz",status="200"}'),
      1,
    );
    assert.match(text, /^arca_blob_bytes_in_total 0$/m);
    const other = await fetch(`${server.metricsUrl}/healthz`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
    const main = await fetch(`${server.url}/metrics`); // the main port still needs the token
    assert.equal(main.status, 401);
    await main.body?.cancel();
    const withToken = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${server.generatedAdminToken}` },
    });
    assert.equal(withToken.status, 200);
    await withToken.body?.cancel();
  } finally {
    await server.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
  await assert.rejects(() => fetch(`${server.metricsUrl}/metrics`), "the listener stopped too");
});
