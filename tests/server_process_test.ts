/**
 * The server process (issue 15): start-up without warnings, the banner once listening, one-line
 * start-up failures with a non-zero exit, and the graceful shutdown on SIGTERM and SIGINT.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeKey } from "./_server_helpers.ts";
import { type ServerProcess, spawnServer, startServerProcess } from "./_server_process.ts";

async function withDataDir(body: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-process-" });
  try {
    await body(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** The registration token the banner printed on first start. */
function bannerToken(server: ServerProcess): string {
  const match = server.output().match(/registration token \(reusable, shown only now\): (\S+)/);
  assert.ok(match, server.output());
  return match[1]!;
}

/** A registration whose body arrives in two parts: the second only when `finish` is called. */
function slowRegistration(url: string, token: string) {
  const body = JSON.stringify({
    token,
    client: { name: "slow", public_key: { curve25519: fakeKey() } },
  });
  const half = Math.floor(body.length / 2);
  let finish: () => void = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(body.slice(0, half)));
      finish = () => {
        controller.enqueue(new TextEncoder().encode(body.slice(half)));
        controller.close();
      };
    },
  });
  const response = fetch(`${url}/v1/account/e3db/clients/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stream,
  });
  response.catch(() => {}); // a test that cuts the server off awaits it later, or not at all
  return { response, finish: () => finish() };
}

/** Registers a client and opens its event stream; returns the stream's reader. */
async function openEventStream(url: string, token: string) {
  const registered = await fetch(`${url}/v1/account/e3db/clients/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      token,
      client: { name: "listener", public_key: { curve25519: fakeKey() } },
    }),
  });
  assert.equal(registered.status, 201);
  const { api_key_id: id, api_secret: secret } = await registered.json();
  const auth = await fetch(`${url}/v1/auth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${id}:${secret}`)}` },
    body: "grant_type=client_credentials",
  });
  const { access_token: bearer } = await auth.json();
  const stream = await fetch(`${url}/v1/arca/events/stream`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  await reader.read(); // the opening comment
  return reader;
}

/** Resolves once the server has the request (its log line is written when it ends). */
async function inFlight(url: string): Promise<void> {
  const health = await fetch(`${url}/healthz`);
  await health.body?.cancel();
}

/** A GET of the admin API with `token`; returns the status. */
async function adminStatus(url: string, token: string): Promise<number> {
  const reply = await fetch(`${url}/v1/arca/admin/clients`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await reply.body?.cancel();
  return reply.status;
}

Deno.test("process: `deno task serve` starts without warnings, prints the banner and the first-start tokens once listening", async () => {
  await withDataDir(async (dataDir) => {
    const env = { ARCA_DATA_DIR: dataDir, ARCA_PORT: "0", ARCA_DATABASE_URL: "" };
    const { server, url } = await startServerProcess("task", env);
    let adminToken = "";
    try {
      const output = server.output();
      assert.ok(!/warning/i.test(output), output);
      assert.ok(output.includes(`Arca store: SQLite ${join(dataDir, "arca.sqlite3")}`), output);
      assert.ok(output.includes(`Arca blobs: folder ${join(dataDir, "blobs")}`), output);
      const token = bannerToken(server);
      assert.ok(output.indexOf(token) > output.indexOf(`Arca listening on ${url}`));
      adminToken = output.match(
        /admin token \(admin API and GET \/metrics, shown only now\): (\S+)/,
      )![1]!;
      assert.match(output, /Arca admin API: on \(the admin token above\)/);
      assert.equal(await adminStatus(url, adminToken), 200);
      assert.equal(await adminStatus(url, token), 401);
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited(), 0);
    }
    const again = await startServerProcess("run", env);
    try {
      const output = again.server.output();
      assert.ok(!output.includes(adminToken) && !output.includes("shown only now"), output);
      assert.match(output, /Arca admin API: on \(the admin token printed on the first start/);
      assert.match(output, /Arca registration token: the first start printed one/);
      assert.equal(await adminStatus(again.url, adminToken), 200, "the admin token survives");
    } finally {
      again.server.child.kill("SIGTERM");
      assert.equal(await again.server.exited(), 0);
    }
    const configured = await startServerProcess("run", {
      ...env,
      ARCA_ADMIN_TOKEN: "configured-admin-token",
    });
    try {
      assert.match(
        configured.server.output(),
        /Arca admin API: on \(the token set in ARCA_ADMIN_TOKEN\)/,
      );
      assert.equal(await adminStatus(configured.url, "configured-admin-token"), 200);
      assert.equal(
        await adminStatus(configured.url, adminToken),
        401,
        "ARCA_ADMIN_TOKEN replaces it",
      );
    } finally {
      configured.server.child.kill("SIGTERM");
      assert.equal(await configured.server.exited(), 0);
    }
  });
});

Deno.test("process: a taken port is one line and exit 1, and the token waits for a start that listens", async () => {
  await withDataDir(async (dataDir) => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = String(busy.addr.port);
    const env = { ARCA_DATA_DIR: dataDir, ARCA_PORT: port, ARCA_DATABASE_URL: "" };
    try {
      const failed = spawnServer("run", env);
      assert.equal(await failed.exited(), 1);
      const lines = failed.output().trim().split("\n");
      assert.deepEqual(lines, [
        `Arca could not start: 127.0.0.1:${port} is already in use; set ARCA_PORT (or ARCA_HOST) to a free address`,
      ]);
    } finally {
      busy.close();
    }
    const { server } = await startServerProcess("run", env);
    try {
      assert.ok(bannerToken(server).length >= 43, "the first start that listens prints the token");
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited(), 0);
    }
  });
});

Deno.test("process: a data directory in use and a bad setting are one line each and exit 1", async () => {
  await withDataDir(async (dataDir) => {
    const env = { ARCA_DATA_DIR: dataDir, ARCA_PORT: "0", ARCA_DATABASE_URL: "" };
    const { server } = await startServerProcess("run", env);
    try {
      const second = spawnServer("run", env);
      assert.equal(await second.exited(), 1);
      assert.equal(
        second.output().trim(),
        `Arca could not start: the data directory ${dataDir} is in use by another Arca server; ` +
          "stop that server or set ARCA_DATA_DIR to another folder",
      );
      const bad = spawnServer("run", { ...env, ARCA_PORT: "99999" });
      assert.equal(await bad.exited(), 1);
      assert.match(bad.output().trim(), /^Arca could not start: ARCA_PORT must be an integer/);
      assert.ok(!bad.output().includes("\n    at "), "no stack trace");
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited(), 0);
    }
  });
});

Deno.test("process: SIGTERM finishes the request in flight, answers new ones 503, ends event streams and exits 0", async () => {
  await withDataDir(async (dataDir) => {
    const { server, url } = await startServerProcess("run", {
      ARCA_DATA_DIR: dataDir,
      ARCA_PORT: "0",
      ARCA_DATABASE_URL: "",
      ARCA_SHUTDOWN_SECONDS: "20",
    });
    const token = bannerToken(server);
    const events = await openEventStream(url, token);
    const slow = slowRegistration(url, token);
    await inFlight(url);
    server.child.kill("SIGTERM");
    for (let read = await events.read(); !read.done; read = await events.read()) {
      // the stream ends cleanly (no error) once the shutdown begins
    }
    await server.waitFor(/Arca: SIGTERM; finishing requests in flight \(at most 20 s\)/);
    const late = await fetch(`${url}/healthz`); // Deno 2.9: see lib/server/_drain.ts
    assert.equal(late.status, 503);
    assert.match((await late.json()).error, /shutting down/);
    slow.finish();
    const reply = await slow.response;
    assert.equal(reply.status, 201, `${await reply.clone().text()}\n${server.output()}`);
    assert.ok((await reply.json()).client_id);
    assert.equal(await server.exited(), 0);
    assert.match(server.output(), /Arca: stopped/);
    await assert.rejects(() => fetch(`${url}/healthz`), "the listener is closed");
    // The store was closed cleanly: its WAL was checkpointed into the database file and removed.
    await assert.rejects(() => Deno.stat(join(dataDir, "arca.sqlite3-wal")), Deno.errors.NotFound);
  });
});

Deno.test("process: a second signal exits at once with a non-zero code", async () => {
  await withDataDir(async (dataDir) => {
    const { server, url } = await startServerProcess("run", {
      ARCA_DATA_DIR: dataDir,
      ARCA_PORT: "0",
      ARCA_DATABASE_URL: "",
    });
    const slow = slowRegistration(url, bannerToken(server));
    await inFlight(url);
    server.child.kill("SIGINT");
    await server.waitFor(/Arca: SIGINT; finishing/);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited(), 143);
    assert.match(server.output(), /Arca: SIGTERM again; exiting at once/);
    await slow.response.then((r) => r.body?.cancel(), () => {}); // cut off: either way is fine
  });
});

Deno.test("process: `deno serve server.ts` listens on ARCA_HOST and ARCA_PORT and stops on SIGINT", async () => {
  await withDataDir(async (dataDir) => {
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = probe.addr.port;
    probe.close();
    const { server, url } = await startServerProcess("serve", {
      ARCA_DATA_DIR: dataDir,
      ARCA_HOST: "127.0.0.1",
      ARCA_PORT: String(port),
      ARCA_DATABASE_URL: "",
    });
    assert.equal(url, `http://127.0.0.1:${port}`);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.ok(!server.output().includes("0.0.0.0"), server.output());
    server.child.kill("SIGINT");
    assert.equal(await server.exited(), 0);
    assert.match(server.output(), /Arca: stopped/);
  });
});

Deno.test("process: `deno serve edge.ts` listens on ARCA_HOST and ARCA_PORT and closes the store soon after SIGTERM", async () => {
  await withDataDir(async (dataDir) => {
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = probe.addr.port;
    probe.close();
    const server = spawnServer("serve-edge", {
      ARCA_DATA_DIR: dataDir,
      ARCA_HOST: "127.0.0.1",
      ARCA_PORT: String(port),
      ARCA_DATABASE_URL: "",
      ARCA_SHUTDOWN_SECONDS: "60",
    });
    await server.waitFor(new RegExp(`Listening on http://127\\.0\\.0\\.1:${port}/`));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`); // the first request starts the app
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const started = performance.now();
    server.child.kill("SIGTERM");
    assert.equal(await server.exited(), 0);
    assert.ok(performance.now() - started < 30_000, "it did not wait for ARCA_SHUTDOWN_SECONDS");
    await assert.rejects(() => Deno.stat(join(dataDir, "arca.sqlite3-wal")), Deno.errors.NotFound);
  });
});
