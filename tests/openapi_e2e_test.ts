/**
 * Real answers against the documented schemas: the examples (records, sharing, search, notes,
 * identity, files, containers with their event stream, users) and direct calls (admin, policies,
 * errors) run against a real server through a proxy that checks every answer against the
 * server's own GET /openapi.json (ajv, JSON Schema 2020-12).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Client } from "../lib/sdk/client.ts";
import { startServer } from "../lib/server/start_server.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";
import { runExample } from "./_examples.ts";
import { startValidatingProxy, type ValidatingProxy } from "./_openapi_helpers.ts";
import { registerTestClient, TEST_ADMIN_TOKEN, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";
import { openTestStore } from "./_test_store.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

/** Runs `body` with a real server (blobs, admin token) behind a validating proxy. */
async function withCheckedServer(body: (proxy: ValidatingProxy) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arca-openapi-e2e-" });
  const store = await openTestStore();
  const proxy = startValidatingProxy();
  const server = await startServer({
    store,
    blobs: new FsBlobStore(join(dir, "blobs"), { durable: false }),
    port: 0,
    hostname: "127.0.0.1",
    publicUrl: proxy.url,
    registrationToken: TEST_REGISTRATION_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    print: () => {},
  });
  await proxy.connect(server.url);
  try {
    await body(proxy);
    assert.deepEqual(proxy.mismatches, [], "every answer matches the document");
  } finally {
    await proxy.close();
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts that answers of these `METHOD template status` were checked. */
function assertChecked(proxy: ValidatingProxy, expected: string[]) {
  const missing = expected.filter((operation) => !proxy.checked.has(operation));
  assert.deepEqual(missing, [], `not exercised; checked: ${[...proxy.checked].join("; ")}`);
}

const EXAMPLES: Record<string, string[]> = {
  records: [
    "POST /v1/account/e3db/clients/register 201",
    "POST /v1/auth/token 200",
    "POST /v1/storage/records 201",
    "GET /v1/storage/records/{recordId} 200",
    "PUT /v1/storage/records/safe/{recordId}/{version} 200",
    "PUT /v1/storage/records/safe/{recordId}/{version} 409",
    "DELETE /v1/storage/records/safe/{recordId}/{version} 204",
    "POST /v1/storage/search 200",
    "GET /v1/storage/access_keys/{writerId}/{userId}/{readerId}/{type} 404",
    "PUT /v1/storage/access_keys/{writerId}/{userId}/{readerId}/{type} 201",
  ],
  sharing: [
    "PUT /v1/storage/policy/{userId}/{writerId}/{readerId}/{type} 201",
    "GET /v1/storage/policy/incoming 200",
    "GET /v1/storage/clients/{clientId} 200",
    "GET /v1/storage/records/{recordId} 403",
  ],
  search: ["POST /v2/search 200"],
  notes: ["POST /v2/storage/notes 201", "GET /v2/storage/notes 200"],
  identity: [
    "POST /v1/arca/admin/realms 201",
    "POST /v1/arca/admin/realms/{realm}/identities 201",
    "POST /v1/identity/login 200",
    "POST /v1/identity/login/continue/{sessionId} 200",
    "POST /v1/identity/tozid/redirect 200",
  ],
  files: [
    "POST /v1/storage/files 202",
    "PUT /v1/arca/files/upload/{pendingId} 200",
    "PATCH /v1/storage/files/{pendingId} 201",
    "GET /v1/storage/files/{recordId} 200",
    "GET /v1/arca/files/download/{recordId} 200",
  ],
  containers: [
    "POST /v1/arca/containers 201",
    "GET /v1/arca/containers/{container_id} 200",
    "PATCH /v1/arca/containers/{container_id} 200",
    "GET /v1/arca/events 200",
    "GET /v1/arca/events/stream 200",
    "SSE containerEvent",
  ],
  users: [
    "PUT /v1/arca/users/me/key-file 201",
    "GET /v1/arca/users/{user_id}/key-file/kdf 200",
    "POST /v1/arca/users/{user_id}/key-file 200",
  ],
};

for (const [name, expected] of Object.entries(EXAMPLES)) {
  Deno.test(`openapi e2e: example ${name}.ts's answers match the document`, async () => {
    await withCheckedServer(async (proxy) => {
      const run = await runExample(name, {
        ARCA_API_URL: proxy.url,
        ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
        ARCA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ARCA_CRYPTO_SUITE: "Sodium",
        ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
      });
      assert.equal(run.code, 0, run.stderr);
      assertChecked(proxy, expected);
    });
  });
}

async function bearerOf(url: string, client: Client): Promise<string> {
  const { apiKeyId, apiSecret } = client.config;
  const answer = await fetch(`${url}/v1/auth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${apiKeyId}:${apiSecret}`)}` },
    body: "grant_type=client_credentials",
  });
  assert.equal(answer.status, 200);
  return (await answer.json()).access_token;
}

Deno.test("openapi e2e: admin, policies, health and error answers match the document", async () => {
  await withCheckedServer(async (proxy) => {
    const call = async (method: string, path: string, token?: string, body?: string) => {
      const answer = await fetch(`${proxy.url}${path}`, {
        method,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
      });
      await answer.body?.cancel();
      return answer.status;
    };
    const alice = await registerTestClient(proxy.url, "alice");
    const bob = await registerTestClient(proxy.url, "bob");
    const token = await bearerOf(proxy.url, alice);
    const me = alice.config.clientId;
    const other = bob.config.clientId;
    const unknown = "794253a4-310b-449d-9d8d-4575e8923f40";
    const admin = TEST_ADMIN_TOKEN;
    const statuses = [
      await call("GET", "/healthz"),
      await call("GET", "/openapi.json"),
      await call("POST", "/v1/auth/token", "not-a-basic-pair"),
      await call("GET", `/v1/storage/records/${unknown}`, token),
      await call("GET", `/v1/storage/records/${unknown}`),
      await call("POST", "/v1/storage/records", token, "{"),
      await call("POST", "/v1/storage/search", token, '{"count":0}'),
      await call(
        "PUT",
        `/v1/storage/policy/${me}/${me}/${other}/note`,
        token,
        '{"allow":[{"read":{}}]}',
      ),
      await call("GET", "/v1/storage/policy/outgoing", token),
      await call("GET", "/v1/storage/policy/proxies", token),
      await call("GET", "/v1/storage/policy/granted", token),
      await call("DELETE", `/v1/storage/policy/${me}/${me}/${other}`, token),
      await call("GET", `/v1/arca/containers/${unknown}`, token),
      await call("GET", "/v1/arca/containers?limit=0", token),
      await call("GET", "/v1/arca/containers", token),
      await call("GET", `/v1/arca/users/${unknown}/reminder`),
      await call("POST", "/v1/arca/admin/tokens", admin, '{"name":"ops","one_time":false}'),
      await call("GET", "/v1/arca/admin/tokens", admin),
      await call("DELETE", `/v1/arca/admin/tokens/${unknown}`, admin),
      await call("GET", "/v1/arca/admin/clients", admin),
      await call("POST", `/v1/arca/admin/clients/${other}/disable`, admin),
      await call("POST", `/v1/arca/admin/clients/${other}/enable`, admin),
      await call("DELETE", `/v1/arca/admin/clients/${other}`, admin),
      await call("GET", "/v1/arca/admin/realms", admin),
      await call("GET", "/v1/identity/info/realm/nowhere"),
      await call("POST", "/v1/identity/tozid/refresh", undefined, '{"refresh_token":"x"}'),
    ];
    assert.deepEqual(statuses, [
      200,
      200,
      401,
      404,
      401,
      400,
      400,
      201,
      200,
      200,
      200,
      200,
      404,
      400,
      200,
      404,
      201,
      200,
      404,
      200,
      200,
      200,
      204,
      200,
      404,
      401,
    ]);
  });
});
