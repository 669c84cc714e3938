/**
 * The v2 search: boolean clauses, the four matching strategies, time ranges and paging.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/search.ts
 */
import { Client, Search } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const { config } = await Client.register(
  registrationToken(),
  "search-example",
  await Client.generateKeypair(),
  { apiUrl, signingKeys: await Client.generateSigningKeypair() },
);
const client = new Client(config);

// Data is encrypted; `plain` stays clear and is what search looks at.
await client.write("season", { temp: "secret_temp" }, { name: "summer", weather: "sunny" });
await client.write("season", { temp: "secret_temp" }, { name: "winter", weather: "snowy" });
await client.write("jam", { recipe: "secret" }, { flavor: "apricot" });
await client.write("jam", { recipe: "secret" }, { flavor: "strawberry" });
await client.write("host", { login: "secret" }, { my_server_12: "up", zone: "eu" });
await client.write("site", { login: "secret" }, { url: "toznywebsite" });

const names = (records: { meta: { plain: Record<string, string> } }[]) =>
  records.map((record) => Object.values(record.meta.plain).join("/")).join(", ");

// AND: every listed value must match; OR (the default): any of them.
const sunnySummer = await client.search(
  new Search().match({ condition: "AND", types: ["season"], values: ["summer", "sunny"] }),
);
console.log(`AND summer+sunny: ${names(sunnySummer.records)}`);
const byKeys = await client.search(
  new Search().match({ condition: "AND", types: ["season"], keys: ["name", "weather"] }),
);
console.log(`AND on keys: ${byKeys.totalResults} seasons`);

// Match clauses are OR-ed; exclude clauses remove what they match.
const jam = await client.search(
  new Search().match({ types: ["jam"] }).exclude({ values: ["strawberry"] }),
);
console.log(`jam without strawberry: ${names(jam.records)}`);

// Strategies: FUZZY (1-2 edits by length), WILDCARD (* and ?), REGEXP (whole term).
const fuzzy = await client.search(new Search().match({ strategy: "FUZZY", values: ["bummer"] }));
console.log(`FUZZY bummer: ${names(fuzzy.records)}`);
const wild = await client.search(new Search().match({ strategy: "WILDCARD", values: ["su??er"] }));
console.log(`WILDCARD su??er: ${names(wild.records)}`);
const regexp = await client.search(new Search().match({ strategy: "REGEXP", values: ["tozny.*"] }));
console.log(`REGEXP tozny.*: ${names(regexp.records)}`);
const keys = await client.search(
  new Search().match({ strategy: "WILDCARD", plain: { "*server_1*": "*" } }),
);
console.log(`plain key *server_1*: ${names(keys.records)}`);

// Data comes back decrypted (or not at all with includeData: false).
const [first] = sunnySummer.records;
console.log(`decrypted data: ${first?.data.temp}`);

// Time ranges: epoch seconds, Dates or ISO strings; zone-less strings take zoneOffset.
const now = new Date();
const lastDay = await client.search(
  new Search().match({ writerIds: [client.clientId] }).range({
    start: new Date(now.getTime() - 86_400_000),
    end: now,
  }),
);
console.log(`written in the last 24 hours: ${lastDay.totalResults}`);
const localMorning = new Search().range({ start: "2026-05-01T09:00", zoneOffset: "-08:00" });
console.log(`09:00 at -08:00 is ${localMorning.toWire().range?.after}`);

// Paging: `limit` per page, `nextToken` continues; `for await` walks every page.
const paged = await client.search(new Search({ limit: 2, includeData: false }));
console.log(
  `total ${paged.totalResults}, first page ${paged.records.length}, next ${paged.nextToken}`,
);
for await (const page of paged) {
  console.log(`page of ${page.records.length}, nextToken ${page.nextToken}`);
}
