/**
 * Finding 8 (issue 10): a v1 query or v2 search without `include_data` does not read the records'
 * data, and a page of large records stops at its data budget (8 MiB) while paging still returns
 * every record exactly once. Over real HTTP.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { realHttpServer } from "./_real_http_server.ts";
import { registerTestClient, withServer } from "./_sdk_helpers.ts";
import { call, registerClient, writeRecord } from "./_server_helpers.ts";
import { testBackendHasSearch } from "./_test_store.ts";

const QUERY = "/v1/storage/search";

Deno.test("page budget: without include_data, stored data is never read (not even parsed)", async () => {
  const server = await realHttpServer({}, true);
  try {
    const alice = await registerClient(server, "alice");
    const written = [];
    for (let n = 0; n < 3; n++) {
      written.push(await writeRecord(server, alice, "notes", { n: `${n}` }));
    }
    // Data that cannot be parsed: any read of it would fail the request.
    const raw = new DatabaseSync(server.storePath);
    raw.prepare("UPDATE records SET data = 'not json' WHERE record_id = ?")
      .run(written[1].meta.record_id);
    raw.close();
    const query = await call(server, "POST", QUERY, {
      token: alice.token,
      body: { include_data: false, count: 10 },
    });
    assert.equal(query.status, 200, query.text);
    assert.deepEqual(
      query.json.results.map((r: { meta: { plain: { n: string } } }) => r.meta.plain.n),
      ["0", "1", "2"],
    );
    assert.ok(query.json.results.every((r: { record_data: unknown }) => r.record_data === null));
    const search = await call(server, "POST", "/v2/search", {
      token: alice.token,
      body: { include_data: false, limit: 10, match: [{ terms: { content_types: ["notes"] } }] },
    });
    assert.equal(search.status, 200, search.text);
    assert.equal(search.json.results.length, 3);
    assert.equal(search.json.total_results, 3);
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "page budget: pages of large records stop at 8 MiB; paging returns each exactly once",
  ignore: !testBackendHasSearch,
}, async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    // An encrypted field's shape (edk.edkN.ef.efN) with a ciphertext part of 3 MiB (and 4n bytes).
    const field = (n: number) =>
      `${"A".repeat(64)}.${"B".repeat(32)}.${"C".repeat(3 * 1024 * 1024 + 4 * n)}.${
        "D".repeat(32)
      }`;
    for (let n = 0; n < 5; n++) {
      await writeRecord(server, alice, "big", { n: `${n}` }, { f: field(n) });
    }
    // v1 query: the third 3 MiB record takes a page past 8 MiB and ends it.
    const seen: string[] = [];
    const sizes: number[] = [];
    let afterIndex = 0;
    for (let pages = 0; pages < 10; pages++) {
      const reply = await call(server, "POST", QUERY, {
        token: alice.token,
        body: { include_data: true, count: 10, after_index: afterIndex },
      });
      assert.equal(reply.status, 200);
      const results = reply.json.results as Array<
        { meta: { plain: { n: string } }; record_data: { f: string } }
      >;
      if (results.length === 0) {
        assert.equal(reply.json.last_index, afterIndex);
        break;
      }
      sizes.push(results.length);
      for (const result of results) {
        const n = Number(result.meta.plain.n);
        assert.equal(result.record_data.f, field(n));
        seen.push(result.meta.plain.n);
      }
      assert.ok(reply.json.last_index > afterIndex);
      afterIndex = reply.json.last_index;
    }
    assert.deepEqual(sizes, [3, 2]);
    assert.deepEqual(seen, ["0", "1", "2", "3", "4"]);

    // v2 search: next_token is an offset; last_index counts only what was returned.
    const found: string[] = [];
    let nextToken = 0;
    for (let pages = 0; pages < 10; pages++) {
      const reply = await call(server, "POST", "/v2/search", {
        token: alice.token,
        body: {
          include_data: true,
          limit: 10,
          next_token: nextToken,
          match: [{ terms: { content_types: ["big"] } }],
        },
      });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.total_results, 5);
      found.push(
        ...reply.json.results.map((r: { meta: { plain: { n: string } } }) => r.meta.plain.n),
      );
      assert.equal(reply.json.last_index, found.length < 5 ? found.length : 0);
      if (reply.json.last_index === 0) break;
      nextToken = reply.json.last_index;
    }
    assert.deepEqual(found, ["0", "1", "2", "3", "4"]);
  } finally {
    await server.close();
  }
});

Deno.test("page budget: the SDK's query goes on past a page the budget ended early", async () => {
  await withServer(async ({ url }) => {
    const client = await registerTestClient(url, "sdk-budget");
    const big = "x".repeat(3 * 1024 * 1024);
    for (let n = 0; n < 4; n++) await client.write("big", { body: big }, { n: `${n}` });
    const records = await client.query({ types: ["big"], pageSize: 10 }).collect();
    assert.deepEqual(records.map((record) => record.meta.plain.n), ["0", "1", "2", "3"]);
    assert.ok(records.every((record) => record.data.body === big));
  });
});
