import assert from "node:assert/strict";
import {
  assertError,
  call,
  fakeEak,
  putEak,
  putPolicy,
  registerClient,
  type TestClient,
  type TestServer,
  testServer,
  writeRecord,
} from "./_server_helpers.ts";

const READ = { allow: [{ read: {} }] };
const DENY_READ = { deny: [{ read: {} }] };
const AUTHORIZE = { allow: [{ authorizer: {} }] };

function eakPath(writer: TestClient, reader: TestClient, type: string): string {
  return `/v1/storage/access_keys/${writer.clientId}/${writer.clientId}/${reader.clientId}/${type}`;
}

function getEak(server: TestServer, caller: TestClient, path: string) {
  return call(server, "GET", path, { token: caller.token });
}

function readRecord(server: TestServer, caller: TestClient, recordId: string) {
  return call(server, "GET", `/v1/storage/records/${recordId}`, { token: caller.token });
}

Deno.test("access keys: 404 before PUT; PUT 201 records the caller as authorizer", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    assertError(await getEak(server, alice, eakPath(alice, alice, "t")), 404);
    const eak = fakeEak();
    const put = await putEak(server, alice, alice.clientId, bob.clientId, "t", eak);
    assert.equal(put.status, 201, put.text);
    const got = await getEak(server, bob, eakPath(alice, bob, "t"));
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, {
      eak,
      authorizer_id: alice.clientId,
      authorizer_public_key: { curve25519: alice.publicKey },
    });
  } finally {
    await server.close();
  }
});

Deno.test("access keys: only the reader may GET; nobody sees another's EAK", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const eve = await registerClient(server, "eve");
    assert.equal((await putEak(server, alice, alice.clientId, bob.clientId, "t")).status, 201);
    assertError(await getEak(server, eve, eakPath(alice, bob, "t")), 403);
    assertError(await getEak(server, alice, eakPath(alice, bob, "t")), 403);
    assertError(await call(server, "GET", eakPath(alice, bob, "t")), 401);
  } finally {
    await server.close();
  }
});

Deno.test("access keys: only the writer (or its authorizer) may PUT or DELETE", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const eve = await registerClient(server, "eve");
    assertError(await putEak(server, eve, alice.clientId, eve.clientId, "t"), 403);
    assertError(await putEak(server, bob, alice.clientId, bob.clientId, "t"), 403);
    assert.equal((await putEak(server, alice, alice.clientId, bob.clientId, "t")).status, 201);
    assertError(
      await call(server, "DELETE", eakPath(alice, bob, "t"), { token: bob.token }),
      403,
    );
    const deleted = await call(server, "DELETE", eakPath(alice, bob, "t"), { token: alice.token });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assertError(await getEak(server, bob, eakPath(alice, bob, "t")), 404);
  } finally {
    await server.close();
  }
});

Deno.test("access keys: malformed EAKs, ids and unknown readers are 4xx JSON errors", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const path = eakPath(alice, alice, "t");
    for (const body of [{ eak: "nodot" }, { eak: "a.b.c" }, { eak: "bad!.AQ" }, { eak: 5 }, {}]) {
      assertError(await call(server, "PUT", path, { token: alice.token, body }), 400, /eak/);
    }
    assertError(await call(server, "PUT", path, { token: alice.token, body: "{" }), 400);
    assertError(
      await call(server, "PUT", `/v1/storage/access_keys/x/${alice.clientId}/${alice.clientId}/t`, {
        token: alice.token,
        body: { eak: fakeEak() },
      }),
      400,
      /writerId/,
    );
    assertError(
      await putEak(server, alice, alice.clientId, "00000000-0000-4000-8000-000000000000", "t"),
      404,
      /Reader/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("sharing: allow read lets the reader GET; deny read blocks it at once", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "contact");
    const id = record.meta.record_id;
    assertError(await readRecord(server, bob, id), 403);
    assert.equal(
      (await putEak(server, alice, alice.clientId, bob.clientId, "contact")).status,
      201,
    );
    const shared = await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", READ);
    assert.equal(shared.status, 201, shared.text);
    const read = await readRecord(server, bob, id);
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.data, record.data);

    const revoked = await putPolicy(
      server,
      alice,
      alice.clientId,
      bob.clientId,
      "contact",
      DENY_READ,
    );
    assert.equal(revoked.status, 201);
    // Bob still holds the EAK (and may have cached the key), but the server refuses the record.
    assert.equal((await getEak(server, bob, eakPath(alice, bob, "contact"))).status, 200);
    assertError(await readRecord(server, bob, id), 403);
  } finally {
    await server.close();
  }
});

Deno.test("sharing: a policy for one type does not open another", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const secret = await writeRecord(server, alice, "secret");
    await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", READ);
    assertError(await readRecord(server, bob, secret.meta.record_id), 403);
  } finally {
    await server.close();
  }
});

Deno.test("policies: outgoing and incoming lists carry client names", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", READ);
    await putPolicy(server, alice, alice.clientId, bob.clientId, "hidden", AUTHORIZE);
    const outgoing = await call(server, "GET", "/v1/storage/policy/outgoing", {
      token: alice.token,
    });
    assert.equal(outgoing.status, 200);
    assert.deepEqual(outgoing.json, [
      { reader_id: bob.clientId, reader_name: "bob", record_type: "contact" },
    ]);
    const incoming = await call(server, "GET", "/v1/storage/policy/incoming", { token: bob.token });
    assert.deepEqual(incoming.json, [
      { writer_id: alice.clientId, writer_name: "alice", record_type: "contact" },
    ]);
    const empty = await call(server, "GET", "/v1/storage/policy/incoming", { token: alice.token });
    assert.deepEqual(empty.json, []);
    await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", DENY_READ);
    const after = await call(server, "GET", "/v1/storage/policy/outgoing", { token: alice.token });
    assert.deepEqual(after.json, []);
  } finally {
    await server.close();
  }
});

Deno.test("policies: only the writer may PUT; bodies and ids are validated", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    assertError(await putPolicy(server, bob, alice.clientId, bob.clientId, "t", READ), 403);
    assertError(await putPolicy(server, bob, alice.clientId, bob.clientId, "t", AUTHORIZE), 403);
    const bad: unknown[] = [
      {},
      { allow: [] },
      { allow: [{ write: {} }] },
      { allow: [{}] },
      { allow: "read" },
      { deny: [{ read: true }] },
      "{",
    ];
    for (const body of bad) {
      assertError(await putPolicy(server, alice, alice.clientId, bob.clientId, "t", body), 400);
    }
    assertError(
      await call(server, "PUT", `/v1/storage/policy/x/${alice.clientId}/${bob.clientId}/t`, {
        token: alice.token,
        body: READ,
      }),
      400,
    );
    assertError(
      await putPolicy(
        server,
        alice,
        alice.clientId,
        "00000000-0000-4000-8000-000000000000",
        "t",
        READ,
      ),
      404,
    );
  } finally {
    await server.close();
  }
});

Deno.test("policies: edit is accepted and stored; deny wins over allow in one body", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const reply = await putPolicy(server, alice, alice.clientId, bob.clientId, "t", {
      allow: [{ read: {} }, { edit: {} }],
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.json.edit, true);
    const key = { userId: alice.clientId, writerId: alice.clientId, readerId: bob.clientId };
    const stored = await server.store.policies.get({ ...key, type: "t" });
    assert.equal(stored?.canEdit, true);
    assert.equal(stored?.canRead, true);
    const both = await putPolicy(server, alice, alice.clientId, bob.clientId, "t", {
      allow: [{ read: {} }],
      deny: [{ read: {} }],
    });
    assert.equal(both.json.read, false);
    assert.equal((await server.store.policies.get({ ...key, type: "t" }))?.canEdit, true);
  } finally {
    await server.close();
  }
});

Deno.test("authorizers: share and revoke on behalf of the writer", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const carol = await registerClient(server, "carol");
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "doc");

    assertError(await putEak(server, carol, alice.clientId, bob.clientId, "doc"), 403);
    assert.equal((await putEak(server, alice, alice.clientId, carol.clientId, "doc")).status, 201);
    assert.equal(
      (await putPolicy(server, alice, alice.clientId, carol.clientId, "doc", AUTHORIZE)).status,
      201,
    );
    const proxies = await call(server, "GET", "/v1/storage/policy/proxies", { token: alice.token });
    assert.deepEqual(proxies.json, [{
      authorizer_id: carol.clientId,
      writer_id: alice.clientId,
      user_id: alice.clientId,
      record_type: "doc",
      authorized_by: alice.clientId,
    }]);
    const granted = await call(server, "GET", "/v1/storage/policy/granted", { token: carol.token });
    assert.deepEqual(granted.json, proxies.json);
    // An authorizer cannot read records by itself.
    assertError(await readRecord(server, carol, record.meta.record_id), 403);

    const onBehalf = fakeEak();
    const put = await putEak(server, carol, alice.clientId, bob.clientId, "doc", onBehalf);
    assert.equal(put.status, 201, put.text);
    assert.equal(
      (await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", READ)).status,
      201,
    );
    const bobsKey = await getEak(server, bob, eakPath(alice, bob, "doc"));
    assert.deepEqual(bobsKey.json, {
      eak: onBehalf,
      authorizer_id: carol.clientId,
      authorizer_public_key: { curve25519: carol.publicKey },
    });
    assert.equal((await readRecord(server, bob, record.meta.record_id)).status, 200);

    assert.equal(
      (await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", DENY_READ)).status,
      201,
    );
    const deleted = await call(server, "DELETE", eakPath(alice, bob, "doc"), {
      token: carol.token,
    });
    assert.equal(deleted.status, 204);
    assertError(await readRecord(server, bob, record.meta.record_id), 403);
    assertError(await getEak(server, bob, eakPath(alice, bob, "doc")), 404);
  } finally {
    await server.close();
  }
});

Deno.test("authorizers: limited to their type, to read, and away from the writer's own key", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const carol = await registerClient(server, "carol");
    const bob = await registerClient(server, "bob");
    await putPolicy(server, alice, alice.clientId, carol.clientId, "doc", AUTHORIZE);
    assertError(await putEak(server, carol, alice.clientId, bob.clientId, "other"), 403);
    assertError(await putPolicy(server, carol, alice.clientId, bob.clientId, "other", READ), 403);
    assertError(
      await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", AUTHORIZE),
      403,
      /authorizer or edit/,
    );
    assertError(
      await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", {
        allow: [{ edit: {} }],
      }),
      403,
    );
    assertError(await putEak(server, carol, alice.clientId, alice.clientId, "doc"), 403);
    assertError(
      await call(server, "DELETE", eakPath(alice, alice, "doc"), { token: carol.token }),
      403,
    );
  } finally {
    await server.close();
  }
});

Deno.test("authorizers: DELETE policy removes the authorizer on every type (200)", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const carol = await registerClient(server, "carol");
    const bob = await registerClient(server, "bob");
    await putPolicy(server, alice, alice.clientId, carol.clientId, "doc", AUTHORIZE);
    await putPolicy(server, alice, alice.clientId, carol.clientId, "img", AUTHORIZE);
    const path = `/v1/storage/policy/${alice.clientId}/${alice.clientId}/${carol.clientId}`;
    assertError(await call(server, "DELETE", path, { token: carol.token }), 403);
    assertError(
      await call(server, "DELETE", `/v1/storage/policy/${alice.clientId}/${alice.clientId}/zz`, {
        token: alice.token,
      }),
      400,
    );
    const removed = await call(server, "DELETE", path, { token: alice.token });
    assert.equal(removed.status, 200);
    const proxies = await call(server, "GET", "/v1/storage/policy/proxies", { token: alice.token });
    assert.deepEqual(proxies.json, []);
    assertError(await putEak(server, carol, alice.clientId, bob.clientId, "doc"), 403);
    assertError(await putEak(server, carol, alice.clientId, bob.clientId, "img"), 403);
  } finally {
    await server.close();
  }
});
