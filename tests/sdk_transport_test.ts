import assert from "node:assert/strict";
import {
  ArcaError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../lib/errors.ts";
import { errorForStatus, errorMessage } from "../lib/sdk/_http_errors.ts";
import { normalizeApiUrl, Transport } from "../lib/sdk/_transport.ts";

const API = "http://127.0.0.1:9";

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: string | null;
  contentType: string | null;
}

/** A fake server: `handle` answers each request; every request is recorded. */
function fakeFetch(handle: (seen: Seen, index: number) => Response) {
  const seen: Seen[] = [];
  const fetcher = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const request: Seen = {
      method: init?.method ?? "GET",
      path: url.pathname,
      authorization: headers.get("authorization"),
      body: typeof init?.body === "string" ? init.body : null,
      contentType: headers.get("content-type"),
    };
    seen.push(request);
    return await Promise.resolve(handle(request, seen.length - 1));
  };
  return { seen, fetch: fetcher as typeof fetch };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function tokenReply(token: string, expiresIn = 3600): Response {
  return json({
    access_token: token,
    token_type: "Bearer",
    expires_in: expiresIn,
    expires_at: "2099-01-01T00:00:00.000000Z",
  });
}

const credentials = { apiKeyId: "key-id", apiSecret: "secret" };

Deno.test("Transport fetches a bearer token with Basic auth and reuses it", async () => {
  let tokens = 0;
  const server = fakeFetch((request) => {
    if (request.path === "/v1/auth/token") return tokenReply(`t${++tokens}`);
    return json({ ok: true });
  });
  const transport = new Transport({ apiUrl: API, credentials, fetch: server.fetch });
  const first = await transport.request("GET", "/v1/storage/policy/outgoing");
  await transport.request("POST", "/v1/storage/search", { body: { count: 1 } });
  assert.deepEqual(first.json, { ok: true });
  const tokenRequest = server.seen[0]!;
  assert.equal(tokenRequest.method, "POST");
  assert.equal(tokenRequest.authorization, `Basic ${btoa("key-id:secret")}`);
  assert.equal(tokenRequest.body, "grant_type=client_credentials");
  assert.equal(server.seen.filter((r) => r.path === "/v1/auth/token").length, 1);
  assert.equal(server.seen[1]!.authorization, "Bearer t1");
  assert.equal(server.seen[2]!.authorization, "Bearer t1");
  assert.equal(server.seen[2]!.contentType, "application/json");
  assert.equal(server.seen[2]!.body, '{"count":1}');
});

Deno.test("Transport replaces a token 60 seconds before it expires", async () => {
  let now = 1_000_000;
  let tokens = 0;
  const server = fakeFetch((request) =>
    request.path === "/v1/auth/token" ? tokenReply(`t${++tokens}`, 120) : json({})
  );
  const transport = new Transport({
    apiUrl: API,
    credentials,
    fetch: server.fetch,
    now: () => now,
  });
  await transport.request("GET", "/a");
  now += 59_000; // 61 s of life left: still good
  await transport.request("GET", "/b");
  now += 2_000; // 59 s left: replaced
  await transport.request("GET", "/c");
  const used = server.seen.filter((r) => r.path !== "/v1/auth/token").map((r) => r.authorization);
  assert.deepEqual(used, ["Bearer t1", "Bearer t1", "Bearer t2"]);
});

Deno.test("Transport retries once with a fresh token after a 401", async () => {
  let tokens = 0;
  const server = fakeFetch((request) => {
    if (request.path === "/v1/auth/token") return tokenReply(`t${++tokens}`);
    return request.authorization === "Bearer t1"
      ? json({ error: "Bearer token is invalid or expired" }, 401)
      : json({ fine: 1 });
  });
  const transport = new Transport({ apiUrl: API, credentials, fetch: server.fetch });
  const reply = await transport.request("GET", "/v1/storage/clients/x");
  assert.deepEqual(reply.json, { fine: 1 });
  assert.equal(tokens, 2);
});

Deno.test("Transport gives up after the second 401", async () => {
  let tokens = 0;
  const server = fakeFetch((request) =>
    request.path === "/v1/auth/token"
      ? tokenReply(`t${++tokens}`)
      : json({ error: "Bearer token is invalid or expired" }, 401)
  );
  const transport = new Transport({ apiUrl: API, credentials, fetch: server.fetch });
  await assert.rejects(() => transport.request("GET", "/x"), (error: unknown) => {
    assert.ok(error instanceof UnauthorizedError);
    assert.equal(error.status, 401);
    assert.equal(error.message, "Bearer token is invalid or expired");
    return true;
  });
  assert.equal(tokens, 2);
  assert.equal(server.seen.length, 4);
});

Deno.test("Transport: a rejected API key pair is an UnauthorizedError with the server's words", async () => {
  const server = fakeFetch(() => json({ error: "Unauthorized: check your API key pair" }, 401));
  const transport = new Transport({ apiUrl: API, credentials, fetch: server.fetch });
  await assert.rejects(
    () => transport.request("GET", "/x"),
    (error: unknown) =>
      error instanceof UnauthorizedError && error.message.includes("check your API key pair") &&
      !error.message.includes("secret"),
  );
});

Deno.test("Transport maps statuses to error classes", async () => {
  const cases: [number, new (...args: never[]) => ArcaError][] = [
    [400, ValidationError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [409, ConflictError],
    [413, ValidationError],
    [500, ArcaError],
  ];
  for (const [status, kind] of cases) {
    const server = fakeFetch(() => json({ error: `failed with ${status}` }, status));
    const transport = new Transport({ apiUrl: API, fetch: server.fetch });
    await assert.rejects(
      () => transport.request("GET", "/x", { auth: "none" }),
      (error: unknown) => {
        assert.ok(error instanceof kind, `${status} gave ${String(error)}`);
        assert.equal((error as ArcaError).status, status);
        assert.equal((error as ArcaError).message, `failed with ${status}`);
        return true;
      },
    );
  }
});

Deno.test("Transport: unreachable server, non-JSON body and empty body", async () => {
  const down = new Transport({
    apiUrl: API,
    fetch: () => Promise.reject(new TypeError("connection refused")),
  });
  await assert.rejects(
    () => down.request("GET", "/x", { auth: "none" }),
    /Cannot reach http:\/\/127\.0\.0\.1:9: connection refused/,
  );
  const html = new Transport({
    apiUrl: API,
    fetch: () => Promise.resolve(new Response("<html>", { status: 200 })),
  });
  await assert.rejects(() => html.request("GET", "/x", { auth: "none" }), /not JSON/);
  const empty = new Transport({
    apiUrl: API,
    fetch: () => Promise.resolve(new Response(null, { status: 204 })),
  });
  assert.equal((await empty.request("DELETE", "/x", { auth: "none" })).json, null);
  const badGateway = new Transport({
    apiUrl: API,
    fetch: () => Promise.resolve(new Response("<html>", { status: 502 })),
  });
  await assert.rejects(
    () => badGateway.request("GET", "/x", { auth: "none" }),
    /Server answered HTTP 502/,
  );
});

Deno.test("Transport: a fixed bearer token is sent as is; no auth without credentials", async () => {
  const server = fakeFetch(() => json([]));
  const admin = new Transport({ apiUrl: API, bearerToken: "admin", fetch: server.fetch });
  await admin.request("GET", "/v1/arca/admin/tokens");
  assert.equal(server.seen[0]!.authorization, "Bearer admin");
  const bare = new Transport({ apiUrl: API, fetch: server.fetch });
  await assert.rejects(() => bare.request("GET", "/x"), ValidationError);
});

Deno.test("Transport validates its inputs", async () => {
  assert.throws(() => new Transport({ apiUrl: "not a url" }), /not a valid URL/);
  assert.throws(
    () => new Transport({ apiUrl: API, credentials: { apiKeyId: "a:b", apiSecret: "s" } }),
    /without ':'/,
  );
  assert.throws(
    () => new Transport({ apiUrl: API, credentials: { apiKeyId: "a", apiSecret: "" } }),
    /API secret/,
  );
  const transport = new Transport({ apiUrl: API });
  await assert.rejects(() => transport.request("get", "/x"), /upper case/);
  await assert.rejects(() => transport.request("GET", "x"), /must start with "\/"/);
});

Deno.test("normalizeApiUrl drops trailing slashes and refuses credentials without echoing them", () => {
  assert.equal(normalizeApiUrl("https://api.example.com///"), "https://api.example.com");
  assert.equal(normalizeApiUrl("http://h:1/base/"), "http://h:1/base");
  assert.throws(() => normalizeApiUrl("http://h/?q=1"), /query or a fragment/);
  assert.throws(() => normalizeApiUrl(""), /non-empty/);
  assert.throws(() => normalizeApiUrl("http://u:hunter2@h"), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.ok(!error.message.includes("hunter2"));
    return true;
  });
});

Deno.test("errorForStatus and errorMessage", () => {
  assert.ok(errorForStatus(401, "x") instanceof UnauthorizedError);
  assert.ok(errorForStatus(422, "x") instanceof ValidationError);
  assert.equal(errorForStatus(418, "x").constructor, ArcaError);
  assert.throws(() => errorForStatus(1.5, "x"), TypeError);
  assert.equal(errorMessage(400, '{"error":"a\\n  b"}'), "a b");
  assert.equal(errorMessage(400, '{"error":""}'), "Server answered HTTP 400");
  assert.equal(errorMessage(404, '{"message":"x"}'), "Server answered HTTP 404");
});
