import assert from "node:assert/strict";
import { encodeBase64Url, utf8 } from "../lib/crypto/encoding.ts";
import { hashSecret } from "../lib/crypto/secrets.ts";
import {
  assertError,
  basic,
  call,
  fakeKey,
  registerClient,
  testServer,
  TIMESTAMP_SHAPE,
} from "./_server_helpers.ts";

const REGISTER = "/v1/account/e3db/clients/register";
const P384_PEM = encodeBase64Url(utf8(
  "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEexample\n-----END PUBLIC KEY-----\n",
));

function registration(token: string, client: Record<string, unknown>) {
  return { token, client: { name: "c", public_key: { curve25519: fakeKey() }, ...client } };
}

Deno.test("GET /healthz answers 200 with the schema version", async () => {
  const server = await testServer();
  try {
    const reply = await call(server, "GET", "/healthz");
    assert.equal(reply.status, 200);
    assert.equal(reply.json.status, "ok");
    assert.ok(reply.json.schema_version >= 1);
  } finally {
    await server.close();
  }
});

Deno.test("unknown routes are JSON 404s", async () => {
  const server = await testServer();
  try {
    assertError(await call(server, "GET", "/v1/nothing/here"), 404);
  } finally {
    await server.close();
  }
});

Deno.test("registration: 201, X-Backup-Client, echoes keys and name", async () => {
  const server = await testServer();
  try {
    const publicKey = fakeKey();
    const signingKey = fakeKey();
    const reply = await call(server, "POST", REGISTER, {
      body: {
        token: server.registrationToken,
        client: {
          name: "client-a",
          public_key: { curve25519: publicKey },
          signing_key: { ed25519: signingKey },
          type: "general",
        },
      },
    });
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.headers.get("x-backup-client"), reply.json.client_id);
    assert.match(reply.json.client_id, /^[0-9a-f-]{36}$/);
    assert.match(reply.json.api_key_id, /^[0-9a-f]{64}$/);
    assert.match(reply.json.api_secret, /^[0-9a-f]{64}$/);
    assert.deepEqual(reply.json.public_key, { curve25519: publicKey });
    assert.deepEqual(reply.json.signing_key, { ed25519: signingKey });
    assert.equal(reply.json.name, "client-a");
  } finally {
    await server.close();
  }
});

Deno.test("registration: signing_key omitted or null gives signing_key null", async () => {
  const server = await testServer();
  try {
    for (const extra of [{}, { signing_key: null }]) {
      const reply = await call(server, "POST", REGISTER, {
        body: registration(server.registrationToken, extra),
      });
      assert.equal(reply.status, 201, reply.text);
      assert.ok("signing_key" in reply.json);
      assert.equal(reply.json.signing_key, null);
    }
  } finally {
    await server.close();
  }
});

Deno.test("registration: accepts p384 keys and does not require unique signing keys", async () => {
  const server = await testServer();
  try {
    const nist = await call(server, "POST", REGISTER, {
      body: registration(server.registrationToken, {
        public_key: { p384: P384_PEM },
        signing_key: { p384: P384_PEM },
      }),
    });
    assert.equal(nist.status, 201, nist.text);
    assert.deepEqual(nist.json.public_key, { p384: P384_PEM });
    const shared = fakeKey();
    for (let i = 0; i < 2; i++) {
      const reply = await call(server, "POST", REGISTER, {
        body: registration(server.registrationToken, { signing_key: { ed25519: shared } }),
      });
      assert.equal(reply.status, 201, reply.text);
    }
  } finally {
    await server.close();
  }
});

Deno.test("registration: rejects bad tokens with 401", async () => {
  const server = await testServer();
  try {
    assertError(
      await call(server, "POST", REGISTER, { body: registration("not-a-token", {}) }),
      401,
      /Registration token/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("registration: malformed bodies are 400 JSON errors", async () => {
  const server = await testServer();
  const token = server.registrationToken;
  try {
    const bad: Array<[unknown, RegExp]> = [
      ["{not json", /not valid JSON/],
      ["", /JSON/],
      [[1, 2], /expected object/],
      [{ token }, /client/],
      [registration(token, { public_key: { curve25519: "!!!" } }), /public_key\.curve25519/],
      [registration(token, { public_key: { curve25519: fakeKey().slice(0, 20) } }), /32 bytes/],
      [
        registration(token, { public_key: { curve25519: fakeKey(), p384: P384_PEM } }),
        /exactly one/,
      ],
      [registration(token, { public_key: { rsa: fakeKey() } }), /exactly one/],
      [registration(token, { public_key: { p384: fakeKey() } }), /PEM/],
      [registration(token, { signing_key: { ed25519: 42 } }), /signing_key/],
      [registration(token, { name: 7 }), /client\.name/],
      [{ token: 5, client: {} }, /token/],
    ];
    for (const [body, pattern] of bad) {
      assertError(await call(server, "POST", REGISTER, { body }), 400, pattern);
    }
  } finally {
    await server.close();
  }
});

Deno.test("registration: API secrets are stored only as SHA-256 digests", async () => {
  const server = await testServer();
  try {
    const client = await registerClient(server, "hashed");
    const row = await server.store.clients.get(client.clientId);
    assert.ok(row);
    assert.notEqual(row.apiSecretHash, client.apiSecret);
    assert.equal(row.apiSecretHash, await hashSecret(client.apiSecret));
    assert.equal(await server.store.bearerTokens.find(client.token), undefined);
    assert.ok(await server.store.bearerTokens.find(await hashSecret(client.token)));
  } finally {
    await server.close();
  }
});

Deno.test("auth token: Basic credentials give a bearer token, whatever the body type", async () => {
  const server = await testServer();
  try {
    const client = await registerClient(server, "tok");
    const contentTypes = [
      "application/x-www-form-urlencoded",
      "x-www-form-urlencoded",
      "text/plain",
      "application/json",
    ];
    for (const type of contentTypes) {
      const reply = await call(server, "POST", "/v1/auth/token", {
        headers: { authorization: basic(client.apiKeyId, client.apiSecret), "content-type": type },
        body: "grant_type=client_credentials",
      });
      assert.equal(reply.status, 200, `${type}: ${reply.text}`);
      assert.equal(reply.json.token_type, "Bearer");
      assert.equal(reply.json.expires_in, 3600);
      assert.match(reply.json.expires_at, TIMESTAMP_SHAPE);
      assert.equal(
        Date.parse(reply.json.expires_at) * 1000,
        server.clock.now + 3600 * 1_000_000,
      );
      assert.match(reply.json.access_token, /^[A-Za-z0-9_-]{43}$/);
    }
    const noBody = await server.app.request("/v1/auth/token", {
      method: "POST",
      headers: { authorization: basic(client.apiKeyId, client.apiSecret) },
    });
    assert.equal(noBody.status, 200);
    const form = await call(server, "POST", "/v1/auth/token", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body:
        `grant_type=client_credentials&client_id=${client.apiKeyId}&client_secret=${client.apiSecret}`,
    });
    assert.equal(form.status, 200, form.text);
  } finally {
    await server.close();
  }
});

Deno.test("auth token: wrong or malformed credentials are 401 JSON errors", async () => {
  const server = await testServer();
  try {
    const client = await registerClient(server, "tok");
    const headers = [
      basic(client.apiKeyId, "wrong"),
      basic("unknown", client.apiSecret),
      basic(client.apiKeyId, ""),
      "Basic %%%not-base64%%%",
      "Basic " + btoa("no-colon"),
      `Bearer ${client.token}`,
    ];
    for (const authorization of headers) {
      assertError(
        await call(server, "POST", "/v1/auth/token", { headers: { authorization } }),
        401,
      );
    }
    assertError(await call(server, "POST", "/v1/auth/token", { body: "grant_type=x" }), 401);
  } finally {
    await server.close();
  }
});

Deno.test("bearer auth: missing, malformed, unknown and expired tokens are 401", async () => {
  const server = await testServer();
  try {
    const client = await registerClient(server, "b");
    const path = `/v1/storage/clients/${client.clientId}`;
    assertError(await call(server, "GET", path), 401, /Missing/);
    assertError(await call(server, "GET", path, { token: "nope" }), 401);
    assertError(
      await call(server, "GET", path, { headers: { authorization: `Basic ${client.token}` } }),
      401,
    );
    assert.equal((await call(server, "GET", path, { token: client.token })).status, 200);
    server.clock.advanceSeconds(3601);
    assertError(await call(server, "GET", path, { token: client.token }), 401, /expired/);
  } finally {
    await server.close();
  }
});

Deno.test("client info: 200 with keys; 404 for unknown or malformed ids", async () => {
  const server = await testServer();
  try {
    const client = await registerClient(server, "info");
    const reply = await call(server, "GET", `/v1/storage/clients/${client.clientId}`, {
      token: client.token,
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, {
      client_id: client.clientId,
      public_key: { curve25519: client.publicKey },
      signing_key: { ed25519: client.signingKey },
      validated: true,
    });
    const upper = await call(
      server,
      "GET",
      `/v1/storage/clients/${client.clientId.toUpperCase()}`,
      {
        token: client.token,
      },
    );
    assert.equal(upper.status, 200);
    for (const id of ["doesnt%20exist", "00000000-0000-4000-8000-000000000000", "x"]) {
      assertError(
        await call(server, "GET", `/v1/storage/clients/${id}`, { token: client.token }),
        404,
      );
    }
  } finally {
    await server.close();
  }
});

Deno.test("one-time registration tokens work once; revoked tokens never", async () => {
  const server = await testServer({ adminToken: "admin-secret" });
  const admin = { headers: { authorization: "Bearer admin-secret" } };
  try {
    const created = await call(server, "POST", "/v1/arca/admin/tokens", {
      ...admin,
      body: { name: "laptop" },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.one_time, true);
    const token = created.json.token as string;
    assert.equal(
      (await call(server, "POST", REGISTER, { body: registration(token, {}) })).status,
      201,
    );
    assertError(await call(server, "POST", REGISTER, { body: registration(token, {}) }), 401);

    const reusable = await call(server, "POST", "/v1/arca/admin/tokens", {
      ...admin,
      body: { one_time: false },
    });
    assert.equal(reusable.json.one_time, false);
    for (let i = 0; i < 2; i++) {
      const reply = await call(server, "POST", REGISTER, {
        body: registration(reusable.json.token, {}),
      });
      assert.equal(reply.status, 201);
    }
    const revoke = await call(
      server,
      "DELETE",
      `/v1/arca/admin/tokens/${reusable.json.token_id}`,
      admin,
    );
    assert.equal(revoke.status, 204);
    assertError(
      await call(server, "POST", REGISTER, { body: registration(reusable.json.token, {}) }),
      401,
    );
  } finally {
    await server.close();
  }
});

Deno.test("admin API: lists tokens without secrets, lists clients, validates input", async () => {
  const server = await testServer({ adminToken: "admin-secret" });
  const admin = { headers: { authorization: "Bearer admin-secret" } };
  try {
    const created = await call(server, "POST", "/v1/arca/admin/tokens", admin);
    assert.equal(created.status, 201);
    const list = await call(server, "GET", "/v1/arca/admin/tokens", admin);
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 2);
    assert.ok(!list.text.includes(created.json.token));
    assert.ok(!list.text.includes(await hashSecret(created.json.token)));
    assert.match(list.json[1].created, TIMESTAMP_SHAPE);
    await registerClient(server, "listed");
    const clients = await call(server, "GET", "/v1/arca/admin/clients", admin);
    assert.equal(clients.status, 200);
    assert.equal(clients.json[0].name, "listed");
    assert.equal(clients.json[0].api_secret, undefined);
    assertError(
      await call(server, "POST", "/v1/arca/admin/tokens", { ...admin, body: { one_time: "y" } }),
      400,
      /one_time/,
    );
    assertError(
      await call(
        server,
        "DELETE",
        "/v1/arca/admin/tokens/00000000-0000-4000-8000-000000000000",
        admin,
      ),
      404,
    );
  } finally {
    await server.close();
  }
});

Deno.test("admin API: 401 with a wrong token, 404 when disabled", async () => {
  const enabled = await testServer({ adminToken: "admin-secret" });
  const disabled = await testServer();
  try {
    assertError(await call(enabled, "GET", "/v1/arca/admin/tokens"), 401);
    assertError(
      await call(enabled, "GET", "/v1/arca/admin/tokens", { token: "admin-secreT" }),
      401,
    );
    assertError(await call(enabled, "GET", "/v1/arca/admin/clients", { token: "admin" }), 401);
    const off = await call(disabled, "GET", "/v1/arca/admin/tokens", { token: "" });
    assertError(off, 404);
    assert.match(JSON.stringify(off.json), /ARCA_ADMIN_TOKEN set to enable it/);
    assertError(await call(disabled, "POST", "/v1/arca/admin/tokens", { token: "x" }), 404);
  } finally {
    await enabled.close();
    await disabled.close();
  }
});

Deno.test("credential backup: with or without bearer; only for the client itself", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const path = (token: string, id: string) => `/v1/account/backup/${token}/${id}`;
    const withBearer = await call(server, "POST", path(server.registrationToken, alice.clientId), {
      token: alice.token,
    });
    assert.equal(withBearer.status, 200, withBearer.text);
    assert.ok((await server.store.clients.get(alice.clientId))?.backedUp);
    assert.equal(
      (await call(server, "POST", path(server.registrationToken, bob.clientId))).status,
      200,
    );
    assertError(
      await call(server, "POST", path(server.registrationToken, bob.clientId), {
        token: alice.token,
      }),
      403,
    );
    assertError(await call(server, "POST", path("wrong", bob.clientId)), 401);
    assertError(await call(server, "POST", path(server.registrationToken, "nope")), 404);
    assertError(
      await call(server, "POST", path(server.registrationToken, bob.clientId), { token: "bad" }),
      401,
    );
  } finally {
    await server.close();
  }
});

Deno.test("bodies over the limit are 413 JSON errors; deep nesting is 400", async () => {
  const server = await testServer({ maxBodyBytes: 4096 });
  try {
    const big = JSON.stringify({ token: "x".repeat(5000), client: {} });
    const reply = await call(server, "POST", REGISTER, { body: big });
    assertError(reply, 413, /larger than 4096/);
    const streamed = await server.app.request(REGISTER, {
      method: "POST",
      body: new Blob([big]).stream(),
    });
    assert.equal(streamed.status, 413);
    assert.equal(typeof (await streamed.json()).error, "string");
    const deep = "[".repeat(100) + "]".repeat(100);
    assertError(await call(server, "POST", REGISTER, { body: deep }), 400, /nested/);
  } finally {
    await server.close();
  }
});
