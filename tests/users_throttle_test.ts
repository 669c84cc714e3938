/**
 * Users over real HTTP (issue 11): the key file download throttle per user id and per address
 * (429 with Retry-After, counted in the store, the window on the server's clock), its settings,
 * housekeeping of old attempts, and `DELETE /v1/arca/users/me`.
 */
import assert from "node:assert/strict";
import type { Store } from "../lib/store/store.ts";
import { runHousekeeping } from "../lib/server/_housekeeping.ts";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { realHttpServer } from "./_real_http_server.ts";
import {
  assertError,
  basic,
  call,
  putEak,
  putPolicy,
  registerClient,
  writeRecord,
} from "./_server_helpers.ts";
import { downloadByProof, makeUser, randomProof, USERS } from "./_user_helpers.ts";

const THROTTLED = /^too many key file download attempts; retry later$/;

Deno.test("users: downloads are throttled per user id, right or wrong, until the window moves on", async () => {
  const server = await realHttpServer({
    keyFileAttemptsPerUser: 3,
    keyFileAttemptWindowSeconds: 60,
  });
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    assert.equal((await downloadByProof(server, alice.clientId, alice.proof)).status, 200);
    server.clock.advanceSeconds(10);
    assertError(await downloadByProof(server, alice.clientId, randomProof()), 403);
    server.clock.advanceSeconds(10);
    assert.equal((await downloadByProof(server, alice.clientId, alice.proof)).status, 200);
    server.clock.advanceSeconds(5);
    // Three attempts in the window: the right proof is refused too, until the first leaves it.
    const refused = await downloadByProof(server, alice.clientId, alice.proof);
    assertError(refused, 429, THROTTLED);
    assert.equal(refused.headers.get("retry-after"), "35");
    assert.equal(refused.text, '{"error":"too many key file download attempts; retry later"}');
    server.clock.advanceSeconds(34);
    const still = await downloadByProof(server, alice.clientId, alice.proof);
    assertError(still, 429, THROTTLED);
    assert.equal(still.headers.get("retry-after"), "1");
    // Refused attempts were not counted: once the first attempt leaves, one more is allowed.
    server.clock.advanceSeconds(1);
    assert.equal((await downloadByProof(server, alice.clientId, alice.proof)).status, 200);
    assertError(await downloadByProof(server, alice.clientId, alice.proof), 429, THROTTLED);
    // Another user is not affected.
    const bob = await makeUser(server, await registerClient(server, "bob"));
    assert.equal((await downloadByProof(server, bob.clientId, bob.proof)).status, 200);
    const me = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(me.json.key_file_downloads, 3);
    assert.equal(me.json.failed_key_file_downloads, 1);
  } finally {
    await server.close();
  }
});

Deno.test("users: unknown user ids are throttled like known ones", async () => {
  const server = await realHttpServer({ keyFileAttemptsPerUser: 2 });
  try {
    const unknown = crypto.randomUUID();
    assertError(await downloadByProof(server, unknown, randomProof()), 403);
    assertError(await downloadByProof(server, unknown, randomProof()), 403);
    const refused = await downloadByProof(server, unknown, randomProof());
    assertError(refused, 429, THROTTLED);
    assert.equal(refused.headers.get("retry-after"), "900"); // the default window
  } finally {
    await server.close();
  }
});

Deno.test("users: downloads are throttled per client address behind a trusted proxy", async () => {
  const server = await realHttpServer({
    trustedProxies: ["127.0.0.1"],
    keyFileAttemptsPerAddress: 3,
    keyFileAttemptsPerUser: 100,
    keyFileAttemptWindowSeconds: 120,
  });
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    const attacker = "203.0.113.7";
    // Guesses against several ids from one address all count against that address.
    const firstTarget = crypto.randomUUID();
    assertError(await downloadByProof(server, firstTarget, alice.proof, attacker), 403);
    server.clock.advanceSeconds(1);
    assertError(await downloadByProof(server, alice.clientId, randomProof(), attacker), 403);
    assertError(await downloadByProof(server, crypto.randomUUID(), alice.proof, attacker), 403);
    const refused = await downloadByProof(server, alice.clientId, alice.proof, attacker);
    assertError(refused, 429, THROTTLED);
    assert.equal(refused.headers.get("retry-after"), "119");
    // An address in the same IPv6 /64 counts as the same client; another address is free.
    const v6 = "2001:db8::1";
    for (let i = 0; i < 3; i++) {
      assert.notEqual((await downloadByProof(server, alice.clientId, alice.proof, v6)).status, 429);
    }
    assertError(await downloadByProof(server, alice.clientId, alice.proof, "2001:db8::ff"), 429);
    const other = await downloadByProof(server, alice.clientId, alice.proof, "198.51.100.1");
    assert.equal(other.status, 200, other.text);
    // The attempts are in the store, where housekeeping forgets them after the longest window.
    server.clock.advanceSeconds(24 * 3600);
    await runHousekeeping({
      store: server.store,
      blobs: undefined,
      clock: server.clock.read,
    });
    // Only the first attempt is older than a day. (The server's own housekeeping, started with
    // it, may have run on the advanced clock first: the store says what is left either way.)
    assert.deepEqual(await attemptsOf(server, firstTarget), []);
    // Alice's five recorded attempts stay (the refused ones were never recorded).
    assert.equal((await attemptsOf(server, alice.clientId)).length, 5);
    server.clock.advanceSeconds(2);
    await runHousekeeping({
      store: server.store,
      blobs: undefined,
      clock: server.clock.read,
    });
    assert.deepEqual(await attemptsOf(server, alice.clientId), []);
  } finally {
    await server.close();
  }
});

Deno.test("users: an untrusted peer cannot escape the address throttle with X-Forwarded-For", async () => {
  const server = await realHttpServer({
    keyFileAttemptsPerAddress: 2,
    keyFileAttemptsPerUser: 100,
  });
  try {
    const unknown = () => crypto.randomUUID();
    assertError(await downloadByProof(server, unknown(), randomProof(), "10.0.0.1"), 403);
    assertError(await downloadByProof(server, unknown(), randomProof(), "10.0.0.2"), 403);
    assertError(await downloadByProof(server, unknown(), randomProof(), "10.0.0.3"), 429);
  } finally {
    await server.close();
  }
});

Deno.test("users: the throttle settings are read from the environment and checked", () => {
  const options = serverOptionsFromEnv(
    new Map([
      ["ARCA_KEY_FILE_ATTEMPTS_PER_USER", "4"],
      ["ARCA_KEY_FILE_ATTEMPTS_PER_ADDRESS", "9"],
      ["ARCA_KEY_FILE_ATTEMPT_WINDOW_SECONDS", "600"],
      ["ARCA_MAX_KEY_FILE_BYTES", "4096"],
    ]),
  );
  assert.equal(options.keyFileAttemptsPerUser, 4);
  assert.equal(options.keyFileAttemptsPerAddress, 9);
  assert.equal(options.keyFileAttemptWindowSeconds, 600);
  assert.equal(options.maxKeyFileBytes, 4096);
  const defaults = serverOptionsFromEnv(new Map());
  assert.equal(defaults.keyFileAttemptsPerUser, undefined);
  const bad: Array<[string, string, RegExp]> = [
    ["ARCA_KEY_FILE_ATTEMPTS_PER_USER", "0", /ARCA_KEY_FILE_ATTEMPTS_PER_USER must be an integer/],
    ["ARCA_KEY_FILE_ATTEMPTS_PER_ADDRESS", "x", /ARCA_KEY_FILE_ATTEMPTS_PER_ADDRESS must be/],
    ["ARCA_KEY_FILE_ATTEMPT_WINDOW_SECONDS", "86401", /from 1 to 86400/],
    ["ARCA_MAX_KEY_FILE_BYTES", "100", /from 1024 to 1048576/],
  ];
  for (const [name, value, message] of bad) {
    assert.throws(() => serverOptionsFromEnv(new Map([[name, value]])), message);
  }
});

Deno.test("users: DELETE /me removes the client, key file, tokens (cached too), records, shares and policies", async () => {
  const server = await realHttpServer();
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "doc");
    const READ = { allow: [{ read: {} }] };
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
    // The token is in the server's bearer cache now.
    assert.equal((await call(server, "GET", `${USERS}/me`, { token: alice.token })).status, 200);

    const deleted = await call(server, "DELETE", `${USERS}/me`, { token: alice.token });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(deleted.text, "");

    // The cached token is refused at once, everywhere; no new token can be had.
    assertError(
      await call(server, "GET", `${USERS}/me`, { token: alice.token }),
      401,
      /^Bearer token is invalid or expired$/,
    );
    assertError(await call(server, "DELETE", `${USERS}/me`, { token: alice.token }), 401);
    assertError(
      await call(server, "GET", `/v1/storage/records/${record.meta.record_id}`, {
        token: alice.token,
      }),
      401,
    );
    const token = await call(server, "POST", "/v1/auth/token", {
      headers: { authorization: basic(alice.apiKeyId, alice.apiSecret) },
      body: "grant_type=client_credentials",
    });
    assertError(token, 401);
    // The key file is gone: public routes and the proof download answer as for anyone unknown.
    assertError(
      await call(server, "GET", `${USERS}/${alice.clientId}/reminder`),
      404,
      /^unknown user$/,
    );
    assertError(await call(server, "GET", `${USERS}/${alice.clientId}/key-file/kdf`), 404);
    assertError(await downloadByProof(server, alice.clientId, alice.proof), 403);
    assert.equal(await server.store.users.get(alice.clientId), undefined);
    assert.equal(await server.store.clients.get(alice.clientId), undefined);
    assert.equal(await server.store.records.get(record.meta.record_id), undefined);
    const policies = await server.store.policies.list({});
    assert.deepEqual(
      policies.filter((p) => p.writerId === alice.clientId || p.readerId === alice.clientId),
      [],
    );
    const grant = { userId: bob.clientId, writerId: bob.clientId, readerId: alice.clientId };
    assert.equal(await server.store.accessKeys.get({ ...grant, type: "doc" }), undefined);
    // Bob is untouched.
    assert.ok(await server.store.clients.get(bob.clientId));
    assert.equal(
      (await call(server, "GET", `/v1/storage/clients/${bob.clientId}`, { token: bob.token }))
        .status,
      200,
    );
  } finally {
    await server.close();
  }
});

Deno.test("users: the admin client deletion removes the key file too", async () => {
  const admin = "admin-token-for-user-tests";
  const server = await realHttpServer({ adminToken: admin });
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    const deleted = await call(server, "DELETE", `/v1/arca/admin/clients/${alice.clientId}`, {
      token: admin,
    });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(await server.store.users.get(alice.clientId), undefined);
    assertError(await call(server, "GET", `${USERS}/${alice.clientId}/reminder`), 404);
  } finally {
    await server.close();
  }
});

/** The times of a user id's download attempts still in the store. */
function attemptsOf(server: { store: Store }, userId: string): Promise<number[]> {
  return server.store.users.recentAttempts({ userId }, 0, 100);
}
