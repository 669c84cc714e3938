// Identity login in-process: the SDK talks to the app through an injected fetch, on the server's
// fake clock, so token expiry, session expiry and rate-limit windows can be stepped through.
import assert from "node:assert/strict";
import { deriveNoteCredentials } from "../lib/crypto/identity_credentials.ts";
import { newPkceVerifier, pkceChallenge } from "../lib/crypto/pkce.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import {
  ArcaError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../lib/errors.ts";
import { identityLogin, realmInfo } from "../lib/sdk/identity.ts";
import {
  createRealm,
  deleteIdentity,
  listRealms,
  registerIdentity,
} from "../lib/sdk/identity_admin.ts";
import { readNoteByName } from "../lib/sdk/notes.ts";
import { assertError, call, type TestServer, testServer } from "./_server_helpers.ts";
import { type KeyHolder, signedCall } from "./_tsv1_helpers.ts";

const ADMIN = "admin-secret-for-tests";

function connection(server: TestServer) {
  return {
    apiUrl: "http://arca.test",
    adminToken: ADMIN,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
      await server.app.request(input instanceof Request ? input : String(input), init),
    now: () => Math.floor(server.clock.now / 1000),
  };
}

async function withRealm(
  fn: (server: TestServer, conn: ReturnType<typeof connection>) => Promise<void>,
): Promise<void> {
  const server = await testServer({ adminToken: ADMIN, publicUrl: "http://arca.test" });
  try {
    const conn = connection(server);
    await createRealm("Acme", conn);
    await registerIdentity({ ...conn, realmName: "Acme", username: "Alice", password: "s3cret!" });
    await fn(server, conn);
  } finally {
    await server.close();
  }
}

/** The derived keys of a username/password, as a TSV1 key holder. */
async function derivedHolder(
  username: string,
  password: string,
  realm = "Acme",
): Promise<KeyHolder> {
  const suite = await getSuite("Sodium");
  const creds = await deriveNoteCredentials(suite, username, password, realm);
  return { suite, encryption: creds.encryptionKeys, signing: creds.signingKeys };
}

async function loginBody(username = "alice", realm = "acme") {
  const verifier = newPkceVerifier();
  return {
    verifier,
    body: {
      username,
      realm_name: realm,
      app_name: "account",
      code_challenge: await pkceChallenge(verifier),
      login_style: "api",
    },
  };
}

Deno.test("identity: register, log in, and use the identity's storage client", async () => {
  await withRealm(async (_server, conn) => {
    const identity = await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    assert.equal(identity.realm.name, "Acme");
    assert.equal(identity.realm.domain, "acme");
    assert.equal(identity.config.realm_name, "Acme");
    assert.equal(identity.config.app_name, "account");
    assert.equal(identity.tokens.tokenType, "Bearer");
    assert.ok(identity.tokens.expiry.getTime() > conn.now());
    assert.ok(identity.tokens.refreshExpiry > identity.tokens.expiry);
    const record = await identity.client.write("diary", { entry: "dear diary" });
    const again = await identity.client.read(record.meta.recordId);
    assert.equal(again.data.entry, "dear diary");

    const upper = await identityLogin("ALICE", "s3cret!", "acme", undefined, conn);
    assert.equal(upper.client.clientId, identity.client.clientId);
  });
});

Deno.test("identity: wrong password and unknown user are the same 401", async () => {
  await withRealm(async (server, conn) => {
    const wrong = await identityLogin("alice", "wrong", "Acme", "account", conn).catch((e) => e);
    const unknown = await identityLogin("mallory", "s3cret!", "Acme", "account", conn).catch((e) =>
      e
    );
    assert.ok(wrong instanceof UnauthorizedError);
    assert.ok(unknown instanceof UnauthorizedError);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.message, unknown.message);

    const replies = [];
    for (const [user, password] of [["alice", "nope"], ["nobody", "nope"]]) {
      const { body } = await loginBody(user!);
      const holder = await derivedHolder(user!, password!);
      replies.push(await signedCall(server, holder, "POST", "/v1/identity/login", { body }));
    }
    assert.equal(replies[0]!.status, 401);
    assert.equal(replies[0]!.status, replies[1]!.status);
    assert.equal(replies[0]!.text, replies[1]!.text);
    assert.deepEqual(
      [...replies[0]!.headers.keys()].sort(),
      [...replies[1]!.headers.keys()].sort(),
    );
    // an unknown realm answers the same too
    const { body } = await loginBody("alice", "nowhere");
    const stray = await signedCall(
      server,
      await derivedHolder("alice", "s3cret!", "nowhere"),
      "POST",
      "/v1/identity/login",
      { body },
    );
    assert.equal(stray.text, replies[0]!.text);
  });
});

Deno.test("identity: failures are rate-limited per username with 429 and Retry-After", async () => {
  await withRealm(async (server, conn) => {
    for (let i = 0; i < 5; i++) {
      await assert.rejects(
        identityLogin("alice", `guess-${i}`, "Acme", "account", conn),
        UnauthorizedError,
      );
    }
    const blocked = await identityLogin("alice", "s3cret!", "Acme", "account", conn).catch((e) =>
      e
    );
    assert.ok(blocked instanceof ArcaError);
    assert.equal(blocked.status, 429);
    const { body } = await loginBody();
    const raw = await signedCall(
      server,
      await derivedHolder("alice", "s3cret!"),
      "POST",
      "/v1/identity/login",
      { body },
    );
    assertError(raw, 429);
    assert.ok(Number(raw.headers.get("retry-after")) > 0);
    // unknown usernames are throttled the same way
    for (let i = 0; i < 5; i++) {
      await assert.rejects(identityLogin("ghost", "x", "Acme", "account", conn), UnauthorizedError);
    }
    const ghost = await identityLogin("ghost", "x", "Acme", "account", conn).catch((e) => e);
    assert.equal(ghost.status, 429);
    // the window passes
    server.clock.advanceSeconds(15 * 60 + 1);
    const identity = await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    assert.ok(identity.tokens.accessToken.length > 20);
  });
});

Deno.test("identity: a success clears earlier failures", async () => {
  await withRealm(async (_server, conn) => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        await assert.rejects(
          identityLogin("alice", "bad", "Acme", "account", conn),
          UnauthorizedError,
        );
      }
      await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    }
  });
});

Deno.test("identity: tokens refresh; refresh tokens work once; access tokens expire", async () => {
  await withRealm(async (server, conn) => {
    const identity = await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    const first = identity.tokens;
    assert.equal(await identity.accessToken(), first.accessToken);
    const second = await identity.refresh();
    assert.notEqual(second.accessToken, first.accessToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    const reused = await call(server, "POST", "/v1/identity/tozid/refresh", {
      body: { refresh_token: first.refreshToken },
    });
    assertError(reused, 401);

    // near expiry, accessToken() refreshes by itself
    server.clock.advanceSeconds(15 * 60 - 30);
    const third = await identity.accessToken();
    assert.notEqual(third, second.accessToken);

    // an expired access token no longer opens the credential note
    const derived = await derivedHolder("alice", "s3cret!");
    const creds = await deriveNoteCredentials(derived.suite, "alice", "s3cret!", "Acme");
    const party = {
      ...conn,
      suite: derived.suite,
      signingKeys: derived.signing,
      encryptionKeys: derived.encryption,
    };
    const ok = await readNoteByName(party, creds.noteName, {
      headers: { "X-TOZID-LOGIN-TOKEN": third },
    });
    assert.ok(JSON.parse(ok.data.storage!).client_id);
    server.clock.advanceSeconds(15 * 60 + 1);
    // every failed read of a credential note answers 404, the answer a wrong password gets
    await assert.rejects(
      readNoteByName(party, creds.noteName, { headers: { "X-TOZID-LOGIN-TOKEN": third } }),
      NotFoundError,
    );
    // and refresh tokens expire too
    server.clock.advanceSeconds(8 * 3600);
    await assert.rejects(identity.refresh(), UnauthorizedError);
  });
});

Deno.test("identity: the credential note needs this identity's token and keys", async () => {
  await withRealm(async (server, conn) => {
    await registerIdentity({ ...conn, realmName: "Acme", username: "bob", password: "hunter2" });
    const bob = await identityLogin("bob", "hunter2", "Acme", "account", conn);
    const alice = await derivedHolder("alice", "s3cret!");
    const creds = await deriveNoteCredentials(alice.suite, "alice", "s3cret!", "Acme");
    const path = `/v2/storage/notes?id_string=${creds.noteName}`;
    const bobsToken = { "X-TOZID-LOGIN-TOKEN": bob.tokens.accessToken };
    // another identity's token, no token and a wrong key all answer the same 404
    assertError(await signedCall(server, alice, "GET", path, { headers: bobsToken }), 404);
    assertError(await signedCall(server, alice, "GET", path), 404);
    const aliceId = await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    const stranger = await derivedHolder("alice", "other password");
    const aliceToken = { "X-TOZID-LOGIN-TOKEN": aliceId.tokens.accessToken };
    assertError(await signedCall(server, stranger, "GET", path, { headers: aliceToken }), 404);
    assert.equal(
      (await signedCall(server, alice, "GET", path, { headers: aliceToken })).status,
      200,
    );
  });
});

Deno.test("identity: login steps refuse bad sessions, bad PKCE and replays", async () => {
  await withRealm(async (server) => {
    const alice = await derivedHolder("alice", "s3cret!");
    const { suite } = alice;
    const { verifier, body } = await loginBody();
    const login = await signedCall(server, alice, "POST", "/v1/identity/login", { body });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.type, "continue");
    const actionPath = new URL(login.json.action_url).pathname;
    const form = new URLSearchParams({
      public_key: suite.encodePublicKey(alice.encryption.publicKey),
      public_signing_key: suite.encodePublicKey(alice.signing.publicKey),
    }).toString();
    const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
    const bob = await derivedHolder("alice", "not the password");
    assertError(
      await signedCall(server, bob, "POST", actionPath, { body: form, headers: formHeaders }),
      401,
    );
    const missing = `/v1/identity/login/continue/${crypto.randomUUID()}`;
    assertError(
      await signedCall(server, alice, "POST", missing, { body: form, headers: formHeaders }),
      401,
    );
    const cont = await signedCall(server, alice, "POST", actionPath, {
      body: form,
      headers: formHeaders,
    });
    assert.equal(cont.status, 200, cont.text);
    assert.equal(cont.json.type, "fetch");
    assertError(
      await signedCall(server, alice, "POST", actionPath, { body: form, headers: formHeaders }),
      401,
    );

    const redirect = { realm_name: "acme", ...cont.json.context, code_verifier: newPkceVerifier() };
    assertError(
      await signedCall(server, alice, "POST", "/v1/identity/tozid/redirect", { body: redirect }),
      401,
    );
    // the session was consumed by the failed attempt: the right verifier is now too late
    const right = { ...redirect, code_verifier: verifier };
    assertError(
      await signedCall(server, alice, "POST", "/v1/identity/tozid/redirect", { body: right }),
      401,
    );
  });
});

Deno.test("identity: login sessions expire", async () => {
  await withRealm(async (server) => {
    const alice = await derivedHolder("alice", "s3cret!");
    const { body } = await loginBody();
    const login = await signedCall(server, alice, "POST", "/v1/identity/login", { body });
    server.clock.advanceSeconds(11 * 60);
    const form = new URLSearchParams({
      public_key: alice.suite.encodePublicKey(alice.encryption.publicKey),
      public_signing_key: alice.suite.encodePublicKey(alice.signing.publicKey),
    }).toString();
    const path = new URL(login.json.action_url).pathname;
    assertError(
      await signedCall(server, alice, "POST", path, {
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      401,
    );
  });
});

Deno.test("identity admin: realms and identities, with their errors", async () => {
  const server = await testServer({ adminToken: ADMIN, publicUrl: "http://arca.test" });
  try {
    const conn = connection(server);
    const realm = await createRealm("IntegrationTest", conn);
    assert.deepEqual([realm.name, realm.domain], ["IntegrationTest", "integrationtest"]);
    assert.match(realm.brokerId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await realmInfo("integrationtest", conn), realm);
    assert.deepEqual((await listRealms(conn)).map((r) => r.name), ["IntegrationTest"]);
    await assert.rejects(createRealm("integrationTEST", conn), ConflictError);
    await assert.rejects(createRealm("bad name", conn), ValidationError);
    assertError(
      await call(server, "POST", "/v1/arca/admin/realms", { body: { name: "x y" }, token: ADMIN }),
      400,
    );
    assertError(await call(server, "POST", "/v1/arca/admin/realms", { body: { name: "Z" } }), 401);
    assertError(await call(server, "GET", "/v1/identity/info/realm/unknown"), 404);

    const made = await registerIdentity({
      ...conn,
      realmName: "IntegrationTest",
      username: "FRED",
      password: "correcthorsebatterystaple",
    });
    assert.equal(made.username, "fred");
    // the E3DB vector's note name
    assert.equal(made.noteName, "h7ybsbRZfkmvt8Xib2I9RbOLOX1igfHHgey7rH_SZRM");
    await assert.rejects(
      registerIdentity({ ...conn, realmName: "IntegrationTest", username: "fred", password: "x" }),
      ConflictError,
    );
    const listed = await call(server, "GET", "/v1/arca/admin/realms/integrationtest/identities", {
      token: ADMIN,
    });
    assert.deepEqual(listed.json.map((i: { username: string }) => i.username), ["fred"]);
    assert.equal(listed.json[0].client_id, made.clientId);

    await deleteIdentity("IntegrationTest", "Fred", conn);
    await assert.rejects(
      identityLogin("fred", "correcthorsebatterystaple", "IntegrationTest", undefined, conn),
      UnauthorizedError,
    );
    const mixed = await call(server, "POST", "/v1/arca/admin/realms/integrationtest/identities", {
      token: ADMIN,
      body: {
        username: "x",
        public_key: { curve25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" },
        signing_key: { ed25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" },
        client: {
          name: "c",
          public_key: { curve25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" },
          signing_key: { p384: "bm90IGEga2V5" },
        },
      },
    });
    assertError(mixed, 400);
    await assert.rejects(
      registerIdentity({ ...conn, realmName: "Nowhere", username: "a", password: "b" }),
      (e: unknown) => e instanceof ArcaError && e.status === 404,
    );
  } finally {
    await server.close();
  }
});

Deno.test("identity: NIST identities log in too", async () => {
  const server = await testServer({ adminToken: ADMIN, publicUrl: "http://arca.test" });
  try {
    const conn = connection(server);
    await createRealm("Nist", conn);
    await registerIdentity({
      ...conn,
      realmName: "Nist",
      username: "nora",
      password: "pw",
      suite: "NIST",
    });
    const identity = await identityLogin("nora", "pw", "Nist", "account", {
      ...conn,
      suite: "NIST",
    });
    const record = await identity.client.write("t", { a: "b" });
    assert.equal((await identity.client.read(record.meta.recordId)).data.a, "b");
    await assert.rejects(identityLogin("nora", "pw", "Nist", "account", conn), UnauthorizedError);
  } finally {
    await server.close();
  }
});
