import assert from "node:assert/strict";
import {
  assertError,
  call,
  fakeField,
  registerClient,
  testServer,
  TIMESTAMP_SHAPE,
  writeRecord,
} from "./_server_helpers.ts";

const RECORDS = "/v1/storage/records";

Deno.test("records: POST is 201 with full meta; plain defaults to {}", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const field = fakeField();
    const record = await writeRecord(server, alice, "contact", { house: "stark" }, { name: field });
    assert.match(record.meta.record_id, /^[0-9a-f-]{36}$/);
    assert.equal(record.meta.writer_id, alice.clientId);
    assert.equal(record.meta.user_id, alice.clientId);
    assert.equal(record.meta.type, "contact");
    assert.deepEqual(record.meta.plain, { house: "stark" });
    assert.match(record.meta.created, TIMESTAMP_SHAPE);
    assert.equal(record.meta.last_modified, record.meta.created);
    assert.match(record.meta.version, /^[0-9a-f-]{36}$/);
    assert.deepEqual(record.data, { name: field });
    assert.equal("rec_sig" in record, false);
    assert.equal("file_meta" in record.meta, false);
    assert.deepEqual((await writeRecord(server, alice, "contact", null)).meta.plain, {});
    const omitted = await call(server, "POST", RECORDS, {
      token: alice.token,
      body: { meta: { writer_id: alice.clientId, user_id: alice.clientId, type: "t" }, data: {} },
    });
    assert.equal(omitted.status, 201);
    assert.deepEqual(omitted.json.meta.plain, {});
  } finally {
    await server.close();
  }
});

Deno.test("records: rec_sig is stored and echoed", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const recSig = "A".repeat(86);
    const written = await call(server, "POST", RECORDS, {
      token: alice.token,
      body: {
        meta: { writer_id: alice.clientId, user_id: alice.clientId, type: "t", plain: {} },
        data: { f: fakeField() },
        rec_sig: recSig,
      },
    });
    assert.equal(written.status, 201);
    assert.equal(written.json.rec_sig, recSig);
    const read = await call(server, "GET", `${RECORDS}/${written.json.meta.record_id}`, {
      token: alice.token,
    });
    assert.equal(read.json.rec_sig, recSig);
  } finally {
    await server.close();
  }
});

Deno.test("records: timestamps are strictly increasing even with a frozen clock", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const created: string[] = [];
    for (let i = 0; i < 4; i++) created.push((await writeRecord(server, alice, "t")).meta.created);
    for (let i = 1; i < created.length; i++) {
      assert.ok(created[i]! > created[i - 1]!, `${created[i]} after ${created[i - 1]}`);
    }
    assert.equal(created[0], "2027-01-15T08:00:00.000000Z");
    assert.equal(created[1], "2027-01-15T08:00:00.000001Z");
  } finally {
    await server.close();
  }
});

Deno.test("records: a writer cannot write as someone else", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const reply = await call(server, "POST", RECORDS, {
      token: bob.token,
      body: { meta: { writer_id: alice.clientId, user_id: alice.clientId, type: "t" }, data: {} },
    });
    assertError(reply, 403, /writer_id/);
  } finally {
    await server.close();
  }
});

Deno.test("records: malformed writes are 400 JSON errors", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const meta = { writer_id: alice.clientId, user_id: alice.clientId, type: "t" };
    const bad: Array<[unknown, RegExp]> = [
      ['{"meta":', /not valid JSON/],
      [{ data: {} }, /meta/],
      [{ meta: { ...meta, writer_id: "not-a-uuid" }, data: {} }, /meta\.writer_id: must be a UUID/],
      [{ meta: { ...meta, type: "" }, data: {} }, /meta\.type/],
      [{ meta: { ...meta, type: 5 }, data: {} }, /meta\.type/],
      [{ meta: { ...meta, plain: { n: 1 } }, data: {} }, /meta\.plain\.n/],
      [{ meta: { ...meta, plain: "x" }, data: {} }, /meta\.plain/],
      [{ meta, data: { name: "plaintext" } }, /data\.name: values must be encrypted/],
      [{ meta, data: { name: "a.b.c" } }, /data\.name/],
      [{ meta, data: { name: "a.b.c.d!" } }, /data\.name/],
      [{ meta, data: { name: 42 } }, /data\.name/],
      [{ meta, data: [] }, /data/],
      [{ meta, data: {}, rec_sig: "not base64!" }, /rec_sig/],
    ];
    for (const [body, pattern] of bad) {
      assertError(await call(server, "POST", RECORDS, { token: alice.token, body }), 400, pattern);
    }
  } finally {
    await server.close();
  }
});

Deno.test("records: GET by the writer, with ?field= selection", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const data = { a: fakeField(), b: fakeField(), c: fakeField() };
    const record = await writeRecord(server, alice, "t", {}, data);
    const path = `${RECORDS}/${record.meta.record_id}`;
    const full = await call(server, "GET", path, { token: alice.token });
    assert.equal(full.status, 200);
    assert.deepEqual(full.json, record);
    const some = await call(server, "GET", `${path}?field=a&field=c`, { token: alice.token });
    assert.deepEqual(some.json.data, { a: data.a, c: data.c });
  } finally {
    await server.close();
  }
});

Deno.test("records: non-owners get 403, unknown and malformed ids 404", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "t");
    assertError(
      await call(server, "GET", `${RECORDS}/${record.meta.record_id}`, { token: bob.token }),
      403,
    );
    assertError(
      await call(server, "GET", `${RECORDS}/00000000-0000-4000-8000-000000000000`, {
        token: alice.token,
      }),
      404,
    );
    assertError(await call(server, "GET", `${RECORDS}/nope`, { token: alice.token }), 404);
    assertError(await call(server, "GET", `${RECORDS}/${record.meta.record_id}`), 401);
  } finally {
    await server.close();
  }
});

Deno.test("records: safe update gives 200 and a new version; stale versions 409", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeRecord(server, alice, "t", { v: "1" });
    server.clock.advanceSeconds(5);
    const newField = fakeField();
    const meta = { ...record.meta, plain: { v: "2" } };
    delete meta.created;
    delete meta.last_modified;
    const path = `${RECORDS}/safe/${record.meta.record_id}/${record.meta.version}`;
    const updated = await call(server, "PUT", path, {
      token: alice.token,
      body: { meta, data: { name: newField } },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.notEqual(updated.json.meta.version, record.meta.version);
    assert.equal(updated.json.meta.created, record.meta.created);
    assert.ok(updated.json.meta.last_modified > record.meta.created);
    assert.match(updated.json.meta.last_modified, TIMESTAMP_SHAPE);
    assert.deepEqual(updated.json.meta.plain, { v: "2" });
    assert.deepEqual(updated.json.data, { name: newField });
    const stale = await call(server, "PUT", path, { token: alice.token, body: { meta, data: {} } });
    assertError(stale, 409, /stale/);
    const plainless = await call(
      server,
      "PUT",
      `${RECORDS}/safe/${record.meta.record_id}/${updated.json.meta.version}`,
      { token: alice.token, body: { meta: { type: "t" }, data: {} } },
    );
    assert.equal(plainless.status, 200);
    assert.deepEqual(plainless.json.meta.plain, {});
  } finally {
    await server.close();
  }
});

Deno.test("records: only the writer may update or delete; identity cannot change", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "t");
    const path = `${RECORDS}/safe/${record.meta.record_id}/${record.meta.version}`;
    const body = { meta: { plain: {} }, data: {} };
    assertError(await call(server, "PUT", path, { token: bob.token, body }), 403);
    assertError(await call(server, "DELETE", path, { token: bob.token }), 403);
    assertError(
      await call(server, "PUT", path, {
        token: alice.token,
        body: { meta: { type: "u" }, data: {} },
      }),
      400,
      /meta\.type/,
    );
    assertError(
      await call(server, "PUT", path, {
        token: alice.token,
        body: { meta: { writer_id: bob.clientId }, data: {} },
      }),
      400,
      /writer_id/,
    );
    assertError(
      await call(server, "PUT", `${RECORDS}/safe/bad-id/${record.meta.version}`, {
        token: alice.token,
        body,
      }),
      400,
    );
    assertError(
      await call(server, "PUT", `${RECORDS}/safe/00000000-0000-4000-8000-000000000000/v`, {
        token: alice.token,
        body,
      }),
      404,
    );
    assertError(await call(server, "PUT", path, { token: alice.token, body: "nope" }), 400);
  } finally {
    await server.close();
  }
});

Deno.test("records: safe delete gives 204, 409 when stale, then the record is gone", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeRecord(server, alice, "t");
    const id = record.meta.record_id;
    assertError(
      await call(server, "DELETE", `${RECORDS}/safe/${id}/stale`, { token: alice.token }),
      409,
    );
    const deleted = await call(server, "DELETE", `${RECORDS}/safe/${id}/${record.meta.version}`, {
      token: alice.token,
    });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assertError(await call(server, "GET", `${RECORDS}/${id}`, { token: alice.token }), 404);
    assertError(
      await call(server, "DELETE", `${RECORDS}/safe/${id}/${record.meta.version}`, {
        token: alice.token,
      }),
      404,
    );
  } finally {
    await server.close();
  }
});

Deno.test("records: a 3 MB field works with the default body limit", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const big = fakeField(1_720_000); // about 2.29 million base64url characters
    assert.ok(big.length > 2_290_000);
    const record = await writeRecord(server, alice, "large", {}, { big });
    const read = await call(server, "GET", `${RECORDS}/${record.meta.record_id}`, {
      token: alice.token,
    });
    assert.equal(read.status, 200);
    assert.equal(read.json.data.big, big);
  } finally {
    await server.close();
  }
});

Deno.test("records: a body over the default 16 MiB limit is a 413 JSON error", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const reply = await call(server, "POST", RECORDS, {
      token: alice.token,
      body: { meta: {}, data: { big: "A".repeat(16 * 1024 * 1024) } },
    });
    assertError(reply, 413);
  } finally {
    await server.close();
  }
});
