/** Authorizers may change only the grants they made; the writer may change any (issue 10, #15). */
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

async function readsRecord(server: TestServer, reader: TestClient, recordId: string) {
  const reply = await call(server, "GET", `/v1/storage/records/${recordId}`, {
    token: reader.token,
  });
  return reply.status === 200;
}

/** Alice writes "doc"; Carol (A) and Dave (B) are her authorizers; Carol shares with Bob. */
async function sharedByCarol(server: TestServer) {
  const alice = await registerClient(server, "alice");
  const carol = await registerClient(server, "carol");
  const dave = await registerClient(server, "dave");
  const bob = await registerClient(server, "bob");
  const record = await writeRecord(server, alice, "doc");
  for (const authorizer of [carol, dave]) {
    const reply = await putPolicy(
      server,
      alice,
      alice.clientId,
      authorizer.clientId,
      "doc",
      AUTHORIZE,
    );
    assert.equal(reply.status, 201, reply.text);
  }
  const eak = fakeEak();
  assert.equal((await putEak(server, carol, alice.clientId, bob.clientId, "doc", eak)).status, 201);
  const shared = await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", READ);
  assert.equal(shared.status, 201, shared.text);
  assert.equal(await readsRecord(server, bob, record.meta.record_id), true);
  return { alice, carol, dave, bob, recordId: record.meta.record_id as string, eak };
}

Deno.test("grant ownership: another authorizer cannot revoke or overwrite a share (403)", async () => {
  const server = await testServer();
  try {
    const { alice, carol, dave, bob, recordId, eak } = await sharedByCarol(server);
    assertError(
      await putPolicy(server, dave, alice.clientId, bob.clientId, "doc", DENY_READ),
      403,
      /granted by another client/,
    );
    assertError(
      await putPolicy(server, dave, alice.clientId, bob.clientId, "doc", READ),
      403,
      /granted by another client/,
    );
    assertError(await putEak(server, dave, alice.clientId, bob.clientId, "doc"), 403);
    assertError(
      await call(server, "DELETE", eakPath(alice, bob, "doc"), { token: dave.token }),
      403,
    );
    // Nothing changed: Bob still reads, with Carol's key.
    assert.equal(await readsRecord(server, bob, recordId), true);
    const key = await call(server, "GET", eakPath(alice, bob, "doc"), { token: bob.token });
    assert.equal(key.json.eak, eak);
    assert.equal(key.json.authorizer_id, carol.clientId);
    const policy = await server.store.policies.get({
      writerId: alice.clientId,
      userId: alice.clientId,
      readerId: bob.clientId,
      type: "doc",
    });
    assert.equal(policy?.authorizedBy, carol.clientId);
  } finally {
    await server.close();
  }
});

Deno.test("grant ownership: the authorizer that shared can revoke it", async () => {
  const server = await testServer();
  try {
    const { alice, carol, dave, bob, recordId } = await sharedByCarol(server);
    const revoked = await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", DENY_READ);
    assert.equal(revoked.status, 201, revoked.text);
    const deleted = await call(server, "DELETE", eakPath(alice, bob, "doc"), {
      token: carol.token,
    });
    assert.equal(deleted.status, 204);
    assert.equal(await readsRecord(server, bob, recordId), false);
    // A revoked share is no one's grant: Dave may share again.
    assert.equal((await putEak(server, dave, alice.clientId, bob.clientId, "doc")).status, 201);
    const again = await putPolicy(server, dave, alice.clientId, bob.clientId, "doc", READ);
    assert.equal(again.status, 201, again.text);
    assert.equal(await readsRecord(server, bob, recordId), true);
  } finally {
    await server.close();
  }
});

Deno.test("grant ownership: the writer can revoke or change any authorizer's share", async () => {
  const server = await testServer();
  try {
    const { alice, carol, bob, recordId } = await sharedByCarol(server);
    const revoked = await putPolicy(server, alice, alice.clientId, bob.clientId, "doc", DENY_READ);
    assert.equal(revoked.status, 201, revoked.text);
    assert.equal(await readsRecord(server, bob, recordId), false);
    const deleted = await call(server, "DELETE", eakPath(alice, bob, "doc"), {
      token: alice.token,
    });
    assert.equal(deleted.status, 204);
    // The writer re-shares: now the grant is hers, and Carol cannot touch it.
    assert.equal((await putEak(server, alice, alice.clientId, bob.clientId, "doc")).status, 201);
    assert.equal(
      (await putPolicy(server, alice, alice.clientId, bob.clientId, "doc", READ)).status,
      201,
    );
    assertError(
      await putPolicy(server, carol, alice.clientId, bob.clientId, "doc", DENY_READ),
      403,
    );
    assert.equal(await readsRecord(server, bob, recordId), true);
  } finally {
    await server.close();
  }
});
