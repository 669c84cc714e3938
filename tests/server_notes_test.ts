import assert from "node:assert/strict";
import { decryptNote } from "../lib/crypto/note_crypto.ts";
import {
  assertError,
  call,
  type TestServer,
  testServer,
  TIMESTAMP_SHAPE,
} from "./_server_helpers.ts";
import {
  type KeyHolder,
  keyHolder,
  noteBody,
  registeredHolder,
  signedCall,
} from "./_tsv1_helpers.ts";

const NOTES = "/v2/storage/notes";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function withServer(fn: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await testServer();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function write(
  server: TestServer,
  writer: KeyHolder,
  recipient: KeyHolder,
  data: Record<string, string> = { secret: "data" },
  options: Record<string, unknown> = {},
) {
  return await signedCall(server, writer, "POST", NOTES, {
    body: await noteBody(writer, recipient, data, options),
  });
}

function read(server: TestServer, reader: KeyHolder, query: string, headers = {}) {
  return signedCall(server, reader, "GET", `${NOTES}?${query}`, { headers });
}

Deno.test("notes: a registered writer writes (201) and the recipient reads and decrypts", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const name = `note-${crypto.randomUUID()}`;
    const written = await write(server, writer, recipient, { secret: "data" }, {
      id_string: name,
      mode: "sodium",
      plain: { kind: "greeting" },
    });
    assert.equal(written.status, 201, written.text);
    assert.match(written.json.note_id, UUID);
    assert.equal(written.json.id_string, name);
    assert.equal(written.json.client_id, writer.clientId);
    assert.equal(written.json.mode, "Sodium");
    assert.equal(written.json.views, 0);
    assert.equal(written.json.max_views, -1);
    assert.equal(written.json.expiration, "0001-01-01T00:00:00Z");
    assert.equal(written.json.expires, false);
    assert.match(written.json.created_at, TIMESTAMP_SHAPE);
    assert.deepEqual(written.json.plain, { kind: "greeting" });

    const byId = await read(server, recipient, `note_id=${written.json.note_id}`);
    assert.equal(byId.status, 200, byId.text);
    assert.equal(byId.json.views, 1);
    const data = await decryptNote(recipient.suite, byId.json, recipient.encryption.privateKey);
    assert.deepEqual(data, { secret: "data" });

    const byName = await read(server, recipient, `id_string=${encodeURIComponent(name)}`);
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.json.note_id, written.json.note_id);
    assert.equal(byName.json.views, 2);
  });
});

Deno.test("notes: a duplicate id_string is 409; after deletion the name is free", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const first = await write(server, writer, recipient, { a: "1" }, { id_string: "shared" });
    assert.equal(first.status, 201, first.text);
    assertError(await write(server, writer, recipient, { a: "2" }, { id_string: "shared" }), 409);
    const deleted = await signedCall(server, writer, "DELETE", `${NOTES}/${first.json.note_id}`);
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal((await write(server, writer, recipient, {}, { id_string: "shared" })).status, 201);
  });
});

Deno.test("notes: read ids: malformed 400, unknown 404, none 400, both prefer note_id", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const a = await write(server, writer, recipient, { n: "a" }, { id_string: "note-a" });
    const b = await write(server, writer, recipient, { n: "b" }, { id_string: "note-b" });
    assertError(await read(server, recipient, "note_id=aaaaaaaa-aaaa-aaaa-aaaa-aa"), 400);
    assertError(await read(server, recipient, `note_id=${crypto.randomUUID()}`), 404);
    assertError(await read(server, recipient, "id_string=no-such-note"), 404);
    assertError(await read(server, recipient, ""), 400);
    const both = await read(server, recipient, `note_id=${a.json.note_id}&id_string=note-b`);
    assert.equal(both.status, 200, both.text);
    assert.equal(both.json.note_id, a.json.note_id);
    assert.notEqual(both.json.note_id, b.json.note_id);
  });
});

Deno.test("notes: only the recipient's key reads; others get 404 and burn no view", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const stranger = await registeredHolder(server);
    const note = await write(server, writer, recipient, { s: "1" }, { max_views: 1 });
    const id = note.json.note_id;
    assertError(await read(server, stranger, `note_id=${id}`), 404, /not found/);
    assertError(await read(server, writer, `note_id=${id}`), 404);
    assertError(await read(server, await keyHolder("NIST"), `note_id=${id}`), 404);
    const ok = await read(server, recipient, `note_id=${id}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.views, 1);
    assertError(await read(server, recipient, `note_id=${id}`), 404);
  });
});

Deno.test("notes: max_views is exact; -1 and 0 mean unlimited; bad values are 400", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const limited = await write(server, writer, recipient, {}, { max_views: 3 });
    for (let view = 1; view <= 3; view++) {
      const reply = await read(server, recipient, `note_id=${limited.json.note_id}`);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.json.views, view);
    }
    assertError(await read(server, recipient, `note_id=${limited.json.note_id}`), 404);

    for (const maxViews of [-1, 0]) {
      const open = await write(server, writer, recipient, {}, { max_views: maxViews });
      assert.equal(open.json.max_views, -1);
      for (let view = 1; view <= 6; view++) {
        assert.equal((await read(server, recipient, `note_id=${open.json.note_id}`)).status, 200);
      }
    }
    for (const bad of [-2, 1.5, "3"]) {
      assertError(await write(server, writer, recipient, {}, { max_views: bad }), 400, /max_views/);
    }
  });
});

Deno.test("notes: expiry follows the server clock; bad expirations are 400", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const inOneMinute = new Date(server.clock.now / 1000 + 60_000).toISOString();
    const note = await write(server, writer, recipient, {}, {
      expires: true,
      expiration: inOneMinute,
    });
    assert.equal(note.status, 201, note.text);
    assert.equal(note.json.expires, true);
    assert.equal(note.json.expiration.slice(0, 19), inOneMinute.slice(0, 19));
    assert.equal((await read(server, recipient, `note_id=${note.json.note_id}`)).status, 200);
    server.clock.advanceSeconds(61);
    assertError(await read(server, recipient, `note_id=${note.json.note_id}`), 404);

    const past = new Date(server.clock.now / 1000 - 1000).toISOString();
    assertError(
      await write(server, writer, recipient, {}, { expires: true, expiration: past }),
      400,
    );
    assertError(
      await write(server, writer, recipient, {}, { expires: true, expiration: null }),
      400,
    );
    assertError(
      await write(server, writer, recipient, {}, { expires: true, expiration: "soon" }),
      400,
    );
    // expires false ignores Go's zero time
    const never = await write(server, writer, recipient, {}, { expires: false });
    assert.equal(never.status, 201);
    server.clock.advanceSeconds(10 * 365 * 86400);
    assert.equal((await read(server, recipient, `note_id=${never.json.note_id}`)).status, 200);
  });
});

Deno.test("notes: an expired name can be reused", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const soon = new Date(server.clock.now / 1000 + 5000).toISOString();
    const first = await write(server, writer, recipient, {}, {
      id_string: "ephemeral",
      expires: true,
      expiration: soon,
    });
    assert.equal(first.status, 201, first.text);
    assertError(await write(server, writer, recipient, {}, { id_string: "ephemeral" }), 409);
    server.clock.advanceSeconds(6);
    assert.equal(
      (await write(server, writer, recipient, {}, { id_string: "ephemeral" })).status,
      201,
    );
  });
});

Deno.test("notes: anonymous writers lose premium options and read with keys only", async () => {
  await withServer(async (server) => {
    const writer = await keyHolder();
    const recipient = await keyHolder();
    const note = await write(server, writer, recipient, { secret: "anon" }, {
      id_string: "premium-name",
      max_views: 50,
    });
    assert.equal(note.status, 201, note.text);
    assert.equal(note.json.id_string, "");
    assert.equal(note.json.client_id, null);
    assert.equal(note.json.max_views, 1);
    assert.equal(note.json.expires, true);
    const lifetime = Date.parse(note.json.expiration) - server.clock.now / 1000;
    assert.ok(lifetime > 0 && lifetime <= 24 * 3600 * 1000, `lifetime ${lifetime} ms`);
    assertError(await read(server, recipient, "id_string=premium-name"), 404);

    const first = await read(server, recipient, `note_id=${note.json.note_id}`);
    assert.equal(first.status, 200, first.text);
    const data = await decryptNote(recipient.suite, first.json, recipient.encryption.privateKey);
    assert.deepEqual(data, { secret: "anon" });
    assertError(await read(server, recipient, `note_id=${note.json.note_id}`), 404);
  });
});

Deno.test("notes: anonymous expiry is capped at 24 hours and may be shorter", async () => {
  await withServer(async (server) => {
    const writer = await keyHolder();
    const recipient = await keyHolder();
    const nowMs = server.clock.now / 1000;
    const week = new Date(nowMs + 7 * 86400_000).toISOString();
    const capped = await write(server, writer, recipient, {}, { expires: true, expiration: week });
    assert.equal(Date.parse(capped.json.expiration), nowMs + 86400_000);
    const hour = new Date(nowMs + 3600_000).toISOString();
    const short = await write(server, writer, recipient, {}, { expires: true, expiration: hour });
    assert.equal(Date.parse(short.json.expiration), nowMs + 3600_000);
    server.clock.advanceSeconds(86400 + 1);
    assertError(await read(server, recipient, `note_id=${capped.json.note_id}`), 404);
  });
});

Deno.test("notes: anonymous writers cannot set an EACP, replace or name notes", async () => {
  await withServer(async (server) => {
    const writer = await keyHolder();
    const recipient = await keyHolder();
    const eacp = { tozid_eacp: { realm_name: "Acme" } };
    assertError(await write(server, writer, recipient, {}, { eacp }), 403, /EACP/);
    const body = await noteBody(writer, recipient, {}, { id_string: "x" });
    assertError(await signedCall(server, writer, "PUT", NOTES, { body }), 403);
  });
});

Deno.test("notes: EACPs other than tozid are refused; tozid needs a login token (else 404)", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    for (const eacp of [{ email_eacp: { email_address: "a@b.c" } }, { tozid_eacp: {} }]) {
      assertError(await write(server, writer, recipient, {}, { eacp }), 400, /EACP|tozid/);
    }
    const eacp = { tozid_eacp: { realm_name: "Acme" } };
    const note = await write(server, writer, recipient, {}, { eacp, max_views: 1 });
    assert.equal(note.status, 201, note.text);
    assert.deepEqual(note.json.eacp, eacp);
    // without a valid login token the note answers as if it did not exist (no password oracle)
    assertError(await read(server, recipient, `note_id=${note.json.note_id}`), 404, /not found/);
    const bogus = { "X-TOZID-LOGIN-TOKEN": "not-a-token" };
    assertError(await read(server, recipient, `note_id=${note.json.note_id}`, bogus), 404);
  });
});

Deno.test("notes: PUT replaces the writer's named note atomically", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const other = await registeredHolder(server);
    const recipient = await keyHolder();
    const first = await write(server, writer, recipient, { v: "1" }, { id_string: "doc" });
    const replacement = await noteBody(writer, recipient, { v: "2" }, { id_string: "doc" });
    const put = await signedCall(server, writer, "PUT", NOTES, { body: replacement });
    assert.equal(put.status, 200, put.text);
    assert.notEqual(put.json.note_id, first.json.note_id);
    assertError(await read(server, recipient, `note_id=${first.json.note_id}`), 404);
    const now = await read(server, recipient, "id_string=doc");
    assert.deepEqual(
      await decryptNote(recipient.suite, now.json, recipient.encryption.privateKey),
      { v: "2" },
    );

    const hostile = await noteBody(other, recipient, { v: "evil" }, { id_string: "doc" });
    assertError(await signedCall(server, other, "PUT", NOTES, { body: hostile }), 403);
    const fresh = await noteBody(writer, recipient, {}, { id_string: "new-doc" });
    assert.equal((await signedCall(server, writer, "PUT", NOTES, { body: fresh })).status, 201);
    const unnamed = await noteBody(writer, recipient, {}, {});
    assertError(await signedCall(server, writer, "PUT", NOTES, { body: unnamed }), 400);
  });
});

Deno.test("notes: DELETE by writer or recipient; others 404; malformed id 400", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const stranger = await keyHolder();
    const a = await write(server, writer, recipient);
    const b = await write(server, writer, recipient);
    assertError(await signedCall(server, stranger, "DELETE", `${NOTES}/${a.json.note_id}`), 404);
    assert.equal(
      (await signedCall(server, writer, "DELETE", `${NOTES}/${a.json.note_id}`)).status,
      204,
    );
    assert.equal(
      (await signedCall(server, recipient, "DELETE", `${NOTES}/${b.json.note_id}`)).status,
      204,
    );
    assertError(await read(server, recipient, `note_id=${a.json.note_id}`), 404);
    assertError(await signedCall(server, writer, "DELETE", `${NOTES}/${a.json.note_id}`), 404);
    assertError(await signedCall(server, writer, "DELETE", `${NOTES}/not-a-uuid`), 400);
  });
});

Deno.test("notes: TSV1 failures are 401 (missing, bearer, tampered, replayed, stale, wrong uid)", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    const note = await write(server, writer, recipient);
    const path = `note_id=${note.json.note_id}`;
    assertError(await call(server, "GET", `${NOTES}?${path}`), 401, /TSV1/);
    assertError(await call(server, "GET", `${NOTES}?${path}`, { token: "x" }), 401);
    const flipSignatureChar = (auth: string) => {
      const at = auth.length - 20; // inside the signature, away from its padding bits
      return auth.slice(0, at) + (auth[at] === "A" ? "B" : "A") + auth.slice(at + 1);
    };
    assertError(
      await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { tamper: flipSignatureChar }),
      401,
    );
    const otherKey = (await keyHolder()).suite.encodePublicKey(
      (await keyHolder()).signing.publicKey,
    );
    const swapKey = (auth: string) => {
      const parts = auth.split("; ");
      parts[1] = otherKey;
      return parts.join("; ");
    };
    assertError(
      await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { tamper: swapKey }),
      401,
    );

    const nonce = crypto.randomUUID();
    const once = await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { nonce });
    assert.equal(once.status, 200, once.text);
    assertError(
      await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { nonce }),
      401,
      /nonce/,
    );

    const now = Math.floor(server.clock.now / 1_000_000);
    for (const timestamp of [now - 301, now + 301]) {
      assertError(
        await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { timestamp }),
        401,
      );
    }
    assert.equal(
      (await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { timestamp: now - 299 }))
        .status,
      200,
    );

    const impostor = await keyHolder();
    const claimed = { clientId: writer.clientId! };
    assertError(
      await signedCall(server, impostor, "GET", `${NOTES}?${path}`, claimed),
      401,
      /registered/,
    );
    const unknown = { clientId: crypto.randomUUID() };
    assertError(await signedCall(server, recipient, "GET", `${NOTES}?${path}`, unknown), 401);
    assertError(
      await signedCall(server, recipient, "GET", `${NOTES}?${path}`, { clientId: "nope" }),
      401,
    );
  });
});

Deno.test("notes: a signature replayed on another path or with another body key fails", async () => {
  await withServer(async (server) => {
    const recipient = await keyHolder();
    const { signRequest } = await import("../lib/crypto/tsv1.ts");
    const authorization = await signRequest(recipient.suite, {
      method: "GET",
      url: `${NOTES}?note_id=${crypto.randomUUID()}`,
      signingKeys: recipient.signing,
      timestamp: Math.floor(server.clock.now / 1_000_000),
    });
    const moved = await call(server, "GET", `${NOTES}?note_id=${crypto.randomUUID()}`, {
      headers: { authorization },
    });
    assertError(moved, 401, /signature/);
  });
});

Deno.test("notes: keys must suit the note's mode; the TSV1 suite must match it", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server);
    const recipient = await keyHolder();
    assertError(
      await write(server, writer, recipient, {}, { recipient_signing_key: "c2hvcnQ" }),
      400,
      /recipient_signing_key/,
    );
    assertError(await write(server, writer, recipient, {}, { mode: "NIST" }), 400, /NIST/);
    assertError(await write(server, writer, recipient, {}, { mode: "RSA" }), 400, /mode/);
    assertError(await write(server, writer, recipient, {}, { data: "x" }), 400, /data/);
  });
});

Deno.test("notes: NIST notes round trip with a NIST TSV1 signature", async () => {
  await withServer(async (server) => {
    const writer = await registeredHolder(server, "NIST");
    const recipient = await keyHolder("NIST");
    const note = await write(server, writer, recipient, { secret: "p-384" }, { id_string: "nist" });
    assert.equal(note.status, 201, note.text);
    assert.equal(note.json.mode, "NIST");
    const reply = await read(server, recipient, "id_string=nist");
    assert.equal(reply.status, 200, reply.text);
    const data = await decryptNote(recipient.suite, reply.json, recipient.encryption.privateKey);
    assert.deepEqual(data, { secret: "p-384" });
    const anonymous = await write(server, await keyHolder("NIST"), recipient, { a: "b" });
    assert.equal(anonymous.status, 201, anonymous.text);
  });
});
