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
  TIMESTAMP_SHAPE,
  writeRecord,
} from "./_server_helpers.ts";

function search(server: TestServer, client: TestClient, body: unknown) {
  return call(server, "POST", "/v1/storage/search", { token: client.token, body });
}

Deno.test("query: no records gives an empty results array and last_index 0", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const reply = await search(server, alice, {});
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, { results: [], last_index: 0 });
  } finally {
    await server.close();
  }
});

Deno.test("query: Python-style body with nulls; record_data always present", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeRecord(server, alice, "contact", { house: "stark" });
    const body = {
      count: 100,
      after_index: 0,
      include_data: false,
      writer_ids: [],
      user_ids: [],
      record_ids: [],
      content_types: ["contact"],
      plain: null,
      include_all_writers: false,
    };
    const reply = await search(server, alice, body);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.results.length, 1);
    const [row] = reply.json.results;
    assert.deepEqual(row.meta, record.meta);
    assert.match(row.meta.created, TIMESTAMP_SHAPE);
    assert.ok("record_data" in row);
    assert.equal(row.record_data, null);
    assert.equal(row.access_key, null);
    assert.ok(reply.json.last_index > 0);
  } finally {
    await server.close();
  }
});

Deno.test("query: include_data returns data and the caller's access key", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeRecord(server, alice, "contact");
    await writeRecord(server, alice, "keyless");
    const eak = fakeEak();
    await putEak(server, alice, alice.clientId, alice.clientId, "contact", eak);
    const reply = await search(server, alice, { include_data: true });
    assert.equal(reply.json.results.length, 2);
    const [withKey, withoutKey] = reply.json.results;
    assert.deepEqual(withKey.record_data, record.data);
    assert.deepEqual(withKey.access_key, {
      eak,
      authorizer_id: alice.clientId,
      authorizer_public_key: { curve25519: alice.publicKey },
    });
    assert.equal(withoutKey.access_key, null);
  } finally {
    await server.close();
  }
});

Deno.test("query: file records carry file_meta and record_data {}", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    await server.store.records.insert({
      recordId: "00000000-0000-4000-8000-00000000f11e",
      writerId: alice.clientId,
      userId: alice.clientId,
      type: "large_files",
      plain: {},
      data: {},
      recSig: null,
      fileMeta: { checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", compression: "raw", size: 0 },
      created: server.clock.now,
      lastModified: server.clock.now,
      version: "00000000-0000-4000-8000-000000000001",
    });
    const reply = await search(server, alice, { include_data: true });
    const [row] = reply.json.results;
    assert.deepEqual(row.record_data, {});
    assert.equal(row.meta.file_meta.checksum, "1B2M2Y8AsgTpgAmY7PhCfg==");
  } finally {
    await server.close();
  }
});

Deno.test("query: pages with after_index / last_index", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    for (let i = 0; i < 6; i++) await writeRecord(server, alice, "page", { i: String(i) });
    const first = await search(server, alice, { count: 5, content_types: ["page"] });
    assert.equal(first.json.results.length, 5);
    assert.notEqual(first.json.last_index, 0);
    const second = await search(server, alice, { count: 5, after_index: first.json.last_index });
    assert.equal(second.json.results.length, 1);
    assert.equal(second.json.results[0].meta.plain.i, "5");
    assert.notEqual(second.json.last_index, first.json.last_index);
    const third = await search(server, alice, { count: 5, after_index: second.json.last_index });
    assert.deepEqual(third.json.results, []);
    assert.equal(third.json.last_index, second.json.last_index);
    const all = await search(server, alice, {});
    assert.deepEqual(
      all.json.results.map((r: { meta: { plain: { i: string } } }) => r.meta.plain.i),
      [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
      ],
    );
  } finally {
    await server.close();
  }
});

Deno.test("query: default scope is own records; include_all_writers adds shared ones", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const shared = await writeRecord(server, alice, "shared");
    await writeRecord(server, alice, "private");
    const own = await writeRecord(server, bob, "mine");
    await putPolicy(server, alice, alice.clientId, bob.clientId, "shared", {
      allow: [{ read: {} }],
    });
    const ids = (reply: { json: { results: Array<{ meta: { record_id: string } }> } }) =>
      reply.json.results.map((r) => r.meta.record_id);
    assert.deepEqual(ids(await search(server, bob, {})), [own.meta.record_id]);
    assert.deepEqual(ids(await search(server, bob, { include_all_writers: true })), [
      shared.meta.record_id,
      own.meta.record_id,
    ]);
    assert.deepEqual(ids(await search(server, bob, { writer_ids: [alice.clientId] })), [
      shared.meta.record_id,
    ]);
    await putPolicy(server, alice, alice.clientId, bob.clientId, "shared", {
      deny: [{ read: {} }],
    });
    assert.deepEqual(ids(await search(server, bob, { include_all_writers: true })), [
      own.meta.record_id,
    ]);
    assert.deepEqual(ids(await search(server, bob, { writer_ids: [alice.clientId] })), []);
  } finally {
    await server.close();
  }
});

Deno.test("query: filters by ids, types and the plain DSL", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const a = await writeRecord(server, alice, "contact", { house: "Stark", ageRange: "adult" });
    const b = await writeRecord(server, alice, "contact", { house: "Stark", ageRange: "child" });
    const c = await writeRecord(server, alice, "note", { house: "Lannister" });
    const ids = async (body: unknown) =>
      (await search(server, alice, body)).json.results.map((r: { meta: { record_id: string } }) =>
        r.meta.record_id
      );
    const [A, B, C] = [a.meta.record_id, b.meta.record_id, c.meta.record_id];
    assert.deepEqual(await ids({ content_types: ["note"] }), [C]);
    assert.deepEqual(await ids({ record_ids: [C, A] }), [A, C]);
    assert.deepEqual(await ids({ user_ids: [alice.clientId] }), [A, B, C]);
    assert.deepEqual(await ids({ plain: { eq: { name: "house", value: "Stark" } } }), [A, B]);
    assert.deepEqual(
      await ids({
        plain: {
          and: [
            { eq: { name: "house", value: "Stark" } },
            { eq: { name: "ageRange", value: "adult" } },
          ],
        },
      }),
      [A],
    );
    assert.deepEqual(
      await ids({
        plain: {
          or: [{ eq: { name: "ageRange", value: "child" } }, {
            eq: { name: "house", value: "Lannister" },
          }],
        },
      }),
      [B, C],
    );
    assert.deepEqual(await ids({ plain: { not: { eq: { name: "house", value: "Stark" } } } }), [C]);
    assert.deepEqual(await ids({ plain: { eq: { name: "house", value: "stark" } } }), []);
    // The Go SDK's flat map form.
    assert.deepEqual(await ids({ plain: { house: "Stark", ageRange: "child" } }), [B]);
  } finally {
    await server.close();
  }
});

Deno.test("query: deleted records disappear; rec_sig is included", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const gone = await writeRecord(server, alice, "t");
    const signed = await call(server, "POST", "/v1/storage/records", {
      token: alice.token,
      body: {
        meta: { writer_id: alice.clientId, user_id: alice.clientId, type: "t" },
        data: {},
        rec_sig: "c2lnbmF0dXJl",
      },
    });
    await call(
      server,
      "DELETE",
      `/v1/storage/records/safe/${gone.meta.record_id}/${gone.meta.version}`,
      { token: alice.token },
    );
    const reply = await search(server, alice, {});
    assert.equal(reply.json.results.length, 1);
    assert.equal(reply.json.results[0].meta.record_id, signed.json.meta.record_id);
    assert.equal(reply.json.results[0].rec_sig, "c2lnbmF0dXJl");
  } finally {
    await server.close();
  }
});

Deno.test("query: bad input is a 400 with an error key", async () => {
  const server = await testServer();
  try {
    const alice = await registerClient(server, "alice");
    const bad: Array<[unknown, RegExp]> = [
      [{ after_index: -99 }, /after_index: must be >= 0/],
      [{ count: 1001 }, /count: must be <= 1000/],
      [{ count: 0 }, /count/],
      [{ count: "5" }, /count/],
      [{ count: 2.5 }, /count/],
      [{ writer_ids: ["nope"] }, /writer_ids\.0: must be a UUID/],
      [{ record_ids: "x" }, /record_ids/],
      [{ content_types: [""] }, /content_types\.0/],
      [{ include_data: "yes" }, /include_data/],
      [{ plain: { like: { name: "a", value: "b" } } }, /plain/],
      [{ plain: { and: [] } }, /plain/],
      [{ plain: { eq: { name: "a", value: 1 } } }, /plain/],
      ["{", /not valid JSON/],
      ["", /JSON/],
    ];
    for (const [body, pattern] of bad) assertError(await search(server, alice, body), 400, pattern);
    const wide = { or: Array.from({ length: 300 }, () => ({ eq: { name: "a", value: "b" } })) };
    assertError(await search(server, alice, { plain: wide }), 400, /at most 256 nodes/);
    assertError(await call(server, "POST", "/v1/storage/search", { body: {} }), 401);
  } finally {
    await server.close();
  }
});
