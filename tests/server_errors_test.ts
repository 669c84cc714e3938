/** The error contract: only deliberate errors become 4xx; anything else is a logged 500. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Hono } from "hono";
import { z } from "zod";
import {
  ArcaError,
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../lib/errors.ts";
import { isUuid } from "../lib/crypto/uuid.ts";
import { createApp } from "../lib/server/app.ts";
import { createRegistrationToken } from "../lib/server/_bootstrap.ts";
import { handleError } from "../lib/server/_error_handler.ts";
import { HttpError } from "../lib/server/_http_error.ts";
import { readJson } from "../lib/server/_read_json.ts";
import { errorMessage } from "../lib/sdk/_http_errors.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import {
  assertError,
  call,
  FakeClock,
  registerClient,
  type TestServer,
  writeRecord,
} from "./_server_helpers.ts";

const GENERIC = "Internal server error";
const MARKER = "PLAINTEXT-MARKER-7f3a";

/** Runs `body` with `console.error` captured; returns what was logged, one entry per call. */
async function captureErrors(body: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await body();
  } finally {
    console.error = original;
  }
  return lines;
}

/** Asserts the generic 500 and exactly one log line carrying its request id; returns the line. */
function assertLoggedInternalError(
  reply: { status: number; json: unknown },
  lines: string[],
): Record<string, unknown> {
  assert.equal(reply.status, 500);
  const body = reply.json as { error: string; request_id: string };
  assert.deepEqual(Object.keys(body).sort(), ["error", "request_id"]);
  assert.equal(body.error, GENERIC);
  assert.ok(isUuid(body.request_id), `request_id is not a UUID: ${body.request_id}`);
  assert.equal(lines.length, 1, `expected one log line, got ${JSON.stringify(lines)}`);
  assert.ok(!lines[0]!.includes("\n"), "the log entry spans several lines");
  const logged = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(logged.request_id, body.request_id);
  return logged;
}

/** An app with one route that throws `error`. */
function throwingApp(error: () => unknown): Hono {
  const app = new Hono().onError(handleError);
  app.get("/boom/:secret", () => {
    throw error();
  });
  return app;
}

async function request(app: Hono, path = `/boom/${MARKER}`) {
  const response = await app.request(path);
  return { status: response.status, json: await response.json() as unknown };
}

Deno.test("errors: a corrupt stored row is a 500 with a generic body and one log line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-errors-" });
  const path = `${dir}/arca.sqlite`;
  const clock = new FakeClock();
  let store = await openSqliteStore(path);
  try {
    const { token } = await createRegistrationToken(store, { oneTime: false, name: "t" }, 1);
    const server: TestServer = {
      app: createApp({ store, clock: clock.read }),
      store,
      clock,
      registrationToken: token,
      close: () => store.close(),
    };
    const client = await registerClient(server, "corrupt");
    const written = await writeRecord(server, client, "note");
    const recordId: string = written.meta.record_id;
    await store.close();

    const raw = new DatabaseSync(path);
    try {
      raw.prepare("UPDATE records SET data = ? WHERE record_id = ?")
        .run(`{"name": ${MARKER}`, recordId);
    } finally {
      raw.close();
    }

    store = await openSqliteStore(path);
    const reopened = { ...server, app: createApp({ store, clock: clock.read }), store };
    let reply: Awaited<ReturnType<typeof call>> | undefined;
    const lines = await captureErrors(async () => {
      reply = await call(reopened, "GET", `/v1/storage/records/${recordId}`, {
        token: client.token,
      });
    });
    const logged = assertLoggedInternalError(reply!, lines);
    assert.equal(logged.error, "SyntaxError");
    assert.equal(logged.method, "GET");
    assert.equal(logged.route, "/v1/storage/records/:recordId");
    for (const secret of [MARKER, recordId, client.token]) {
      assert.ok(!lines[0]!.includes(secret), `the log line leaks ${secret}`);
    }
    assert.ok(!reply!.text.includes(MARKER), "the reply leaks stored data");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("errors: a body that is not JSON is a 400 from readJson, logged nowhere", async () => {
  const app = new Hono().onError(handleError);
  app.post("/", async (c) => c.json(await readJson(c, z.object({ n: z.number() }))));
  const lines = await captureErrors(async () => {
    for (const [body, pattern] of [["{nope", /not valid JSON/], ["", /must be a JSON document/]]) {
      const response = await app.request("/", { method: "POST", body: body as string });
      assert.equal(response.status, 400);
      assert.match((await response.json()).error, pattern as RegExp);
    }
    const wrong = await app.request("/", { method: "POST", body: '{"n":"x"}' });
    assert.equal(wrong.status, 400);
    assert.match((await wrong.json()).error, /^n: /);
  });
  assert.deepEqual(lines, []);
});

Deno.test("errors: a bad JSON body on a real route is still a 400", async () => {
  const store = await openSqliteStore(":memory:");
  try {
    const app = createApp({ store });
    const reply = await call(
      { app, store, clock: new FakeClock(), registrationToken: "", close: () => store.close() },
      "POST",
      "/v1/account/e3db/clients/register",
      { body: "{not json" },
    );
    assertError(reply, 400, /not valid JSON/);
  } finally {
    await store.close();
  }
});

Deno.test("errors: a bare ArcaError, a stray SyntaxError or ZodError and a bug are 500s", async () => {
  const cases: Array<[string, () => unknown]> = [
    ["ArcaError", () => new ArcaError(`internal detail ${MARKER}`)],
    ["IntegrityError", () => new IntegrityError(`MAC of ${MARKER} failed`)],
    ["SyntaxError", () => new SyntaxError(`Unexpected token in "${MARKER}"`)],
    ["ZodError", () => z.object({ n: z.number() }).parse({ n: MARKER })],
    ["TypeError", () => new TypeError(`undefined is not a function (${MARKER})`)],
  ];
  for (const [name, make] of cases) {
    let reply: Awaited<ReturnType<typeof request>> | undefined;
    const error = (() => {
      try {
        return make();
      } catch (thrown) {
        return thrown;
      }
    })();
    const lines = await captureErrors(async () => {
      reply = await request(throwingApp(() => error));
    });
    const logged = assertLoggedInternalError(reply!, lines);
    assert.equal(logged.error, name);
    assert.equal(logged.route, "/boom/:secret");
    assert.ok(!lines[0]!.includes(MARKER), `${name}: the log line leaks the message or the URL`);
    assert.ok(!JSON.stringify(reply!.json).includes(MARKER), `${name}: the reply leaks`);
  }
});

Deno.test("errors: deliberate errors keep their status and message, and log nothing", async () => {
  const cases: Array<[unknown, number]> = [
    [new HttpError(418, "Teapot"), 418],
    [new HttpError(503, "Busy"), 503],
    [new ValidationError("Bad"), 400],
    [new UnauthorizedError("Who"), 401],
    [new ForbiddenError("No"), 403],
    [new NotFoundError("Gone"), 404],
    [new ConflictError("Stale"), 409],
    [new ArcaError("Explicit", { status: 422 }), 422],
    [new IntegrityError("Upload rejected", { status: 400 }), 400],
  ];
  const lines = await captureErrors(async () => {
    for (const [error, status] of cases) {
      const reply = await request(throwingApp(() => error));
      assert.equal(reply.status, status, String(error));
      assert.deepEqual(reply.json, { error: (error as Error).message });
    }
  });
  assert.deepEqual(lines, []);
});

Deno.test("errors: the SDK's message names the request id of a 500", () => {
  const body = JSON.stringify({ error: GENERIC, request_id: "0b0e5f0e-1" });
  assert.equal(errorMessage(500, body), "Internal server error (request id 0b0e5f0e-1)");
  assert.equal(errorMessage(404, '{"error":"Record not found"}'), "Record not found");
});
