import assert from "node:assert/strict";
import { join } from "node:path";
import { ValidationError } from "../lib/errors.ts";
import { createEdgeHandler } from "../lib/server/edge_handler.ts";
import { serverOptionsFromEnv, startServer } from "../lib/server/start_server.ts";
import edge from "../edge.ts";
import { postgresRun, withTestDatabase } from "./_postgres.ts";
import { fakeKey } from "./_server_helpers.ts";

function envMap(values: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(values));
}

async function register(url: string, token: string): Promise<Response> {
  return await fetch(`${url}/v1/account/e3db/clients/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      token,
      client: { name: "http", public_key: { curve25519: fakeKey() } },
    }),
  });
}

Deno.test("startServer: first start prints a reusable token once; data survives restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-start-" });
  try {
    const lines: string[] = [];
    const first = await startServer({ dataDir, port: 0, print: (line) => lines.push(line) });
    const token = first.generatedRegistrationToken;
    assert.ok(token);
    assert.equal(lines.filter((line) => line.includes(token)).length, 1);
    assert.ok(lines.some((line) => line.startsWith("Arca listening on http://127.0.0.1:")));
    const health = await fetch(`${first.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const registered = await register(first.url, token);
    assert.equal(registered.status, 201);
    assert.ok(registered.headers.get("x-backup-client"));
    const { client_id: clientId } = await registered.json();
    await first.shutdown();
    assert.ok((await Deno.stat(join(dataDir, "arca.sqlite3"))).isFile);
    assert.ok((await Deno.stat(join(dataDir, "blobs"))).isDirectory);

    const again: string[] = [];
    const second = await startServer({ dataDir, port: 0, print: (line) => again.push(line) });
    try {
      assert.equal(second.generatedRegistrationToken, undefined);
      assert.ok(!again.some((line) => line.includes(token)));
      assert.ok(await second.store.clients.get(clientId));
      const reuse = await register(second.url, token);
      assert.equal(reuse.status, 201);
      await reuse.body?.cancel();
    } finally {
      await second.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("startServer: a configured registration token is used, nothing is printed", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-start-" });
  try {
    const lines: string[] = [];
    const server = await startServer({
      dataDir,
      port: 0,
      registrationToken: "configured-token-value",
      adminToken: "admin-token-value",
      print: (line) => lines.push(line),
    });
    try {
      assert.equal(server.generatedRegistrationToken, undefined);
      assert.ok(!lines.join("\n").includes("token-value"));
      for (let i = 0; i < 2; i++) {
        const reply = await register(server.url, "configured-token-value");
        assert.equal(reply.status, 201);
        await reply.body?.cancel();
      }
      const wrong = await register(server.url, "other");
      assert.equal(wrong.status, 401);
      assert.equal(typeof (await wrong.json()).error, "string");
      const admin = await fetch(`${server.url}/v1/arca/admin/tokens`, {
        headers: { authorization: "Bearer admin-token-value" },
      });
      assert.equal(admin.status, 200);
      await admin.body?.cancel();
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serverOptionsFromEnv: reads ARCA_* and rejects bad numbers", () => {
  const env = (values: Record<string, string>) => new Map(Object.entries(values));
  const options = serverOptionsFromEnv(env({
    ARCA_DATA_DIR: "/data",
    ARCA_HOST: "0.0.0.0",
    ARCA_PORT: "9000",
    ARCA_PUBLIC_URL: "https://arca.example",
    ARCA_REGISTRATION_TOKEN: "tok",
    ARCA_ADMIN_TOKEN: "adm",
    ARCA_MAX_BODY_BYTES: "1048576",
    ARCA_RECORD_CACHE_BYTES: "0",
  }));
  assert.deepEqual(options, {
    dataDir: "/data",
    hostname: "0.0.0.0",
    port: 9000,
    publicUrl: "https://arca.example",
    registrationToken: "tok",
    adminToken: "adm",
    maxBodyBytes: 1048576,
    recordCacheBytes: 0,
  });
  assert.equal(serverOptionsFromEnv(env({ ARCA_PORT: " " })).port, undefined);
  for (const bad of ["-1", "65536", "80a", "1e3"]) {
    assert.throws(() => serverOptionsFromEnv(env({ ARCA_PORT: bad })), ValidationError, bad);
  }
  assert.throws(() => serverOptionsFromEnv(env({ ARCA_MAX_BODY_BYTES: "10" })), ValidationError);
  assert.throws(
    () => serverOptionsFromEnv(env({ ARCA_RECORD_CACHE_BYTES: "32M" })),
    /ARCA_RECORD_CACHE_BYTES/,
  );
  assert.equal(
    serverOptionsFromEnv(env({ ARCA_DATABASE_URL: "postgres://db.internal/arca" })).databaseUrl,
    "postgres://db.internal/arca",
  );
  assert.equal(serverOptionsFromEnv(env({})).databaseUrl, undefined);
  assert.equal(
    serverOptionsFromEnv(env({ ARCA_DATABASE_POOL_SIZE: "4" })).databasePoolSize,
    4,
  );
  assert.throws(
    () => serverOptionsFromEnv(env({ ARCA_DATABASE_URL: "mysql://x" })),
    /ARCA_DATABASE_URL must be a PostgreSQL URL/,
  );
  assert.throws(
    () => serverOptionsFromEnv(env({ ARCA_DATABASE_POOL_SIZE: "0" })),
    /ARCA_DATABASE_POOL_SIZE/,
  );
});

Deno.test("server.ts default export serves from the environment", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-edge-" });
  const saved = Deno.env.get("ARCA_DATA_DIR");
  Deno.env.set("ARCA_DATA_DIR", dataDir);
  const originalLog = console.log;
  console.log = () => {};
  try {
    const response = await edge.fetch(new Request("http://edge.test/healthz"));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).status, "ok");
    assert.ok((await Deno.stat(join(dataDir, "arca.sqlite3"))).isFile);
  } finally {
    console.log = originalLog;
    if (saved === undefined) Deno.env.delete("ARCA_DATA_DIR");
    else Deno.env.set("ARCA_DATA_DIR", saved);
    // The edge app keeps its store open for the process; unlinking it is fine on POSIX.
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test({
  name: "startServer on PostgreSQL: ARCA_DATABASE_URL holds the store; data survives restart",
  ignore: postgresRun.ignore,
  fn: () =>
    withTestDatabase(async (databaseUrl) => {
      const dataDir = await Deno.makeTempDir({ prefix: "arca-start-pg-" });
      try {
        const options = serverOptionsFromEnv(
          envMap({
            ARCA_DATABASE_URL: databaseUrl,
            ARCA_DATABASE_POOL_SIZE: "3",
            ARCA_DATA_DIR: dataDir,
          }),
        );
        const first = await startServer({ ...options, port: 0, print: () => {} });
        const token = first.generatedRegistrationToken!;
        const registered = await register(first.url, token);
        assert.equal(registered.status, 201);
        const { client_id: clientId } = await registered.json();
        await first.shutdown();
        await assert.rejects(Deno.stat(join(dataDir, "arca.sqlite3")), Deno.errors.NotFound);
        assert.ok((await Deno.stat(join(dataDir, "blobs"))).isDirectory);
        // A second instance on the same database while the first runs: no file lock stops it.
        const second = await startServer({ ...options, port: 0, print: () => {} });
        const third = await startServer({ ...options, port: 0, print: () => {} });
        try {
          assert.equal(second.generatedRegistrationToken, undefined);
          assert.ok(await third.store.clients.get(clientId));
          const reuse = await register(second.url, token);
          assert.equal(reuse.status, 201);
          const { client_id: otherId } = await reuse.json();
          assert.ok(await third.store.clients.get(otherId));
        } finally {
          await second.shutdown();
          await third.shutdown();
        }
      } finally {
        await Deno.remove(dataDir, { recursive: true });
      }
    }),
});

Deno.test({
  name: "the edge handler serves from PostgreSQL when ARCA_DATABASE_URL is set",
  ignore: postgresRun.ignore,
  fn: () =>
    withTestDatabase(async (databaseUrl) => {
      const dataDir = await Deno.makeTempDir({ prefix: "arca-edge-pg-" });
      const handler = createEdgeHandler(() => ({
        ...serverOptionsFromEnv(envMap({ ARCA_DATABASE_URL: databaseUrl, ARCA_DATA_DIR: dataDir })),
        print: () => {},
      }));
      try {
        const reply = await handler.fetch(new Request("http://edge.test/healthz"));
        assert.equal(reply.status, 200);
        await reply.body?.cancel();
        await assert.rejects(Deno.stat(join(dataDir, "arca.sqlite3")), Deno.errors.NotFound);
      } finally {
        await handler.shutdown();
        await Deno.remove(dataDir, { recursive: true });
      }
    }),
});

Deno.test("settings: ARCA_FILE_URL_KEY must be base64url of 32+ bytes; ARCA_BLOB_STORE fs or postgres", () => {
  const read = (entries: [string, string][]) => serverOptionsFromEnv(new Map(entries));
  const key = "k".repeat(43); // 32 bytes of base64url
  assert.equal(read([["ARCA_FILE_URL_KEY", key]]).fileUrlKey?.length, 32);
  assert.throws(() => read([["ARCA_FILE_URL_KEY", "!!!" + key]]), /not base64url/);
  assert.throws(() => read([["ARCA_FILE_URL_KEY", "AAAA"]]), /at least 32 bytes/);
  assert.equal(read([["ARCA_BLOB_STORE", "fs"]]).blobStore, "fs");
  assert.equal(read([]).blobStore, undefined);
  assert.throws(() => read([["ARCA_BLOB_STORE", "s3"]]), /must be "fs" or "postgres"/);
  assert.throws(() => read([["ARCA_BLOB_STORE", "postgres"]]), /needs ARCA_DATABASE_URL/);
  const withDatabase = read([
    ["ARCA_BLOB_STORE", "postgres"],
    ["ARCA_DATABASE_URL", "postgres://arca@db.internal/arca"],
  ]);
  assert.equal(withDatabase.blobStore, "postgres");
});
