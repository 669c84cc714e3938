/** `POST /v2/search` in-process: E3DB's search semantics with small fixtures. */
import assert from "node:assert/strict";
import { formatTimestamp } from "../lib/protocol/timestamps.ts";
import { referenceSearch } from "./_reference_search.ts";
import type { SearchClause } from "../lib/store/search/search_query.ts";
import type { RecordRow } from "../lib/store/records.ts";
import { Dice, randomClause, randomRecord, searchQuery } from "./_search_helpers.ts";
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
  return call(server, "POST", "/v2/search", { token: client.token, body });
}

// deno-lint-ignore no-explicit-any
function plains(reply: { json: any }): Array<Record<string, string>> {
  // deno-lint-ignore no-explicit-any
  return reply.json.results.map((row: any) => row.meta.plain);
}

// deno-lint-ignore no-explicit-any
function recordIds(reply: { json: any }): string[] {
  // deno-lint-ignore no-explicit-any
  return reply.json.results.map((row: any) => row.meta.record_id);
}

async function withServer(fn: (server: TestServer, alice: TestClient) => Promise<void>) {
  const server = await testServer();
  try {
    await fn(server, await registerClient(server, "alice"));
  } finally {
    await server.close();
  }
}

Deno.test("v2 search: response shape; no clauses and an empty match clause match everything", async () => {
  await withServer(async (server, alice) => {
    const a = await writeRecord(server, alice, "season", { name: "summer" });
    const b = await writeRecord(server, alice, "web", null);
    for (const body of [{}, { match: [{}] }, { match: [{ terms: {} }], exclude: [{}] }]) {
      const reply = await search(server, alice, body);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(Object.keys(reply.json).sort(), [
        "last_index",
        "results",
        "search_id",
        "total_results",
      ]);
      assert.deepEqual(recordIds(reply), [a.meta.record_id, b.meta.record_id]);
      assert.equal(reply.json.total_results, 2);
      assert.equal(reply.json.last_index, 0);
      assert.equal(typeof reply.json.search_id, "string");
      assert.ok(reply.json.search_id.length > 0);
      const [row] = reply.json.results;
      assert.deepEqual(row.meta, a.meta);
      assert.match(row.meta.created, TIMESTAMP_SHAPE);
      assert.equal(row.record_data, null);
      assert.equal(row.access_key, null);
    }
  });
});

Deno.test("v2 search: a Python-style body with every field, nulls and an empty range", async () => {
  await withServer(async (server, alice) => {
    await writeRecord(server, alice, "contact", { house: "stark" });
    await writeRecord(server, alice, "other", { house: "stark" });
    const reply = await search(server, alice, {
      limit: 50,
      next_token: 0,
      include_all_writers: false,
      include_data: false,
      match: [{
        condition: "OR",
        strategy: "EXACT",
        terms: {
          writer_ids: [],
          user_ids: [],
          record_ids: [],
          content_types: ["contact"],
          keys: [],
          values: [],
          tags: null,
        },
      }],
      exclude: [],
      range: {},
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.total_results, 1);
    assert.equal(reply.json.results[0].meta.type, "contact");
  });
});

Deno.test("v2 search: condition AND over two record ids finds nothing, OR finds both", async () => {
  await withServer(async (server, alice) => {
    const a = await writeRecord(server, alice, "t", {});
    const b = await writeRecord(server, alice, "t", {});
    await writeRecord(server, alice, "t", {});
    const terms = { record_ids: [a.meta.record_id, b.meta.record_id] };
    const and = await search(server, alice, { match: [{ condition: "AND", terms }] });
    assert.equal(and.json.total_results, 0);
    assert.deepEqual(and.json.results, []);
    const or = await search(server, alice, { match: [{ condition: "OR", terms }] });
    assert.deepEqual(recordIds(or), [a.meta.record_id, b.meta.record_id]);
  });
});

Deno.test("v2 search: AND across term lists; match clauses OR-ed; keys and values", async () => {
  await withServer(async (server, alice) => {
    const summer = await writeRecord(server, alice, "season", { name: "summer", weather: "sunny" });
    const winter = await writeRecord(server, alice, "season", { name: "winter", weather: "snowy" });
    await writeRecord(server, alice, "jam", { flavor: "summer" });
    const both = await search(server, alice, {
      match: [{
        condition: "AND",
        terms: { content_types: ["season"], values: ["summer", "sunny"] },
      }],
    });
    assert.deepEqual(recordIds(both), [summer.meta.record_id]);
    const keys = await search(server, alice, {
      match: [{
        condition: "AND",
        terms: { content_types: ["season"], keys: ["name", "weather"] },
      }],
    });
    assert.deepEqual(recordIds(keys), [summer.meta.record_id, winter.meta.record_id]);
    const either = await search(server, alice, {
      match: [{ terms: { values: ["snowy"] } }, { terms: { content_types: ["jam"] } }],
    });
    assert.deepEqual(plains(either), [{ name: "winter", weather: "snowy" }, { flavor: "summer" }]);
    const tag = await search(server, alice, { match: [{ terms: { tags: { flavor: "summer" } } }] });
    assert.deepEqual(plains(tag), [{ flavor: "summer" }]);
    const wrongPair = await search(server, alice, {
      match: [{ terms: { tags: { name: "snowy" } } }],
    });
    assert.equal(wrongPair.json.total_results, 0);
  });
});

Deno.test("v2 search: exclude wins over match; excludes are OR-ed", async () => {
  await withServer(async (server, alice) => {
    await writeRecord(server, alice, "jam", { flavor: "apricot" });
    await writeRecord(server, alice, "jam", { flavor: "strawberry" });
    await writeRecord(server, alice, "jam", { flavor: "plum" });
    const one = await search(server, alice, {
      match: [{ terms: { content_types: ["jam"] } }],
      exclude: [{ terms: { values: ["strawberry"] } }],
    });
    assert.deepEqual(plains(one), [{ flavor: "apricot" }, { flavor: "plum" }]);
    const two = await search(server, alice, {
      match: [{ terms: { values: ["apricot", "strawberry"] } }],
      exclude: [{ terms: { values: ["strawberry"] } }, { terms: { values: ["apricot"] } }],
    });
    assert.equal(two.json.total_results, 0);
  });
});

Deno.test("v2 search: strategies — REGEXP anchored, FUZZY AUTO, WILDCARD on plain keys", async () => {
  await withServer(async (server, alice) => {
    await writeRecord(server, alice, "site", { url: "toznywebsite" });
    await writeRecord(server, alice, "site", { url: "toznians" });
    await writeRecord(server, alice, "mood", { feeling: "veryveryfuzzy" });
    await writeRecord(server, alice, "season", { name: "summer" });
    await writeRecord(server, alice, "host", { my_server_12: "up" });
    await writeRecord(server, alice, "host", { server_2: "up" });
    const regexp = await search(server, alice, {
      match: [{ strategy: "REGEXP", terms: { values: ["tozny.*"] } }],
    });
    assert.deepEqual(plains(regexp), [{ url: "toznywebsite" }]);
    const funny = await search(server, alice, {
      match: [{ strategy: "FUZZY", terms: { values: ["veryveryfunny"] } }],
    });
    assert.deepEqual(plains(funny), [{ feeling: "veryveryfuzzy" }]);
    const bummer = await search(server, alice, {
      match: [{ strategy: "FUZZY", terms: { values: ["bummer"] } }],
    });
    assert.deepEqual(plains(bummer), [{ name: "summer" }]);
    const keys = await search(server, alice, {
      match: [{ strategy: "WILDCARD", terms: { tags: { "*server_1*": "*" } } }],
    });
    assert.deepEqual(plains(keys), [{ my_server_12: "up" }]);
    const exact = await search(server, alice, { match: [{ terms: { values: ["tozny.*"] } }] });
    assert.equal(exact.json.total_results, 0); // EXACT takes operators literally
    const caseSensitive = await search(server, alice, {
      match: [{ terms: { values: ["Summer"] } }],
    });
    assert.equal(caseSensitive.json.total_results, 0);
    const wildType = await search(server, alice, {
      match: [{ strategy: "WILDCARD", terms: { content_types: ["s*"] } }],
    });
    assert.deepEqual(plains(wildType), [{ url: "toznywebsite" }, { url: "toznians" }, {
      name: "summer",
    }]);
  });
});

Deno.test("v2 search: ranges on CREATED and MODIFIED, inclusive, any UTC offset", async () => {
  await withServer(async (server, alice) => {
    // The fake clock starts at 2027-01-15T08:00:00Z; records are ten minutes apart.
    const first = await writeRecord(server, alice, "t", { n: "1" });
    server.clock.advanceSeconds(600);
    const second = await writeRecord(server, alice, "t", { n: "2" });
    server.clock.advanceSeconds(600);
    const third = await writeRecord(server, alice, "t", { n: "3" });
    assert.equal(second.meta.created, "2027-01-15T08:10:00.000000Z");
    const range = (r: unknown) => search(server, alice, { range: r });
    // 08:10Z written as 13:40 at +05:30: inclusive lower bound.
    const after = await range({ range_key: "CREATED", after: "2027-01-15T13:40:00+05:30" });
    assert.deepEqual(recordIds(after), [second.meta.record_id, third.meta.record_id]);
    // 08:10Z written as 00:10 at -08:00: inclusive upper bound.
    const before = await range({ range_key: "CREATED", before: "2027-01-15T00:10:00-08:00" });
    assert.deepEqual(recordIds(before), [first.meta.record_id, second.meta.record_id]);
    const between = await range({
      after: "2027-01-15T08:05:00.5Z",
      before: "2027-01-15T08:15:00.000001+00:00",
    });
    assert.deepEqual(recordIds(between), [second.meta.record_id]);
    const inverted = await range({ after: "2027-01-16T00:00:00Z", before: "2027-01-15T00:00:00Z" });
    assert.equal(inverted.json.total_results, 0);
    // MODIFIED: update the first record at 08:30; only it was modified after 08:25.
    server.clock.advanceSeconds(600);
    const updated = await call(
      server,
      "PUT",
      `/v1/storage/records/safe/${first.meta.record_id}/${first.meta.version}`,
      {
        token: alice.token,
        body: { meta: { ...first.meta, plain: { n: "1b" } }, data: first.data },
      },
    );
    assert.equal(updated.status, 200, updated.text);
    const modified = await range({ range_key: "MODIFIED", after: "2027-01-15T08:25:00Z" });
    assert.deepEqual(plains(modified), [{ n: "1b" }]);
    const created = await range({ range_key: "CREATED", after: "2027-01-15T08:25:00Z" });
    assert.equal(created.json.total_results, 0);
    const badTime = await range({ after: "15 Jan 2027" });
    assertError(badTime, 400, /range\.after/);
    const badKey = await range({ range_key: "UPDATED", after: "2027-01-15T08:25:00Z" });
    assertError(badKey, 400, /range\.range_key/);
  });
});

Deno.test("v2 search: paging 5 records by 2 (next_token is an offset); order DESCENDING", async () => {
  await withServer(async (server, alice) => {
    const written = [];
    for (let i = 0; i < 5; i++) {
      written.push(await writeRecord(server, alice, "page", { i: `${i}` }));
    }
    await writeRecord(server, alice, "other", {});
    const match = [{ terms: { content_types: ["page"] } }];
    const first = await search(server, alice, { limit: 2, match });
    assert.equal(first.json.results.length, 2);
    assert.equal(first.json.last_index, 2);
    assert.equal(first.json.total_results, 5);
    const rest = await search(server, alice, { limit: 10, next_token: 2, match });
    assert.equal(rest.json.results.length, 3);
    assert.equal(rest.json.last_index, 0);
    assert.equal(rest.json.total_results, 5);
    assert.deepEqual(
      [...recordIds(first), ...recordIds(rest)],
      written.map((record) => record.meta.record_id),
    );
    const past = await search(server, alice, { next_token: 7, match });
    assert.deepEqual(past.json.results, []);
    assert.equal(past.json.last_index, 0);
    const newest = await search(server, alice, {
      limit: 2,
      next_token: 1,
      match,
      order: { sort_order: "DESCENDING" },
    });
    assert.deepEqual(recordIds(newest), [written[3]!.meta.record_id, written[2]!.meta.record_id]);
    assert.equal(newest.json.last_index, 3);
  });
});

Deno.test("v2 search: limit 1001 and next_token 10000 are 400 with a JSON error", async () => {
  await withServer(async (server, alice) => {
    assertError(await search(server, alice, { limit: 1001 }), 400, /limit: must be <= 1000/);
    assertError(await search(server, alice, { limit: 0 }), 400, /limit/);
    assertError(await search(server, alice, { limit: 2.5 }), 400, /limit/);
    assertError(
      await search(server, alice, { next_token: 10_000 }),
      400,
      /only the first 10000 results of a search can be retrieved/,
    );
    assertError(await search(server, alice, { next_token: -1 }), 400, /next_token/);
    assert.equal((await search(server, alice, { limit: 1000, next_token: 9999 })).status, 200);
  });
});

Deno.test("v2 search: hostile input is bounded and bad patterns are 400", async () => {
  await withServer(async (server, alice) => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    assertError(
      await search(server, alice, { match: Array.from({ length: 33 }, () => ({})) }),
      400,
      /match: must have at most 32 clauses/,
    );
    assertError(
      await search(server, alice, { match: [{ terms: { values: many(257) } }] }),
      400,
      /values: must have at most 256 values/,
    );
    assertError(
      await search(server, alice, {
        match: Array.from({ length: 5 }, () => ({ terms: { values: many(250) } })),
      }),
      400,
      /at most 1024 values/,
    );
    assertError(
      await search(server, alice, { match: [{ strategy: "REGEXP", terms: { values: many(33) } }] }),
      400,
      /at most 32 WILDCARD, REGEXP or FUZZY values/,
    );
    assertError(
      await search(server, alice, { match: [{ terms: { values: ["x".repeat(1025)] } }] }),
      400,
      /at most 1024 characters/,
    );
    assertError(
      await search(server, alice, { match: [{ strategy: "REGEXP", terms: { values: ["(a"] } }] }),
      400,
      /match\[0\]\.values\[0\]: REGEXP pattern "\(a" is invalid/,
    );
    assertError(
      await search(server, alice, {
        match: [{ strategy: "REGEXP", terms: { keys: ["(x{999}){999}"] } }],
      }),
      400,
      /too complex/,
    );
    assertError(await search(server, alice, { match: [{ strategy: "SOUNDEX" }] }), 400, /strategy/);
    assertError(await search(server, alice, { match: [{ condition: "XOR" }] }), 400, /condition/);
    assertError(
      await search(server, alice, { match: [{ terms: { values: [1] } }] }),
      400,
      /values/,
    );
    assertError(
      await search(server, alice, { match: [{ terms: { tags: { a: 1 } } }] }),
      400,
      /tags/,
    );
    assertError(await search(server, alice, []), 400);
    assertError(await search(server, alice, "{"), 400, /not valid JSON/);
    // Catastrophic patterns are answered (linear-time matching), not stalled.
    await writeRecord(server, alice, "t", { long: "a".repeat(900) });
    const reply = await search(server, alice, {
      match: [{ strategy: "REGEXP", terms: { values: ["(a+)+b", "(a|aa)*c"] } }, {
        strategy: "WILDCARD",
        terms: { values: ["*a".repeat(100) + "*b"] },
      }],
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.total_results, 0);
    // SQL-looking input is data.
    const sqlish = await search(server, alice, {
      match: [{ terms: { values: ["'; DROP TABLE records; --"], keys: ['") OR 1=1 --'] } }],
    });
    assert.equal(sqlish.json.total_results, 0);
    assert.equal((await search(server, alice, {})).json.total_results, 1);
  });
});

Deno.test("v2 search: needs a bearer token", async () => {
  await withServer(async (server) => {
    const reply = await call(server, "POST", "/v2/search", { body: {} });
    assertError(reply, 401);
    const bad = await call(server, "POST", "/v2/search", { body: {}, token: "nope" });
    assertError(bad, 401);
  });
});

Deno.test("v2 search: another client finds nothing unless shared; revocation hides at once", async () => {
  await withServer(async (server, alice) => {
    const bob = await registerClient(server, "bob");
    const record = await writeRecord(server, alice, "contact", { name: "jon" });
    await writeRecord(server, alice, "secret", { name: "jon" });
    const everything = { include_all_writers: true, match: [{ terms: { values: ["jon"] } }] };
    assert.equal((await search(server, bob, everything)).json.total_results, 0);
    assert.equal(
      (await search(server, bob, { match: [{ terms: { values: ["jon"] } }] })).json.total_results,
      0,
    );
    const eak = fakeEak();
    assert.equal(
      (await putEak(server, alice, alice.clientId, bob.clientId, "contact", eak)).status,
      201,
    );
    const share = await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", {
      allow: [{ read: {} }],
    });
    assert.equal(share.status, 201, share.text);
    const shared = await search(server, bob, { ...everything, include_data: true });
    assert.deepEqual(recordIds(shared), [record.meta.record_id]);
    assert.deepEqual(shared.json.results[0].record_data, record.data);
    assert.deepEqual(shared.json.results[0].access_key, {
      eak,
      authorizer_id: alice.clientId,
      authorizer_public_key: { curve25519: alice.publicKey },
    });
    // Without include_all_writers, only Bob's own records.
    assert.equal(
      (await search(server, bob, { match: [{ terms: { values: ["jon"] } }] })).json.total_results,
      0,
    );
    const byWriter = await search(server, bob, {
      include_all_writers: true,
      match: [{ terms: { writer_ids: [alice.clientId] } }],
    });
    assert.deepEqual(recordIds(byWriter), [record.meta.record_id]);
    const revoke = await putPolicy(server, alice, alice.clientId, bob.clientId, "contact", {
      deny: [{ read: {} }],
    });
    assert.equal(revoke.status, 201, revoke.text);
    assert.equal((await search(server, bob, everything)).json.total_results, 0);
  });
});

Deno.test("v2 search: include_data returns data and the caller's key; file records carry {}", async () => {
  await withServer(async (server, alice) => {
    const plain = await writeRecord(server, alice, "doc", { k: "v" });
    const eak = fakeEak();
    await putEak(server, alice, alice.clientId, alice.clientId, "doc", eak);
    const now = await server.store.issueTimestamp(server.clock.read());
    const file = await server.store.records.insert({
      recordId: crypto.randomUUID(),
      writerId: alice.clientId,
      userId: alice.clientId,
      type: "doc",
      plain: { k: "file" },
      data: {},
      recSig: null,
      fileMeta: { checksum: "abc", compression: "raw", size: 3, file_url: "", file_name: "x" },
      created: now,
      lastModified: now,
      version: crypto.randomUUID(),
    });
    const withData = await search(server, alice, { include_data: true });
    const [first, second] = withData.json.results;
    assert.deepEqual(first.record_data, plain.data);
    assert.equal(first.access_key.eak, eak);
    assert.equal(second.meta.record_id, file.recordId);
    assert.deepEqual(second.record_data, {});
    assert.equal(second.meta.file_meta.size, 3);
    assert.equal(second.meta.created, formatTimestamp(now));
    const withoutData = await search(server, alice, { include_data: false });
    for (const row of withoutData.json.results) {
      assert.equal(row.record_data, null);
      assert.equal(row.access_key, null);
    }
  });
});

Deno.test("v2 search: random wire requests agree with the brute-force reference", async () => {
  await withServer(async (server, alice) => {
    const bob = await registerClient(server, "bob");
    const dice = new Dice(77);
    const rows = [];
    for (let i = 0; i < 80; i++) {
      const writer = dice.chance(0.8) ? alice : bob;
      const record = randomRecord(dice, writer.clientId, 0);
      const written = await writeRecord(server, writer, record.type, record.plain);
      rows.push((await server.store.records.get(written.meta.record_id))!);
      if (dice.chance(0.3)) server.clock.advanceSeconds(1);
    }
    const share = await putPolicy(server, bob, bob.clientId, alice.clientId, "season", {
      allow: [{ read: {} }],
    });
    assert.equal(share.status, 201);
    const sharedWithAlice = (row: RecordRow) =>
      row.writerId === bob.clientId && row.type === "season";
    const wireClause = (c: SearchClause) => ({
      condition: c.condition,
      strategy: c.strategy,
      terms: {
        writer_ids: c.writerIds,
        user_ids: c.userIds,
        record_ids: c.recordIds,
        content_types: c.types,
        keys: c.keys,
        values: c.values,
        tags: Object.fromEntries(c.tags),
      },
    });
    const recordIdList = rows.map((row) => row.recordId);
    for (let i = 0; i < 150; i++) {
      const query = searchQuery(alice.clientId, {
        includeAllWriters: dice.chance(0.5),
        descending: dice.chance(0.3),
        limit: 1 + dice.int(10),
        offset: dice.chance(0.3) ? dice.int(10) : 0,
        match: Array.from(
          { length: dice.int(3) },
          () => randomClause(dice, [alice.clientId, bob.clientId], recordIdList),
        ),
        exclude: dice.chance(0.3)
          ? [randomClause(dice, [alice.clientId, bob.clientId], recordIdList)]
          : [],
      });
      // Tags travel as an object: one value per key.
      for (const c of [...query.match, ...query.exclude]) {
        c.tags = Object.entries(Object.fromEntries(c.tags));
      }
      const expected = referenceSearch(query, rows, sharedWithAlice);
      const reply = await search(server, alice, {
        limit: query.limit,
        next_token: query.offset,
        include_all_writers: query.includeAllWriters,
        match: query.match.map(wireClause),
        exclude: query.exclude.map(wireClause),
        order: { sort_order: query.descending ? "DESCENDING" : "ASCENDING" },
      });
      const body = JSON.stringify(query);
      assert.equal(reply.status, 200, `${reply.text} ${body}`);
      assert.equal(reply.json.total_results, expected.total, body);
      assert.deepEqual(recordIds(reply), expected.records.map((row) => row.recordId), body);
      const next = query.offset + expected.records.length;
      assert.equal(
        reply.json.last_index,
        expected.records.length > 0 && next < expected.total ? next : 0,
      );
    }
  });
});
