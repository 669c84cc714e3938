/** The SDK's `Search` builder and `client.search`, and `arca search`, over real HTTP. */
import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { Search } from "../lib/sdk/search.ts";
import { InProcessCli } from "./_cli_helpers.ts";
import { registerTestClient, TEST_REGISTRATION_TOKEN, withServer } from "./_sdk_helpers.ts";
import { runExample } from "./_examples.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("Search builder: chaining mutates and returns the same object; wire body", () => {
  const search = new Search();
  assert.equal(search.match({ types: ["season"] }), search);
  assert.equal(search.exclude({ values: ["rain"] }), search);
  assert.equal(search.range({ start: 0 }), search);
  search.match({
    condition: "AND",
    strategy: "WILDCARD",
    values: ["sum*"],
    keys: [],
    plain: { "*server_1*": "*" },
    writerIds: ["w"],
    userIds: ["u"],
    recordIds: ["r"],
  });
  search.limit = 10;
  assert.deepEqual(search.toWire(), {
    limit: 10,
    next_token: 0,
    include_data: true,
    include_all_writers: false,
    match: [
      { condition: "OR", strategy: "EXACT", terms: { content_types: ["season"] } },
      {
        condition: "AND",
        strategy: "WILDCARD",
        terms: {
          values: ["sum*"],
          tags: { "*server_1*": "*" },
          writer_ids: ["w"],
          user_ids: ["u"],
          record_ids: ["r"],
        },
      },
    ],
    exclude: [{ condition: "OR", strategy: "EXACT", terms: { values: ["rain"] } }],
    range: { range_key: "CREATED", after: "1970-01-01T00:00:00.000000Z" },
    order: { sort_order: "ASCENDING" },
  });
  assert.deepEqual(new Search().toWire(5).next_token, 5);
});

Deno.test("Search builder: times as epoch seconds, Dates, ISO strings; zoneOffset for zone-less", () => {
  const range = (options: Parameters<Search["range"]>[0]) =>
    new Search().range(options).toWire().range ?? {};
  assert.deepEqual(range({ start: 1_700_000_000.25 }), {
    range_key: "CREATED",
    after: "2023-11-14T22:13:20.250000Z",
  });
  assert.deepEqual(range({ end: new Date("2026-05-01T12:00:00Z"), key: "MODIFIED" }), {
    range_key: "MODIFIED",
    before: "2026-05-01T12:00:00.000000Z",
  });
  // Zone-less strings take the zoneOffset (hours or "+HH:MM"); zoned ones keep theirs.
  assert.equal(
    range({ start: "2026-05-01T09:00", zoneOffset: -8 }).after,
    "2026-05-01T17:00:00.000000Z",
  );
  assert.equal(
    range({ start: "2026-05-01T09:00:00", zoneOffset: "+05:30" }).after,
    "2026-05-01T03:30:00.000000Z",
  );
  assert.equal(
    range({ start: "2026-05-01", zoneOffset: 5.5 }).after,
    "2026-04-30T18:30:00.000000Z",
  );
  assert.equal(
    range({ start: "2026-05-01T09:00:00Z", zoneOffset: -8 }).after,
    "2026-05-01T09:00:00.000000Z",
  );
  assert.equal(
    range({ start: "2026-05-01T09:00:00+02:00", zoneOffset: -8 }).after,
    "2026-05-01T07:00:00.000000Z",
  );
  assert.equal(range({ start: "2026-05-01T09:00:00.123456" }).after, "2026-05-01T09:00:00.123456Z");
  // Numbers and Dates are absolute: zoneOffset does not move them.
  assert.equal(range({ start: 0, zoneOffset: 3 }).after, "1970-01-01T00:00:00.000000Z");
});

Deno.test("Search builder: bad options are ValidationErrors naming the value", () => {
  const bad: Array<[() => unknown, RegExp]> = [
    [() => new Search({ limit: 1001 }), /limit must be an integer from 1 to 1000, got 1001/],
    [() => new Search({ limit: 0 }), /limit/],
    [() => new Search({ nextToken: 10_000 }), /first 10000 results/],
    [() => new Search({ order: "UP" as "ASCENDING" }), /order/],
    [() => new Search({ includeData: "yes" as unknown as boolean }), /includeData/],
    [() => new Search().match({ strategy: "SOUNDEX" as "EXACT" }), /strategy must be one of/],
    [() => new Search().match({ condition: "XOR" as "OR" }), /condition must be OR or AND/],
    [
      () => new Search().match({ values: "summer" as unknown as string[] }),
      /values must be an array/,
    ],
    [
      () => new Search().exclude({ plain: { a: 1 as unknown as string } }),
      /plain must be an object/,
    ],
    [
      () => new Search().range({ start: "yesterday" }),
      /range start "yesterday" is not a usable ISO 8601 time/,
    ],
    [() => new Search().range({ start: -1 }), /epoch seconds >= 0/],
    [() => new Search().range({ end: new Date("nope") }), /invalid Date/],
    [() => new Search().range({ start: 0, zoneOffset: 99 }), /zoneOffset/],
    [() => new Search().range({ start: 0, zoneOffset: "8" }), /zoneOffset/],
    [() => new Search().range({ key: "LATER" as "CREATED" }), /range key/],
    [() => {
      const search = new Search();
      search.limit = 5000;
      return search.toWire();
    }, /limit/],
  ];
  for (const [make, message] of bad) {
    assert.throws(make, (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.match((error as Error).message, message);
      return true;
    });
  }
});

Deno.test("client.search over HTTP: clauses, strategies, data, ranges, paging, sharing", async () => {
  await withServer(async ({ url }) => {
    const alice = await registerTestClient(url, "alice");
    const bob = await registerTestClient(url, "bob");
    const summer = await alice.write("season", { temp: "hot" }, {
      name: "summer",
      weather: "sunny",
    });
    await alice.write("season", { temp: "cold" }, { name: "winter", weather: "snowy" });
    await alice.write("site", { note: "x" }, { url: "toznywebsite" });
    await alice.write("site", { note: "y" }, { url: "toznians" });

    const and = await alice.search(
      new Search().match({ condition: "AND", types: ["season"], values: ["summer", "sunny"] }),
    );
    assert.equal(and.totalResults, 1);
    assert.equal(and.nextToken, 0);
    assert.equal(typeof and.searchId, "string");
    assert.deepEqual(and.records[0]!.data, { temp: "hot" }); // decrypted
    assert.equal(and.records[0]!.meta.recordId, summer.meta.recordId);
    assert.ok(and.records[0]!.signature !== undefined);

    const fuzzy = await alice.search(new Search().match({ strategy: "FUZZY", values: ["bummer"] }));
    assert.deepEqual(fuzzy.records.map((r) => r.meta.plain.name), ["summer"]);
    const regexp = await alice.search(
      new Search({ includeData: false }).match({ strategy: "REGEXP", values: ["tozny.*"] }),
    );
    assert.deepEqual(regexp.records.map((r) => r.meta.plain.url), ["toznywebsite"]);
    assert.deepEqual(regexp.records[0]!.data, {});
    const excluded = await alice.search(
      new Search().match({ types: ["season"] }).exclude({ strategy: "WILDCARD", values: ["sum*"] }),
    );
    assert.deepEqual(excluded.records.map((r) => r.meta.plain.name), ["winter"]);

    const now = Date.now();
    const future = await alice.search(new Search().range({ start: new Date(now + 3_600_000) }));
    assert.equal(future.totalResults, 0);
    const past = await alice.search(new Search().range({ start: (now - 3_600_000) / 1000 }));
    assert.equal(past.totalResults, 4);

    // Paging: 5 records, 2 per page -> 3 pages by iteration; next tokens are offsets.
    for (let i = 0; i < 5; i++) await alice.write("page", { i: `${i}` }, { i: `${i}` });
    const first = await alice.search(new Search({ limit: 2 }).match({ types: ["page"] }));
    assert.equal(first.totalResults, 5);
    assert.equal(first.nextToken, 2);
    const pages = [];
    for await (const page of first) pages.push(page);
    assert.deepEqual(pages.map((page) => page.records.length), [2, 2, 1]);
    assert.deepEqual(pages.map((page) => page.nextToken), [2, 4, 0]);
    const all = [];
    for await (const record of first.allRecords()) all.push(record.data.i);
    assert.deepEqual(all, ["0", "1", "2", "3", "4"]);
    const newest = await alice.search(
      new Search({ limit: 1, order: "DESCENDING" }).match({ types: ["page"] }),
    );
    assert.equal(newest.records[0]!.data.i, "4");

    // Another client finds nothing until shared, and nothing again after revocation.
    const bobs = () =>
      bob.search(new Search({ includeAllWriters: true }).match({ values: ["summer"] }));
    assert.equal((await bobs()).totalResults, 0);
    await alice.share("season", bob.clientId);
    const shared = await bobs();
    assert.equal(shared.totalResults, 1);
    assert.deepEqual(shared.records[0]!.data, { temp: "hot" }); // decrypted with the shared key
    await alice.revoke("season", bob.clientId);
    assert.equal((await bobs()).totalResults, 0);

    await assert.rejects(
      alice.search(new Search().match({ strategy: "REGEXP", values: ["(unclosed"] })),
      (error: unknown) => error instanceof ValidationError && /is not closed/.test(String(error)),
    );
    await assert.rejects(alice.search({} as Search), ValidationError);
  });
});

Deno.test("arca search: flags, JSON clauses, ranges, all pages, --json", async () => {
  await withServer(async ({ url }) => {
    const home = await Deno.makeTempDir({ prefix: "arca-cli-home-" });
    try {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      for (
        const [name, weather] of [["summer", "sunny"], ["winter", "snowy"], ["spring", "rainy"]]
      ) {
        await cli.json(
          "write",
          "season",
          "--data",
          '{"secret":"s"}',
          "--plain",
          `{"name":"${name}","weather":"${weather}"}`,
        );
      }
      const exact: Json = await cli.json(
        "search",
        "--type",
        "season",
        "--value",
        "summer",
        "--condition",
        "AND",
      );
      assert.equal(exact.totalResults, 1);
      assert.equal(exact.records[0].meta.plain.name, "summer");
      assert.deepEqual(exact.records[0].data, { secret: "s" });
      assert.equal(exact.nextToken, 0);
      assert.equal(typeof exact.searchId, "string");
      const fuzzy: Json = await cli.json(
        "search",
        "--value",
        "bummer",
        "--strategy",
        "FUZZY",
        "--no-data",
      );
      assert.deepEqual(fuzzy.records.map((r: Json) => r.meta.plain.name), ["summer"]);
      assert.deepEqual(fuzzy.records[0].data, {});
      const plainKey: Json = await cli.json(
        "search",
        "--plain",
        "weather=*y",
        "--strategy",
        "WILDCARD",
      );
      assert.equal(plainKey.totalResults, 3);
      const clauses: Json = await cli.json(
        "search",
        "--match",
        '{"types":["season"]}',
        "--exclude",
        '{"values":["summer","winter"]}',
      );
      assert.deepEqual(clauses.records.map((r: Json) => r.meta.plain.name), ["spring"]);
      const paged: Json = await cli.json(
        "search",
        "--type",
        "season",
        "--limit",
        "1",
        "--all",
        "--desc",
      );
      assert.deepEqual(paged.records.map((r: Json) => r.meta.plain.name), [
        "spring",
        "winter",
        "summer",
      ]);
      assert.equal(paged.nextToken, 0);
      const onePage: Json = await cli.json("search", "--type", "season", "--limit", "2");
      assert.equal(onePage.records.length, 2);
      assert.equal(onePage.nextToken, 2);
      const none: Json = await cli.json(
        "search",
        "--after",
        "2200-01-01T00:00",
        "--zone-offset",
        "+02:00",
      );
      assert.equal(none.totalResults, 0);
      const since: Json = await cli.json("search", "--after", "0", "--range-key", "MODIFIED");
      assert.equal(since.totalResults, 3);
      const human = await cli.run("search", "--type", "season", "--limit", "2");
      assert.equal(human.code, 0);
      assert.match(human.stdout, /2 of 3 records; next page: --next-token 2/);
      const bad = await cli.run("search", "--value", "(", "--strategy", "REGEXP");
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(bad.stderr, /^arca: .*REGEXP pattern "\(" is invalid/);
      const usage = await cli.run("search", "--strategy", "SOUNDEX");
      assert.equal(usage.code, 2, usage.stderr);
      const badClause = await cli.run("search", "--match", '{"colour":"red"}');
      assert.equal(badClause.code, 2, badClause.stderr);
      assert.match(badClause.stderr, /Unknown clause field "colour"/);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  });
});

Deno.test("example search.ts runs against a real server", async () => {
  await withServer(async ({ url }) => {
    const { code, stdout, stderr } = await runExample("search", {
      ARCA_API_URL: url,
      ARCA_REGISTRATION_TOKEN: TEST_REGISTRATION_TOKEN,
    });
    assert.equal(code, 0, stderr);
    for (
      const line of [
        "AND summer+sunny: summer/sunny",
        "AND on keys: 2 seasons",
        "jam without strawberry: apricot",
        "FUZZY bummer: summer/sunny",
        "WILDCARD su??er: summer/sunny",
        "REGEXP tozny.*: toznywebsite",
        "plain key *server_1*: up/eu",
        "decrypted data: secret_temp",
        "written in the last 24 hours: 6",
        "09:00 at -08:00 is 2026-05-01T17:00:00.000000Z",
        "total 6, first page 2, next 2",
        "page of 2, nextToken 2\npage of 2, nextToken 4\npage of 2, nextToken 0",
      ]
    ) assert.ok(stdout.includes(line), `missing "${line}" in:\n${stdout}`);
  });
});
