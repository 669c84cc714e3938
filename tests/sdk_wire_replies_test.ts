/**
 * The SDK reads every reply with the shape `lib/protocol` defines, and a reply of the wrong shape
 * is a typed `ArcaError` (never a `TypeError`); the bodies it sends pass the server's schemas.
 */
import assert from "node:assert/strict";
import { isUuid as cryptoIsUuid } from "../lib/crypto/uuid.ts";
import { ArcaError, ValidationError } from "../lib/errors.ts";
import { adminTokenCreateSchema } from "../lib/protocol/admin.ts";
import { isUuid as protocolIsUuid } from "../lib/protocol/ids.ts";
import { policyPutSchema } from "../lib/protocol/schemas.ts";
import { searchRequestSchema } from "../lib/protocol/search.ts";
import { AdminClient } from "../lib/sdk/admin_client.ts";
import { ALLOW_AUTHORIZER, DENY_AUTHORIZER } from "../lib/sdk/authorizers.ts";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { realmInfo } from "../lib/sdk/identity.ts";
import { generateKeyPairText } from "../lib/sdk/key_text.ts";
import { noteFromWire } from "../lib/sdk/notes.ts";
import { registerClient } from "../lib/sdk/registration.ts";
import { Search } from "../lib/sdk/search.ts";
import { ALLOW_READ, DENY_READ } from "../lib/sdk/sharing.ts";

const API_URL = "http://127.0.0.1:9";
const ID = "0e8eb8c6-839f-46ca-9843-801c539e490f";
const TIME = "2026-11-23T08:21:13.388814Z";
const META = {
  record_id: "r",
  writer_id: "w",
  user_id: "w",
  type: "t",
  plain: null,
  created: TIME,
  last_modified: TIME,
  version: "v",
};

/** A `fetch` that answers token requests and every other request with `reply`. */
function fetchAnswering(reply: unknown): typeof fetch {
  return ((input: string | URL | Request) => {
    const path = new URL(String(input)).pathname;
    if (path === "/v1/auth/token") {
      return Promise.resolve(Response.json({ access_token: "t", expires_in: 3600 }));
    }
    return Promise.resolve(Response.json(reply, { status: 200 }));
  }) as typeof fetch;
}

async function clientAnswering(reply: unknown): Promise<Client> {
  const keys = await generateKeyPairText("Sodium");
  const config = Config.fromObject({
    client_id: ID,
    api_key_id: "k",
    api_secret: "s",
    public_key: keys.publicKey,
    private_key: keys.privateKey,
    api_url: API_URL,
  });
  return new Client(config, { fetch: fetchAnswering(reply) });
}

/** Asserts that `run` rejects with an `ArcaError` (not a `ValidationError`) matching `pattern`. */
async function rejectsMalformed(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof ArcaError, `expected an ArcaError, got ${String(error)}`);
    assert.ok(!(error instanceof ValidationError));
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("wire: one UUID check serves crypto and protocol", () => {
  assert.equal(protocolIsUuid, cryptoIsUuid);
  assert.equal(protocolIsUuid(ID), true);
  assert.equal(protocolIsUuid(42), false);
});

Deno.test("wire: the bodies the SDK sends pass the server's schemas unchanged in meaning", () => {
  const search = new Search({ limit: 20, order: "DESCENDING" })
    .match({ types: ["season"], values: ["sum*"], strategy: "WILDCARD", plain: { a: "b" } })
    .exclude({ values: ["rain"], condition: "AND" })
    .range({ start: 0, end: 1_700_000_000 });
  const parsed = searchRequestSchema.parse(search.toWire(40));
  assert.equal(parsed.limit, 20);
  assert.equal(parsed.next_token, 40);
  assert.equal(parsed.order, "DESCENDING");
  assert.equal(parsed.include_data, true);
  assert.deepEqual(parsed.match[0]?.terms.tags, [["a", "b"]]);
  assert.equal(parsed.match[0]?.strategy, "WILDCARD");
  assert.equal(parsed.exclude[0]?.condition, "AND");
  assert.deepEqual(parsed.range, { range_key: "CREATED", after: 0, before: 1_700_000_000_000_000 });
  assert.equal(searchRequestSchema.parse(new Search().toWire()).range, null);

  assert.deepEqual(policyPutSchema.parse(ALLOW_READ), { allow: [{ read: {} }], deny: [] });
  assert.deepEqual(policyPutSchema.parse(DENY_READ), { allow: [], deny: [{ read: {} }] });
  assert.deepEqual(policyPutSchema.parse(ALLOW_AUTHORIZER).allow, [{ authorizer: {} }]);
  assert.deepEqual(policyPutSchema.parse(DENY_AUTHORIZER).deny, [{ authorizer: {} }]);
  assert.deepEqual(adminTokenCreateSchema.parse({ one_time: false }), {
    name: "",
    one_time: false,
  });
});

Deno.test("wire: malformed search replies are ArcaErrors", async () => {
  const good = { results: [], last_index: 0, total_results: 0, search_id: "s" };
  const cases: [unknown, RegExp][] = [
    [[], /search result: expected an object/],
    [{ ...good, search_id: 5 }, /"search_id" is not a string/],
    [{ ...good, total_results: -1 }, /"total_results" is not an integer/],
    [{ ...good, last_index: "1" }, /"last_index" is not an integer/],
    [{ ...good, results: {} }, /search results: expected an array/],
    [{ ...good, results: [7] }, /search result row: expected an object/],
    [{ ...good, results: [{ meta: { ...META, version: null } }] }, /"version" is not a string/],
  ];
  for (const [reply, pattern] of cases) {
    const client = await clientAnswering(reply);
    await rejectsMalformed(() => client.search(new Search({ includeData: false })), pattern);
  }
  const page = await (await clientAnswering({ ...good, results: null })).search(new Search());
  assert.deepEqual(page.records, []);
});

Deno.test("wire: malformed record, share and authorizer replies are ArcaErrors", async () => {
  await rejectsMalformed(
    async () => await (await clientAnswering({ meta: META, data: [] })).read(ID),
    /record "data": expected an object/,
  );
  await rejectsMalformed(
    async () => await (await clientAnswering({ meta: META, rec_sig: 1 })).read(ID),
    /"rec_sig" is not a string/,
  );
  await rejectsMalformed(
    async () => await (await clientAnswering([{ reader_id: 1 }])).outgoingSharing(),
    /outgoing share: "reader_id" is not a string/,
  );
  await rejectsMalformed(
    async () => await (await clientAnswering({ writer_id: ID })).incomingSharing(),
    /policy list: expected an array/,
  );
  await rejectsMalformed(
    async () => await (await clientAnswering([{ authorizer_id: ID }])).proxies(),
    /authorizer policy: "writer_id" is not a string/,
  );
});

Deno.test("wire: malformed admin replies are ArcaErrors", async () => {
  const token = {
    token_id: ID,
    name: "n",
    one_time: true,
    uses: 0,
    revoked: false,
    created: TIME,
  };
  const admin = (reply: unknown) =>
    new AdminClient({ apiUrl: API_URL, adminToken: "a", fetch: fetchAnswering(reply) });
  assert.equal(
    (await admin([token]).listTokens())[0]?.created.toISOString(),
    "2026-11-23T08:21:13.388Z",
  );
  await rejectsMalformed(
    () => admin(token).createToken(),
    /registration token: "token" is not a string/,
  );
  await rejectsMalformed(
    () => admin([{ ...token, created: "soon" }]).listTokens(),
    /registration token: "created" is not a timestamp/,
  );
  await rejectsMalformed(() => admin({}).listTokens(), /token list: expected an array/);
  await rejectsMalformed(
    () => admin([{ client_id: ID, public_key: { curve25519: "k" }, created: 5 }]).listClients(),
    /client: "created" is not a string/,
  );
});

Deno.test("wire: malformed registration, realm and note replies are ArcaErrors", async () => {
  const keys = await generateKeyPairText("Sodium");
  const register = (reply: unknown) =>
    registerClient("token", "name", keys, { apiUrl: API_URL, fetch: fetchAnswering(reply) });
  await rejectsMalformed(() => register({ client_id: "nope" }), /client_id that is not a UUID/);
  await rejectsMalformed(
    () => register({ client_id: ID, api_key_id: 1 }),
    /registration reply: "api_key_id" is not a string/,
  );
  const realm = (reply: unknown) =>
    realmInfo("acme", { apiUrl: API_URL, fetch: fetchAnswering(reply) });
  assert.deepEqual(await realm({ name: "Acme", domain: "acme", broker_id: "b" }), {
    name: "Acme",
    domain: "acme",
    brokerId: "b",
  });
  await rejectsMalformed(
    () => realm({ name: "Acme", domain: 1 }),
    /realm info: "domain" is not a string/,
  );

  const note = { note_id: ID, plain: { a: "b" }, eacp: null, file_meta: null };
  assert.deepEqual(noteFromWire(note).plain, { a: "b" });
  assert.equal(noteFromWire(note).eacp, null);
  assert.deepEqual(noteFromWire(note).fileMeta, {});
  for (
    const [reply, pattern] of [
      [null, /note without a note_id/],
      [{ ...note, plain: { a: 1 } }, /note: "plain\.a" is not a string/],
      [{ ...note, eacp: "x" }, /note eacp: expected an object/],
      [{ ...note, file_meta: [] }, /note file_meta: expected an object/],
    ] as [unknown, RegExp][]
  ) {
    assert.throws(() => noteFromWire(reply), (error: unknown) => {
      assert.ok(error instanceof ArcaError && !(error instanceof ValidationError));
      assert.match(error.message, pattern);
      return true;
    });
  }
});
