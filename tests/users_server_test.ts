/**
 * Users over real HTTP (issue 11): key file upload and replace, the caller's view, the public
 * reminder and KDF header, download by passphrase proof, and every refusal (malformed bodies,
 * ids and headers, missing or bad tokens, clients that are not users).
 */
import assert from "node:assert/strict";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { assertError, call, registerClient, TIMESTAMP_SHAPE } from "./_server_helpers.ts";
import {
  checksumOf,
  craftKeyFile,
  downloadByProof,
  makeUser,
  proofPair,
  putKeyFile,
  randomProof,
  USERS,
} from "./_user_helpers.ts";

Deno.test("users: first upload 201, then the caller's view, key file, reminder and KDF header", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const keyFile = craftKeyFile();
    const { proof, verifier } = await proofPair();
    const uploaded = await putKeyFile(server, alice, keyFile, verifier, "the blue house");
    assert.equal(uploaded.status, 201, uploaded.text);
    assert.deepEqual(Object.keys(uploaded.json).sort(), ["checksum", "updated_at", "user_id"]);
    assert.equal(uploaded.json.user_id, alice.clientId);
    assert.equal(uploaded.json.checksum, await checksumOf(keyFile));
    assert.match(uploaded.json.updated_at, TIMESTAMP_SHAPE);

    const me = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json, {
      user_id: alice.clientId,
      checksum: await checksumOf(keyFile),
      updated_at: uploaded.json.updated_at,
      reminder: "the blue house",
      key_file_downloads: 0,
      failed_key_file_downloads: 0,
    });

    const own = await call(server, "GET", `${USERS}/me/key-file`, { token: alice.token });
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.json, {
      user_id: alice.clientId,
      key_file: encodeBase64Url(keyFile),
      checksum: await checksumOf(keyFile),
      updated_at: uploaded.json.updated_at,
    });

    const reminder = await call(server, "GET", `${USERS}/${alice.clientId}/reminder`);
    assert.equal(reminder.status, 200, reminder.text);
    assert.deepEqual(reminder.json, { user_id: alice.clientId, reminder: "the blue house" });

    const kdf = await call(server, "GET", `${USERS}/${alice.clientId.toUpperCase()}/key-file/kdf`);
    assert.equal(kdf.status, 200, kdf.text);
    assert.equal(kdf.json.user_id, alice.clientId);
    assert.deepEqual(decodeBase64Url(kdf.json.header), keyFile.slice(0, 48));
    assert.doesNotMatch(kdf.json.header, /[=+/]/); // unpadded base64url

    const downloaded = await downloadByProof(server, alice.clientId, proof);
    assert.equal(downloaded.status, 200, downloaded.text);
    assert.deepEqual(downloaded.json, own.json);
  } finally {
    await server.close();
  }
});

Deno.test("users: a replace answers 200, keeps or changes the reminder, and changes the checksum and verifier", async () => {
  const server = await realHttpServer();
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"), "first");
    const before = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    server.clock.advanceSeconds(5);

    const second = craftKeyFile();
    const next = await proofPair();
    const kept = await putKeyFile(server, alice, second, next.verifier);
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.json.checksum, await checksumOf(second));
    assert.notEqual(kept.json.checksum, before.json.checksum);
    assert.notEqual(kept.json.updated_at, before.json.updated_at);
    const afterKeep = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(afterKeep.json.reminder, "first");
    assert.equal(afterKeep.json.checksum, await checksumOf(second));

    // The old proof no longer opens the download; the new one does and gets the new bytes.
    assertError(await downloadByProof(server, alice.clientId, alice.proof), 403);
    const fresh = await downloadByProof(server, alice.clientId, next.proof);
    assert.equal(fresh.status, 200, fresh.text);
    assert.deepEqual(decodeBase64Url(fresh.json.key_file), second);

    const changed = await putKeyFile(server, alice, craftKeyFile(), next.verifier, "");
    assert.equal(changed.status, 200, changed.text);
    const reminder = await call(server, "GET", `${USERS}/${alice.clientId}/reminder`);
    assert.equal(reminder.json.reminder, "");
    // Counters survive a replace.
    const me = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(me.json.key_file_downloads, 1);
    assert.equal(me.json.failed_key_file_downloads, 1);
  } finally {
    await server.close();
  }
});

Deno.test("users: malformed upload bodies are 400 with a precise message", async () => {
  const server = await realHttpServer({ maxKeyFileBytes: 2048 });
  try {
    const alice = await registerClient(server, "alice");
    const { verifier } = await proofPair();
    const b64 = encodeBase64Url;
    const good = { key_file: b64(craftKeyFile()), passphrase_verifier: b64(verifier) };
    const cases: Array<[unknown, RegExp]> = [
      ["{", /^Request body is not valid JSON$/],
      ["", /^Request body must be a JSON document$/],
      [[1], /must be an object with key_file and passphrase_verifier/],
      [{ ...good, key_file: "not base64!" }, /^key_file: must be base64url$/],
      [{ ...good, key_file: 7 }, /^key_file: must be a base64url string$/],
      [{ passphrase_verifier: good.passphrase_verifier }, /^key_file: /],
      [
        { ...good, passphrase_verifier: b64(new Uint8Array(31)) },
        /^passphrase_verifier: must be 32 bytes/,
      ],
      [{ key_file: good.key_file }, /^passphrase_verifier: /],
      [{ ...good, reminder: 5 }, /^reminder: must be a string$/],
      [{ ...good, reminder: "x".repeat(1025) }, /^reminder: must be at most 1024 characters$/],
      [good, /^reminder is required on the first key file upload$/],
    ];
    for (const [body, message] of cases) {
      const reply = await call(server, "PUT", `${USERS}/me/key-file`, { token: alice.token, body });
      assertError(reply, 400, message);
    }
    const oversize = craftKeyFile({ bodyBytes: 2048 });
    assertError(
      await putKeyFile(server, alice, oversize, verifier, "r"),
      413,
      new RegExp(
        `^key_file is ${oversize.length} bytes; the limit is 2048 \\(ARCA_MAX_KEY_FILE_BYTES\\)$`,
      ),
    );
    // Nothing was stored by any refusal.
    assert.equal(await server.store.users.get(alice.clientId), undefined);
    // A reminder of exactly 1024 characters is fine.
    const longest = await putKeyFile(server, alice, craftKeyFile(), verifier, "y".repeat(1024));
    assert.equal(longest.status, 201, longest.text);
  } finally {
    await server.close();
  }
});

Deno.test("users: a key file with a bad header or framing is 400 naming the problem", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const { verifier } = await proofPair();
    const cases: Array<[Uint8Array, RegExp]> = [
      [craftKeyFile().subarray(0, 47), /^key file: header needs 48 bytes, got 47$/],
      [craftKeyFile({ magic: "ARCAKG" }), /^key file: bad magic \(expected ASCII ARCAKF\)$/],
      [craftKeyFile({ version: 2 }), /^key file: unsupported format version 2$/],
      [craftKeyFile({ suite: 3 }), /^key file: unknown suite 0x03$/],
      [craftKeyFile({ costA: 0 }), /^key file: Argon2id opslimit must be .*1 to 10, got 0$/],
      [craftKeyFile({ costA: 11 }), /^key file: Argon2id opslimit .*, got 11$/],
      [
        craftKeyFile({ costB: 8191 }),
        /^key file: Argon2id memlimit .*8192 to 1073741824, got 8191$/,
      ],
      [craftKeyFile({ costB: 2 ** 30 + 1 }), /^key file: Argon2id memlimit .*, got 1073741825$/],
      [
        craftKeyFile({ suite: 2, costA: 0 }),
        /^key file: PBKDF2 iterations .*1 to 10000000, got 0$/,
      ],
      [
        craftKeyFile({ suite: 2, costA: 10_000_001 }),
        /^key file: PBKDF2 iterations .*, got 10000001$/,
      ],
      [craftKeyFile({ suite: 2, costB: 1 }), /^key file: PBKDF2 cost b must be 0, got 1$/],
      [craftKeyFile().subarray(0, 60), /^key file: truncated \(60 bytes\)$/],
      [craftKeyFile().subarray(0, 100), /^key file: truncated \(100 bytes, body length 300\)$/],
      [craftKeyFile({ bodyLength: 15 }), /^key file: body length 15 is shorter than its tag$/],
      [craftKeyFile({ bodyLength: 400 }), /^key file: truncated \(\d+ bytes, body length 400\)$/],
    ];
    for (const [keyFile, message] of cases) {
      assertError(await putKeyFile(server, alice, keyFile, verifier, "r"), 400, message);
    }
    // A well-formed NIST key file from a Sodium (curve25519) client: the suites must match.
    assertError(
      await putKeyFile(server, alice, craftKeyFile({ suite: 2 }), verifier, "r"),
      400,
      /^key file suite NIST does not match the client's suite Sodium$/,
    );
    assert.equal(await server.store.users.get(alice.clientId), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("users: the me routes need a valid bearer token (401)", async () => {
  const server = await realHttpServer();
  try {
    const routes: Array<[string, string]> = [
      ["PUT", `${USERS}/me/key-file`],
      ["GET", `${USERS}/me`],
      ["GET", `${USERS}/me/key-file`],
      ["DELETE", `${USERS}/me`],
    ];
    for (const [method, path] of routes) {
      const body = method === "PUT" ? { key_file: "AAAA", passphrase_verifier: "AAAA" } : undefined;
      assertError(await call(server, method, path, { body }), 401, /^Missing bearer token$/);
      assertError(
        await call(server, method, path, { body, token: "not-a-token" }),
        401,
        /^Bearer token is invalid or expired$/,
      );
      assertError(
        await call(server, method, path, { body, headers: { authorization: "Basic eDp5" } }),
        401,
        /^Authorization must be a bearer token$/,
      );
    }
  } finally {
    await server.close();
  }
});

Deno.test("users: a client without a key file is 404 not a user; unknown and malformed ids on public routes", async () => {
  const server = await realHttpServer();
  try {
    const bob = await registerClient(server, "bob");
    for (const [method, path] of [["GET", "/me"], ["GET", "/me/key-file"], ["DELETE", "/me"]]) {
      assertError(
        await call(server, method!, `${USERS}${path}`, { token: bob.token }),
        404,
        /^not a user$/,
      );
    }
    // The refused DELETE deleted nothing.
    assert.ok(await server.store.clients.get(bob.clientId));
    for (const id of [bob.clientId, crypto.randomUUID()]) {
      assertError(await call(server, "GET", `${USERS}/${id}/reminder`), 404, /^unknown user$/);
      assertError(await call(server, "GET", `${USERS}/${id}/key-file/kdf`), 404, /^unknown user$/);
    }
    for (const id of ["nope", "1234", "0000000-0000-4000-8000-000000000001"]) {
      const message = new RegExp(`^user_id must be a UUID, got "${id}"$`);
      assertError(await call(server, "GET", `${USERS}/${id}/reminder`), 400, message);
      assertError(await call(server, "GET", `${USERS}/${id}/key-file/kdf`), 400, message);
      assertError(await downloadByProof(server, id, new Uint8Array(32)), 400, message);
    }
  } finally {
    await server.close();
  }
});

Deno.test("users: malformed proof bodies are 400 and are not counted as attempts", async () => {
  const server = await realHttpServer({ keyFileAttemptsPerUser: 1 });
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    const path = `${USERS}/${alice.clientId}/key-file`;
    const cases: Array<[unknown, RegExp]> = [
      ["{", /^Request body is not valid JSON$/],
      ["", /^Request body must be a JSON document$/],
      [{}, /^proof: /],
      [{ proof: "AAAA" }, /^proof: must be 32 bytes in base64url$/],
      [{ proof: "!".repeat(43) }, /^proof: must be 32 bytes in base64url$/],
      [{ proof: 12 }, /^proof: must be a base64url string$/],
      ["[]", /must be an object with proof/],
    ];
    for (const [body, message] of cases) {
      assertError(await call(server, "POST", path, { body }), 400, message);
    }
    // The single attempt allowed is still there.
    const reply = await downloadByProof(server, alice.clientId, alice.proof);
    assert.equal(reply.status, 200, reply.text);
  } finally {
    await server.close();
  }
});

Deno.test("users: a wrong proof and an unknown user get byte-identical 403 answers; counters count", async () => {
  const server = await realHttpServer();
  try {
    const alice = await makeUser(server, await registerClient(server, "alice"));
    const wrong = await downloadByProof(server, alice.clientId, randomProof());
    const unknown = await downloadByProof(server, crypto.randomUUID(), alice.proof);
    const bob = await registerClient(server, "bob"); // a client, but not a user
    const notUser = await downloadByProof(server, bob.clientId, alice.proof);
    for (const reply of [wrong, unknown, notUser]) {
      assert.equal(reply.status, 403);
      assert.equal(reply.text, '{"error":"wrong passphrase or unknown user"}');
      const differ = (name: string) => name === "date" || name === "x-request-id";
      const headers = [...reply.headers].filter(([name]) => !differ(name));
      assert.deepEqual(headers, [...wrong.headers].filter(([name]) => !differ(name)));
    }
    assert.equal((await downloadByProof(server, alice.clientId, alice.proof)).status, 200);
    assert.equal((await downloadByProof(server, alice.clientId, alice.proof)).status, 200);
    const me = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(me.json.key_file_downloads, 2);
    assert.equal(me.json.failed_key_file_downloads, 1);
    // A session download is not a download by proof: the counters stay.
    await call(server, "GET", `${USERS}/me/key-file`, { token: alice.token });
    const again = await call(server, "GET", `${USERS}/me`, { token: alice.token });
    assert.equal(again.json.key_file_downloads, 2);
  } finally {
    await server.close();
  }
});
