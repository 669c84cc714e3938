// Limits on hostile callers of the TSV1 routes (issue 10, findings 4, 5, 6, 7 and 12): the
// credential-note oracle, the login throttle's addresses, the replay cache's budgets, anonymous
// note size and rate, and identity note names a client cannot squat.
import assert from "node:assert/strict";
import type { Context } from "hono";
import { deriveNoteCredentials } from "../lib/crypto/identity_credentials.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { newPkceVerifier, pkceChallenge } from "../lib/crypto/pkce.ts";
import { ValidationError } from "../lib/errors.ts";
import { addressReader } from "../lib/server/_client_address.ts";
import type { ServerSettings } from "../lib/server/settings.ts";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { identityLogin } from "../lib/sdk/identity.ts";
import { createRealm, registerIdentity } from "../lib/sdk/identity_admin.ts";
import { assertError, type TestServer, testServer } from "./_server_helpers.ts";
import {
  type KeyHolder,
  keyHolder,
  noteBody,
  registeredHolder,
  signedCall,
} from "./_tsv1_helpers.ts";

const ADMIN = "admin-secret-for-tests";
const NOTES = "/v2/storage/notes";

async function withServer(
  settings: ServerSettings,
  fn: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await testServer({
    adminToken: ADMIN,
    publicUrl: "http://arca.test",
    ...settings,
  });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

function connection(server: TestServer) {
  return {
    apiUrl: "http://arca.test",
    adminToken: ADMIN,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
      await server.app.request(input instanceof Request ? input : String(input), init),
    now: () => Math.floor(server.clock.now / 1000),
  };
}

async function derivedHolder(username: string, password: string): Promise<KeyHolder> {
  const suite = await getSuite("Sodium");
  const creds = await deriveNoteCredentials(suite, username, password, "Acme");
  return { suite, encryption: creds.encryptionKeys, signing: creds.signingKeys };
}

async function noteName(username: string): Promise<string> {
  const creds = await deriveNoteCredentials(await getSuite("Sodium"), username, "x", "Acme");
  return creds.noteName;
}

async function badLogin(server: TestServer, remoteAddr: string, headers = {}) {
  const verifier = newPkceVerifier();
  const body = {
    username: "ghost",
    realm_name: "acme",
    app_name: "account",
    code_challenge: await pkceChallenge(verifier),
    login_style: "api",
  };
  return await signedCall(server, await keyHolder(), "POST", "/v1/identity/login", {
    body,
    remoteAddr,
    headers,
  });
}

// Finding 4 -----------------------------------------------------------------------------------

Deno.test("credential note: a wrong key and the right key without a token answer the same", async () => {
  await withServer({}, async (server) => {
    const conn = connection(server);
    await createRealm("Acme", conn);
    await registerIdentity({ ...conn, realmName: "Acme", username: "alice", password: "s3cret!" });
    const path = `${NOTES}?id_string=${await noteName("alice")}`;
    const right = await derivedHolder("alice", "s3cret!");
    const wrong = await derivedHolder("alice", "guess");
    const replies = [
      await signedCall(server, wrong, "GET", path),
      await signedCall(server, right, "GET", path),
      await signedCall(server, right, "GET", path, {
        headers: { "X-TOZID-LOGIN-TOKEN": "not-a-token" },
      }),
    ];
    // Every answer carries its own X-Request-Id; all other headers must match.
    const headers = (reply: { headers: Headers }) =>
      [...reply.headers].filter(([name]) => name !== "x-request-id");
    for (const reply of replies) {
      assertError(reply, 404);
      assert.equal(reply.text, replies[0]!.text);
      assert.deepEqual(headers(reply), headers(replies[0]!));
    }
  });
});

Deno.test("credential note: failed reads count in the login throttle (429)", async () => {
  await withServer({}, async (server) => {
    const conn = connection(server);
    await createRealm("Acme", conn);
    await registerIdentity({ ...conn, realmName: "Acme", username: "alice", password: "s3cret!" });
    const alice = await identityLogin("alice", "s3cret!", "Acme", "account", conn);
    const token = { "X-TOZID-LOGIN-TOKEN": alice.tokens.accessToken };
    const path = `${NOTES}?id_string=${await noteName("alice")}`;
    const right = await derivedHolder("alice", "s3cret!");
    for (let i = 0; i < 5; i++) {
      const guess = await derivedHolder("alice", `guess-${i}`);
      assertError(
        await signedCall(server, guess, "GET", path, { remoteAddr: "198.51.100.1" }),
        404,
      );
    }
    const blocked = await signedCall(server, right, "GET", path, {
      headers: token,
      remoteAddr: "198.51.100.1",
    });
    assertError(blocked, 429);
    assert.ok(Number(blocked.headers.get("retry-after")) > 0);
    // another address is not blocked, and the window passes
    const other = await signedCall(server, right, "GET", path, {
      headers: token,
      remoteAddr: "198.51.100.2",
    });
    assert.equal(other.status, 200, other.text);
  });
});

// Finding 5 -----------------------------------------------------------------------------------

Deno.test("login throttle: trusted proxies' X-Forwarded-For names the client; others' does not", async () => {
  await withServer({ trustedProxies: ["10.0.0.0/8", "2001:db8::1"] }, async (server) => {
    const via = (client: string) => ({ "X-Forwarded-For": `${client}, 10.9.9.9` });
    for (let i = 0; i < 5; i++) {
      assertError(await badLogin(server, "10.1.2.3", via("198.51.100.7")), 401);
    }
    assertError(await badLogin(server, "10.1.2.3", via("198.51.100.7")), 429);
    assertError(await badLogin(server, "2001:db8::1", via("198.51.100.7")), 429);
    assertError(await badLogin(server, "10.1.2.3", via("198.51.100.8")), 401);
    // an untrusted peer's header is ignored: its own address is the key
    for (let i = 0; i < 5; i++) {
      assertError(await badLogin(server, "192.0.2.1", via(`203.0.113.${i}`)), 401);
    }
    assertError(await badLogin(server, "192.0.2.1", via("203.0.113.99")), 429);
    assertError(await badLogin(server, "192.0.2.2"), 401);
  });
});

Deno.test("login throttle: a locked username is locked for one address, not for everyone", async () => {
  await withServer({}, async (server) => {
    for (let i = 0; i < 5; i++) assertError(await badLogin(server, "203.0.113.1"), 401);
    assertError(await badLogin(server, "203.0.113.1"), 429);
    assertError(await badLogin(server, "203.0.113.2"), 401);
  });
});

// Finding 6 -----------------------------------------------------------------------------------

Deno.test("replay cache: one signing key cannot exhaust it for others (429)", async () => {
  await withServer({ tsv1NoncesPerKey: 5 }, async (server) => {
    const flooder = await keyHolder();
    for (let i = 0; i < 5; i++) {
      assertError(await signedCall(server, flooder, "GET", `${NOTES}?id_string=n${i}`), 404);
    }
    const refused = await signedCall(server, flooder, "GET", `${NOTES}?id_string=n`);
    assertError(refused, 429, /signing key/);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assertError(await signedCall(server, await keyHolder(), "GET", `${NOTES}?id_string=n`), 404);
  });
});

Deno.test("replay cache: one address's self-made keys cannot exhaust it for others (429)", async () => {
  await withServer({ tsv1AnonymousNoncesPerAddress: 5 }, async (server) => {
    const get = async (holder: KeyHolder, remoteAddr: string) =>
      await signedCall(server, holder, "GET", `${NOTES}?id_string=n`, { remoteAddr });
    for (let i = 0; i < 5; i++) assertError(await get(await keyHolder(), "203.0.113.5"), 404);
    assertError(await get(await keyHolder(), "203.0.113.5"), 429, /address/);
    assertError(await get(await keyHolder(), "203.0.113.6"), 404);
    // a registered client from the same address is not an anonymous caller
    assertError(await get(await registeredHolder(server), "203.0.113.5"), 404);
    // once the nonces leave the window, the address may sign again
    server.clock.advanceSeconds(700);
    assertError(await get(await keyHolder(), "203.0.113.5"), 404);
  });
});

// Finding 7 (notes) ---------------------------------------------------------------------------

Deno.test("anonymous notes: larger than the cap is 413", async () => {
  await withServer({}, async (server) => {
    const writer = await keyHolder();
    const recipient = await keyHolder();
    const big = await noteBody(writer, recipient, { blob: "x".repeat(70 * 1024) });
    const refused = await signedCall(server, writer, "POST", NOTES, { body: big });
    assertError(refused, 413, /anonymous.*65536 bytes/i);
    const small = await noteBody(writer, recipient, { blob: "x".repeat(1024) });
    assert.equal((await signedCall(server, writer, "POST", NOTES, { body: small })).status, 201);
    // registered writers are not held to the anonymous cap
    const registered = await registeredHolder(server);
    const theirs = await noteBody(registered, recipient, { blob: "x".repeat(70 * 1024) });
    assert.equal(
      (await signedCall(server, registered, "POST", NOTES, { body: theirs })).status,
      201,
    );
  });
});

Deno.test("anonymous notes: rate-limited per address (429), then the minute passes", async () => {
  await withServer({ anonymousNotesPerMinute: 3, anonymousNoteMaxBytes: 4096 }, async (server) => {
    const recipient = await keyHolder();
    const post = async (remoteAddr: string) => {
      const writer = await keyHolder();
      const body = await noteBody(writer, recipient, { a: "b" });
      return await signedCall(server, writer, "POST", NOTES, { body, remoteAddr });
    };
    for (let i = 0; i < 3; i++) assert.equal((await post("203.0.113.9")).status, 201);
    const refused = await post("203.0.113.9");
    assertError(refused, 429, /anonymous notes/i);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.equal((await post("203.0.113.10")).status, 201);
    server.clock.advanceSeconds(61);
    assert.equal((await post("203.0.113.9")).status, 201);
    const writer = await keyHolder();
    const big = await noteBody(writer, recipient, { blob: "x".repeat(5000) });
    assertError(await signedCall(server, writer, "POST", NOTES, { body: big }), 413, /4096/);
  });
});

// Finding 12 ----------------------------------------------------------------------------------

Deno.test("identity note names: a squatter neither blocks nor hijacks a future identity", async () => {
  await withServer({}, async (server) => {
    const conn = connection(server);
    await createRealm("Acme", conn);
    const squatter = await registeredHolder(server);
    const name = await noteName("carol");
    const body = await noteBody(squatter, squatter, { fake: "config" }, { id_string: name });
    assert.equal((await signedCall(server, squatter, "POST", NOTES, { body })).status, 201);

    const carol = await registerIdentity({
      ...conn,
      realmName: "Acme",
      username: "carol",
      password: "pa55word",
    });
    assert.equal(carol.noteName, name);
    const login = await identityLogin("carol", "pa55word", "Acme", "account", conn);
    assert.equal(login.client.clientId, carol.clientId);

    // the name now belongs to carol's client: the squatter can neither write nor replace it
    const again = await noteBody(squatter, squatter, { fake: "config" }, { id_string: name });
    assertError(await signedCall(server, squatter, "POST", NOTES, { body: again }), 409);
    assertError(await signedCall(server, squatter, "PUT", NOTES, { body: again }), 403);
    const relogin = await identityLogin("carol", "pa55word", "Acme", "account", conn);
    assert.equal(relogin.client.clientId, carol.clientId);
  });
});

Deno.test("client address: trusted hops are skipped from the right; IPv6 counts by /64", () => {
  const context = (peer: string | undefined, forwarded?: string) =>
    ({
      env: peer === undefined ? undefined : { remoteAddr: { hostname: peer } },
      req: { header: (name: string) => name === "x-forwarded-for" ? forwarded : undefined },
    }) as unknown as Context;
  const addressOf = addressReader(["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]);
  assert.equal(addressOf(context(undefined)), "local");
  assert.equal(addressOf(context("198.51.100.1", "1.2.3.4")), "198.51.100.1");
  assert.equal(addressOf(context("10.0.0.1", "1.2.3.4, 5.6.7.8, 10.2.2.2")), "5.6.7.8");
  assert.equal(addressOf(context("10.0.0.1", "10.3.3.3, 10.2.2.2")), "10.3.3.3");
  assert.equal(addressOf(context("10.0.0.1")), "10.0.0.1");
  assert.equal(addressOf(context("10.0.0.1", "1.2.3.4, garbage, 10.2.2.2")), "10.2.2.2");
  assert.equal(addressOf(context("192.0.2.1", "[2001:db9:1:2:3:4:5:6]")), "2001:db9:1:2::/64");
  assert.equal(addressOf(context("2001:db8::7", "::ffff:203.0.113.4")), "203.0.113.4");
  assert.equal(addressOf(context("2001:db9:1:2::1")), addressOf(context("2001:db9:1:2:ffff::9")));
  assert.notEqual(addressOf(context("2001:db9:1:2::1")), addressOf(context("2001:db9:1:3::1")));
  for (const bad of ["10.0.0.0/33", "300.1.1.1", "::1/129", "10.0.0.0/8/1", "host", "1::2::3"]) {
    assert.throws(() => addressReader([bad]), ValidationError, bad);
  }
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_TRUSTED_PROXIES", "10.0.0.0/8, nope"]])),
    /nope/,
  );
  const options = serverOptionsFromEnv(
    new Map([["ARCA_TRUSTED_PROXIES", "10.0.0.0/8, ::1"], [
      "ARCA_ANONYMOUS_NOTES_PER_MINUTE",
      "7",
    ]]),
  );
  assert.deepEqual(options.trustedProxies, ["10.0.0.0/8", "::1"]);
  assert.equal(options.anonymousNotesPerMinute, 7);
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_ANONYMOUS_NOTE_MAX_BYTES", "10"]])),
    /ARCA_ANONYMOUS_NOTE_MAX_BYTES/,
  );
});
