/** Admin client disable, enable and delete; identity deletion ends its client (issue 10, #10). */
import assert from "node:assert/strict";
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import {
  type FileTestServer,
  fileTestServer,
  fileUploadBody,
  randomBytes,
} from "./_file_helpers.ts";
import {
  assertError,
  basic,
  call,
  fakeKey,
  putEak,
  putPolicy,
  registerClient,
  type TestClient,
  type TestServer,
  testServer,
  writeRecord,
} from "./_server_helpers.ts";
import { registeredHolder, signedCall } from "./_tsv1_helpers.ts";
import { testBackendHasSearch } from "./_test_store.ts";

const ADMIN = "admin-token-for-client-tests";
const READ = { allow: [{ read: {} }] };
const CLIENTS = "/v1/arca/admin/clients";

function admin(server: TestServer, method: string, path: string) {
  return call(server, method, path, { token: ADMIN });
}

function newToken(server: TestServer, client: TestClient) {
  return call(server, "POST", "/v1/auth/token", {
    headers: { authorization: basic(client.apiKeyId, client.apiSecret) },
    body: "grant_type=client_credentials",
  });
}

function readRecord(server: TestServer, client: TestClient, recordId: string) {
  return call(server, "GET", `/v1/storage/records/${recordId}`, { token: client.token });
}

Deno.test("admin clients: disable ends the client's tokens at once; enable lets it log in again", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeRecord(server, alice, "doc");
    // The token is in the bearer cache now.
    assert.equal((await readRecord(server, alice, record.meta.record_id)).status, 200);
    const listed = await admin(server, "GET", CLIENTS);
    assert.equal(listed.json[0].disabled, false);

    const disabled = await admin(server, "POST", `${CLIENTS}/${alice.clientId}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(disabled.json.client_id, alice.clientId);
    assert.equal(disabled.json.disabled, true);
    assertError(
      await readRecord(server, alice, record.meta.record_id),
      401,
      /^Client is disabled$/,
    );
    assertError(await newToken(server, alice), 401, /^Client is disabled$/);
    assert.equal((await admin(server, "GET", CLIENTS)).json[0].disabled, true);
    // Disabling twice is fine.
    assert.equal((await admin(server, "POST", `${CLIENTS}/${alice.clientId}/disable`)).status, 200);

    const enabled = await admin(server, "POST", `${CLIENTS}/${alice.clientId}/enable`);
    assert.equal(enabled.status, 200, enabled.text);
    assert.equal(enabled.json.disabled, false);
    // Tokens from before the disable stay dead; a new one works.
    assertError(await readRecord(server, alice, record.meta.record_id), 401);
    const fresh = await newToken(server, alice);
    assert.equal(fresh.status, 200, fresh.text);
    const again = { ...alice, token: fresh.json.access_token };
    assert.equal((await readRecord(server, again, record.meta.record_id)).status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("admin clients: disable, enable and delete answer 404 for unknown clients, 401 without the token", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const unknown = crypto.randomUUID();
    assertError(await admin(server, "POST", `${CLIENTS}/${unknown}/disable`), 404);
    assertError(await admin(server, "POST", `${CLIENTS}/${unknown}/enable`), 404);
    assertError(await admin(server, "DELETE", `${CLIENTS}/${unknown}`), 404);
    assertError(await admin(server, "DELETE", `${CLIENTS}/not-a-uuid`), 404);
    const alice = await registerClient(server, "alice");
    assertError(
      await call(server, "POST", `${CLIENTS}/${alice.clientId}/disable`, { token: alice.token }),
      401,
    );
  } finally {
    await server.close();
  }
});

async function uploadFile(server: FileTestServer, client: TestClient, commit: boolean) {
  const bytes = randomBytes(1000);
  const started = await call(server, "POST", "/v1/storage/files", {
    token: client.token,
    body: fileUploadBody(client.clientId, bytes),
  });
  assert.equal(started.status, 202, started.text);
  const put = await server.app.request(started.json.file_url, {
    method: "PUT",
    body: bytes as BodyInit,
    headers: { "content-md5": fileChecksum(bytes).checksum },
  });
  assert.equal(put.status, 200, await put.text());
  if (!commit) return { pendingId: started.json.id as string };
  const patch = await call(server, "PATCH", `/v1/storage/files/${started.json.id}`, {
    token: client.token,
  });
  assert.equal(patch.status, 201, patch.text);
  return { pendingId: started.json.id as string, recordId: patch.json.meta.record_id as string };
}

/** Files under the blobs folder's two-letter subfolders (not the temporary folder). */
async function blobCount(server: FileTestServer): Promise<number> {
  let count = 0;
  for await (const folder of Deno.readDir(server.blobsDir)) {
    if (folder.name.startsWith(".") || !folder.isDirectory) continue;
    for await (const _ of Deno.readDir(`${server.blobsDir}/${folder.name}`)) count++;
  }
  return count;
}

Deno.test({
  name:
    "admin clients: delete removes the client, its tokens, records, index, keys, policies and files",
  ignore: !testBackendHasSearch,
}, async () => {
  const server = await fileTestServer({ adminToken: ADMIN });
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "doc", { topic: "tea" });
    const bobsRecord = await writeRecord(server, bob, "doc", { topic: "tea" });
    assert.equal((await putEak(server, alice, alice.clientId, bob.clientId, "doc")).status, 201);
    assert.equal(
      (await putPolicy(server, alice, alice.clientId, bob.clientId, "doc", READ)).status,
      201,
    );
    assert.equal((await putEak(server, bob, bob.clientId, alice.clientId, "doc")).status, 201);
    assert.equal(
      (await putPolicy(server, bob, bob.clientId, alice.clientId, "doc", READ)).status,
      201,
    );
    await uploadFile(server, alice, true);
    const pending = await uploadFile(server, alice, false);
    assert.equal(await blobCount(server), 2);

    const deleted = await admin(server, "DELETE", `${CLIENTS}/${alice.clientId}`);
    assert.equal(deleted.status, 204, deleted.text);
    assertError(await admin(server, "DELETE", `${CLIENTS}/${alice.clientId}`), 404);

    assertError(await readRecord(server, alice, record.meta.record_id), 401);
    assertError(await newToken(server, alice), 401);
    assert.equal(await server.store.clients.get(alice.clientId), undefined);
    assert.equal(await server.store.records.get(record.meta.record_id), undefined);
    assertError(await readRecord(server, bob, record.meta.record_id), 404);
    assert.equal(await server.store.files.getPending(pending.pendingId), undefined);
    const policies = await server.store.policies.list({});
    assert.deepEqual(
      policies.filter((p) => p.writerId === alice.clientId || p.readerId === alice.clientId),
      [],
    );
    const grant = { userId: bob.clientId, writerId: bob.clientId, readerId: alice.clientId };
    assert.equal(await server.store.accessKeys.get({ ...grant, type: "doc" }), undefined);
    assert.equal(await blobCount(server), 0);
    // Bob's own records and search are intact; the index has no trace of Alice.
    assert.equal((await readRecord(server, bob, bobsRecord.meta.record_id)).status, 200);
    const search = await call(server, "POST", "/v2/search", {
      token: bob.token,
      body: { match: [{ terms: { tags: { topic: "tea" } } }] },
    });
    assert.equal(search.status, 200, search.text);
    const found = search.json.results.map((r: { meta: { writer_id: string } }) => r.meta.writer_id);
    assert.deepEqual(found, [bob.clientId]);
  } finally {
    await server.close();
  }
});

Deno.test("admin identities: deleting an identity deletes its storage client", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const realm = await call(server, "POST", "/v1/arca/admin/realms", {
      token: ADMIN,
      body: { name: "Acme" },
    });
    assert.equal(realm.status, 201, realm.text);
    const made = await call(server, "POST", "/v1/arca/admin/realms/acme/identities", {
      token: ADMIN,
      body: {
        username: "alice",
        public_key: { curve25519: fakeKey() },
        signing_key: { ed25519: fakeKey() },
        client: {
          name: "alice",
          public_key: { curve25519: fakeKey() },
          signing_key: { ed25519: fakeKey() },
        },
      },
    });
    assert.equal(made.status, 201, made.text);
    const client = {
      clientId: made.json.client_id,
      apiKeyId: made.json.api_key_id,
      apiSecret: made.json.api_secret,
    } as TestClient;
    const token = await newToken(server, client);
    assert.equal(token.status, 200, token.text);
    const bearer = { ...client, token: token.json.access_token };
    const record = await writeRecord(server, bearer, "doc");

    const removed = await admin(server, "DELETE", "/v1/arca/admin/realms/acme/identities/alice");
    assert.equal(removed.status, 204, removed.text);
    assertError(await readRecord(server, bearer, record.meta.record_id), 401);
    assertError(await newToken(server, client), 401);
    assert.equal(await server.store.clients.get(client.clientId), undefined);
    assert.equal(await server.store.records.get(record.meta.record_id), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("admin clients: a disabled client's TSV1-signed requests are refused", async () => {
  const server = await testServer({ adminToken: ADMIN });
  try {
    const holder = await registeredHolder(server);
    const path = `/v2/storage/notes?id_string=${crypto.randomUUID()}`;
    assert.notEqual((await signedCall(server, holder, "GET", path)).status, 401); // accepted
    const disabled = await admin(server, "POST", `${CLIENTS}/${holder.clientId}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    assertError(await signedCall(server, holder, "GET", path), 401, /^Client is disabled$/);
  } finally {
    await server.close();
  }
});

Deno.test("admin clients: a file URL signed before the client was disabled or deleted stops working", async () => {
  const server = await fileTestServer({ adminToken: ADMIN });
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(100);
    const started = await call(server, "POST", "/v1/storage/files", {
      token: alice.token,
      body: fileUploadBody(alice.clientId, bytes),
    });
    assert.equal(started.status, 202, started.text);
    const upload = () =>
      server.app.request(started.json.file_url, { method: "PUT", body: bytes as BodyInit });
    assert.equal((await admin(server, "POST", `${CLIENTS}/${alice.clientId}/disable`)).status, 200);
    const refused = await upload();
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { error: "Client is disabled" });
    assert.equal((await admin(server, "DELETE", `${CLIENTS}/${alice.clientId}`)).status, 204);
    const gone = await upload();
    assert.equal(gone.status, 403);
    assert.match((await gone.json()).error, /no longer exists/);
  } finally {
    await server.close();
  }
});
