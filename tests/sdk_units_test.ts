/** SDK and CLI helpers without a server: key text, wire parsing, paths, query paging, errors. */
import assert from "node:assert/strict";
import { errorLine, exitCodeFor, UsageError } from "../lib/cli/_errors.ts";
import { cell, MAX_CELL_LENGTH } from "../lib/cli/_output.ts";
import { plainFilterOption } from "../lib/cli/_query.ts";
import { decodeBase64Url } from "../lib/crypto/encoding.ts";
import { ArcaError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { Client } from "../lib/sdk/client.ts";
import { clientInfoFromWire } from "../lib/sdk/client_directory.ts";
import { Config } from "../lib/sdk/config.ts";
import {
  generateKeyPairText,
  generateSigningKeyPairText,
  suiteOfKeyText,
} from "../lib/sdk/key_text.ts";
import { accessKeyPath, backupPath, policyPath, safeRecordPath } from "../lib/sdk/_paths.ts";
import { recordMetaFromWire } from "../lib/sdk/record.ts";

const META = {
  record_id: "r",
  writer_id: "w",
  user_id: "w",
  type: "t",
  plain: null,
  created: "2026-11-23T08:21:13.388814Z",
  last_modified: "2026-11-23 08:21:14.000001",
  version: "v",
};

Deno.test("key text: generated keys have E3DB's shapes and their suite is recognised", async () => {
  const sodium = await generateKeyPairText("Sodium");
  const sodiumSigning = await generateSigningKeyPairText("Sodium");
  assert.equal(decodeBase64Url(sodium.publicKey).length, 32);
  assert.equal(decodeBase64Url(sodiumSigning.privateKey).length, 64);
  assert.equal(suiteOfKeyText(sodium.publicKey, "public", "k"), "Sodium");
  assert.equal(suiteOfKeyText(sodiumSigning.privateKey, "private signing", "k"), "Sodium");
  const nist = await generateKeyPairText("NIST");
  assert.match(nist.publicKey, /^LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K/);
  assert.equal(suiteOfKeyText(nist.publicKey, "public", "k"), "NIST");
  assert.equal(suiteOfKeyText(nist.privateKey, "private", "k"), "NIST");
  assert.throws(() => suiteOfKeyText(nist.privateKey, "public", "k"), /PEM "PUBLIC KEY"/);
  assert.throws(() => suiteOfKeyText("", "public", "Key x"), /Key x must be a non-empty/);
  assert.throws(() => suiteOfKeyText("!!", "public", "Key x"), /Key x is not base64url/);
  assert.throws(
    () => suiteOfKeyText(sodium.publicKey, "private signing", "k"),
    /must be 64 bytes/,
  );
  const fromClient = await Client.generateSigningKeypair("NIST");
  assert.equal(suiteOfKeyText(fromClient.publicKey, "public signing", "k"), "NIST");
});

Deno.test("recordMetaFromWire: plain null is {}, timestamps parse, malformed replies are ArcaErrors", () => {
  const meta = recordMetaFromWire(META);
  assert.deepEqual(meta.plain, {});
  assert.equal(meta.created.toISOString(), "2026-11-23T08:21:13.388Z");
  assert.equal(meta.lastModified.toISOString(), "2026-11-23T08:21:14.000Z");
  assert.equal(meta.fileMeta, undefined);
  assert.deepEqual(recordMetaFromWire({ ...META, file_meta: { size: 1 } }).fileMeta, { size: 1 });
  const broken: [unknown, RegExp][] = [
    [null, /record meta: expected an object/],
    [{ ...META, record_id: 5 }, /"record_id" is not a string/],
    [{ ...META, created: "yesterday" }, /"created" is not a timestamp/],
    [{ ...META, plain: { a: 1 } }, /"plain\.a" is not a string/],
  ];
  for (const [value, pattern] of broken) {
    assert.throws(() => recordMetaFromWire(value), (error: unknown) => {
      assert.ok(error instanceof ArcaError && !(error instanceof ValidationError));
      assert.match(error.message, pattern);
      return true;
    });
  }
});

Deno.test("clientInfoFromWire reads keys and rejects malformed ones", () => {
  const info = clientInfoFromWire({
    client_id: "c",
    public_key: { p384: "LS0t" },
    signing_key: { p384: "LS0u" },
    validated: true,
  });
  assert.deepEqual(info, {
    clientId: "c",
    publicKey: "LS0t",
    publicKeyType: "p384",
    signingKey: "LS0u",
    signingKeyType: "p384",
    validated: true,
  });
  assert.throws(
    () => clientInfoFromWire({ client_id: "c", public_key: { a: "1", b: "2" } }),
    /expected one key type/,
  );
});

Deno.test("paths URL-encode every segment", () => {
  assert.equal(accessKeyPath("w", "u", "r", "a/b c"), "/v1/storage/access_keys/w/u/r/a%2Fb%20c");
  assert.equal(policyPath("u", "w", "r", "t?x"), "/v1/storage/policy/u/w/r/t%3Fx");
  assert.equal(safeRecordPath("id", "v/1"), "/v1/storage/records/safe/id/v%2F1");
  assert.equal(backupPath("tok/en", "c"), "/v1/account/backup/tok%2Fen/c");
});

async function fakeClient(handle: (path: string, body: unknown) => Response): Promise<Client> {
  const keys = await generateKeyPairText("Sodium");
  const config = Config.fromObject({
    client_id: "0e8eb8c6-839f-46ca-9843-801c539e490f",
    api_key_id: "k",
    api_secret: "s",
    public_key: keys.publicKey,
    private_key: keys.privateKey,
    api_url: "http://127.0.0.1:9",
  });
  const fetcher = (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    if (path === "/v1/auth/token") {
      return Promise.resolve(Response.json({ access_token: "t", expires_in: 3600 }));
    }
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    return Promise.resolve(handle(path, body));
  };
  return new Client(config, { fetch: fetcher as typeof fetch });
}

Deno.test("query: sends E3DB's body, pages by last_index and stops on a short page", async () => {
  const bodies: Record<string, unknown>[] = [];
  const row = (n: number) => ({ meta: { ...META, record_id: `r${n}` }, record_data: null });
  const client = await fakeClient((_path, body) => {
    bodies.push(body as Record<string, unknown>);
    const after = (body as { after_index: number }).after_index;
    return Response.json(
      after === 0
        ? { results: [row(1), row(2)], last_index: 7 }
        : { results: [row(3)], last_index: 9 },
    );
  });
  const records = await client.query({ types: ["t"], pageSize: 2, includeData: false }).collect();
  assert.deepEqual(records.map((record) => record.meta.recordId), ["r1", "r2", "r3"]);
  assert.deepEqual(bodies.map((body) => body.after_index), [0, 7]);
  assert.deepEqual(bodies[0], {
    include_data: false,
    writer_ids: [],
    user_ids: [],
    record_ids: [],
    content_types: ["t"],
    plain: null,
    include_all_writers: false,
    count: 2,
    after_index: 0,
  });
  const limited = await client.query({ pageSize: 2, includeData: false }).collect(2);
  assert.equal(limited.length, 2);
  assert.equal(bodies.length, 3, "collect(2) fetched one page only");
});

Deno.test("query: a last_index that does not advance is an error, not an endless loop", async () => {
  const row = { meta: META, record_data: null };
  const client = await fakeClient(() => Response.json({ results: [row], last_index: 0 }));
  await assert.rejects(
    () => client.query({ pageSize: 1, includeData: false }).collect(),
    /last_index 0 did not advance/,
  );
  const malformed = await fakeClient(() => Response.json({ results: null, last_index: 1 }));
  await assert.rejects(() => malformed.query().collect(), /query results: expected an array/);
});

Deno.test("query: data without any access key is a NotFoundError", async () => {
  const client = await fakeClient((path) =>
    path === "/v1/storage/search"
      ? Response.json({
        results: [{ meta: META, record_data: { f: "a.b.c.d" }, access_key: null }],
        last_index: 1,
      })
      : Response.json({ error: "No access key" }, { status: 404 })
  );
  await assert.rejects(() => client.query().collect(), (error: unknown) => {
    assert.ok(error instanceof NotFoundError);
    assert.match(error.message, /No access key for records of type "t"/);
    return true;
  });
});

Deno.test("query: rows with empty data (file records) need no access key", async () => {
  const paths: string[] = [];
  const client = await fakeClient((path) => {
    paths.push(path);
    return path === "/v1/storage/search"
      ? Response.json({
        results: [{ meta: META, record_data: {}, access_key: null }],
        last_index: 1,
      })
      : Response.json({ error: "No access key" }, { status: 404 });
  });
  const [record] = await client.query().collect();
  assert.deepEqual(record?.data, {});
  assert.deepEqual(paths, ["/v1/storage/search"]);
});

Deno.test("Client validates its config and write options up front", async () => {
  assert.throws(() => new Client({} as Config), /Client needs a Config/);
  const client = await fakeClient(() => Response.json({}));
  await assert.rejects(
    () => client.write("t", { a: "1" }, {}, { sign: "yes" as unknown as boolean }),
    TypeError,
  );
  await assert.rejects(
    () => client.write("t", { a: "1" }, {}, { sign: true }),
    /no signing keys/,
  );
  await assert.rejects(() => client.delete("0e8eb8c6-839f-46ca-9843-801c539e490f", ""), /version/);
  await assert.rejects(
    () => client.update({ meta: { recordId: "x", version: "v", type: "t" }, data: {} }),
    /Record id must be a UUID/,
  );
});

Deno.test("CLI helpers: error lines, exit codes, cells and --plain shorthand", () => {
  assert.equal(
    errorLine(new NotFoundError("Record\n not found", { status: 404 })),
    "arca: Record not found (HTTP 404)",
  );
  assert.equal(errorLine("plain"), "arca: plain");
  assert.equal(exitCodeFor(new UsageError("x")), 2);
  assert.equal(exitCodeFor(new Error("x")), 1);
  assert.equal(cell("x".repeat(200)).length, MAX_CELL_LENGTH);
  assert.equal(cell(null), "");
  assert.equal(cell(new Date(0)), "1970-01-01T00:00:00.000Z");
  assert.deepEqual(plainFilterOption('{"a":"1","b":"2"}'), {
    and: [{ eq: { name: "a", value: "1" } }, { eq: { name: "b", value: "2" } }],
  });
  assert.deepEqual(plainFilterOption('{"or":[]}'), { or: [] });
  assert.throws(() => plainFilterOption("{}"), /Name at least one field/);
  assert.throws(() => plainFilterOption('{"a":1}'), /must be a string/);
  assert.throws(() => plainFilterOption("[]"), /Expected a JSON object/);
});
