/** The request log and X-Request-Id (issue 15). */
import assert from "node:assert/strict";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { flushLog, type LogLevel } from "../lib/server/_log.ts";
import {
  call,
  registerClient,
  type TestServer,
  testServer,
  writeRecord,
} from "./_server_helpers.ts";

/** Runs `body` with console.log and console.error captured; returns the lines. */
async function captured(body: () => Promise<void>): Promise<string[]> {
  flushLog(); // lines of earlier requests leave first
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (text: string) => lines.push(...text.split("\n"));
  console.error = (text: string) => lines.push(...text.split("\n"));
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 5)); // request lines leave once per turn
  } finally {
    console.log = log;
    console.error = error;
  }
  return lines;
}

async function withServer(level: LogLevel, body: (server: TestServer) => Promise<void>) {
  const server = await testServer({ logLevel: level });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

Deno.test("request log: one JSON line per request with the route pattern, never the path or a token", async () => {
  await withServer("info", async (server) => {
    const client = await registerClient(server, "writer");
    const record = await writeRecord(server, client, "notes");
    const id: string = record.meta.record_id;
    const lines = await captured(async () => {
      const reply = await call(server, "GET", `/v1/storage/records/${id}?x=secret-query`, {
        token: client.token,
        headers: { "x-request-id": "trace-1" },
      });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get("x-request-id"), "trace-1");
    });
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(line).sort(), [
      "client_id",
      "duration_ms",
      "level",
      "message",
      "method",
      "request_id",
      "route",
      "status",
      "time",
    ]);
    assert.deepEqual(
      [line.level, line.request_id, line.method, line.route, line.status, line.client_id],
      ["info", "trace-1", "GET", "/v1/storage/records/:recordId", 200, client.clientId],
    );
    assert.ok(typeof line.duration_ms === "number" && line.duration_ms >= 0);
    assert.ok(!Number.isNaN(Date.parse(line.time)));
    for (const secret of [id, "secret-query", client.token]) {
      assert.ok(!lines[0]!.includes(secret), `the line holds ${secret}`);
    }
  });
});

Deno.test("request log: unacceptable request ids are replaced; every answer carries one", async () => {
  await withServer("info", async (server) => {
    const lines = await captured(async () => {
      for (const given of ["x".repeat(129), "has space", "new\u00e9line", ""]) {
        const reply = await call(server, "GET", "/healthz", { headers: { "x-request-id": given } });
        const answered = reply.headers.get("x-request-id")!;
        assert.notEqual(answered, given);
        assert.match(answered, /^[0-9a-f-]{36}$/);
      }
      const unknown = await call(server, "GET", "/nowhere/123");
      assert.equal(unknown.status, 404);
      assert.match(unknown.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
      const denied = await call(server, "GET", "/v1/storage/records/abc", { token: "wrong" });
      assert.equal(denied.status, 401);
      assert.ok(denied.headers.get("x-request-id"));
      const kept = await call(server, "GET", "/healthz", {
        headers: { "x-request-id": "a.B_c:9-" },
      });
      assert.equal(kept.headers.get("x-request-id"), "a.B_c:9-");
    });
    const routes = lines.map((line) => JSON.parse(line).route);
    assert.ok(!routes.some((route) => /nowhere|abc/.test(route)), routes.join(" "));
    assert.ok(!lines.join("\n").includes("wrong"));
  });
});

Deno.test("request log: the level decides what is written", async () => {
  for (const [level, expected] of [["debug", 1], ["info", 1], ["warn", 0], ["off", 0]] as const) {
    await withServer(level, async (server) => {
      const lines = await captured(async () => {
        assert.equal((await call(server, "GET", "/healthz")).status, 200);
      });
      assert.equal(lines.length, expected, `${level}: ${lines.join("\n")}`);
    });
  }
});

Deno.test("request log: ARCA_LOG_LEVEL and the other operation settings are read and checked", () => {
  const env = (values: Record<string, string>) => new Map(Object.entries(values));
  const options = serverOptionsFromEnv(env({
    ARCA_LOG_LEVEL: "WARN",
    ARCA_METRICS_PORT: "9100",
    ARCA_METRICS_HOST: "0.0.0.0",
    ARCA_SHUTDOWN_SECONDS: "3",
  }));
  assert.deepEqual(
    [options.logLevel, options.metricsPort, options.metricsHostname, options.shutdownSeconds],
    ["warn", 9100, "0.0.0.0", 3],
  );
  assert.equal(serverOptionsFromEnv(env({})).logLevel, undefined);
  assert.throws(() => serverOptionsFromEnv(env({ ARCA_LOG_LEVEL: "loud" })), /ARCA_LOG_LEVEL/);
  assert.throws(() => serverOptionsFromEnv(env({ ARCA_METRICS_PORT: "x" })), /ARCA_METRICS_PORT/);
  assert.throws(
    () => serverOptionsFromEnv(env({ ARCA_SHUTDOWN_SECONDS: "-1" })),
    /ARCA_SHUTDOWN_SECONDS/,
  );
});
