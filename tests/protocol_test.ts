import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../lib/crypto/encoding.ts";
import { base64UrlLength, isBase64Url, isDottedBase64Url } from "../lib/protocol/_encoded.ts";
import { errorBody, isErrorBody } from "../lib/protocol/error_body.ts";
import { isUuid, parseUuid } from "../lib/protocol/ids.ts";
import { keyToJson, publicKeySchema, signingKeySchema } from "../lib/protocol/keys.ts";
import { countFilterNodes, queryRequestSchema } from "../lib/protocol/query.ts";
import {
  accessKeyPutSchema,
  policyPutSchema,
  recordWriteSchema,
  registrationRequestSchema,
} from "../lib/protocol/schemas.ts";
import { formatTimestamp, parseTimestamp } from "../lib/protocol/timestamps.ts";

const KEY = encodeBase64Url(new Uint8Array(32).fill(9));
const ID = "B2A735C5-9F3A-4C1E-8E0F-0123456789AB";

Deno.test("formatTimestamp: six fractional digits and Z, from micros or Date", () => {
  assert.equal(formatTimestamp(0), "1970-01-01T00:00:00.000000Z");
  assert.equal(formatTimestamp(1_000_000_000_123_456), "2001-09-09T01:46:40.123456Z");
  assert.equal(formatTimestamp(1_000_000_000_000_001), "2001-09-09T01:46:40.000001Z");
  assert.equal(
    formatTimestamp(new Date("2026-11-23T09:21:13.377Z")),
    "2026-11-23T09:21:13.377000Z",
  );
  assert.equal(formatTimestamp(Number.MAX_SAFE_INTEGER), "2255-06-05T23:47:34.740991Z");
});

Deno.test("formatTimestamp: rejects fractions, negatives, NaN and invalid dates", () => {
  for (const bad of [1.5, -1, Number.NaN, 2 ** 60, new Date("nope")]) {
    assert.throws(() => formatTimestamp(bad), ValidationError);
  }
});

Deno.test("parseTimestamp: reads E3DB, RFC 3339 offsets and Python's space form", () => {
  assert.equal(parseTimestamp("2001-09-09T01:46:40.123456Z"), 1_000_000_000_123_456);
  assert.equal(parseTimestamp("2001-09-09T01:46:40Z"), 1_000_000_000_000_000);
  assert.equal(parseTimestamp("2001-09-09T03:46:40.5+02:00"), 1_000_000_000_500_000);
  assert.equal(parseTimestamp("2001-09-08T22:46:40-0300"), 1_000_000_000_000_000);
  assert.equal(parseTimestamp("2001-09-09 01:46:40.123456"), 1_000_000_000_123_456);
  assert.equal(parseTimestamp("2001-09-09T01:46:40.123456789Z"), 1_000_000_000_123_456);
  const micros = 1_795_000_000_654_321;
  assert.equal(parseTimestamp(formatTimestamp(micros)), micros);
});

Deno.test("parseTimestamp: rejects malformed and impossible times", () => {
  for (const bad of ["", "2001-09-09", "2001-02-30T00:00:00Z", "2001-09-09T24:00:00Z", "noon"]) {
    assert.throws(() => parseTimestamp(bad), ValidationError, bad);
  }
});

Deno.test("ids: isUuid and parseUuid lower-case valid ids, reject others", () => {
  assert.equal(isUuid(ID), true);
  assert.equal(isUuid("doesnt exist"), false);
  assert.equal(isUuid(42), false);
  assert.equal(parseUuid(ID), ID.toLowerCase());
  assert.throws(() => parseUuid("aaaaaaaa-aaaa-aaaa-aaaa-aa", "note_id"), /note_id must be a UUID/);
  assert.throws(() => parseUuid(undefined), ValidationError);
});

Deno.test("encoded: base64url, EAK and field shapes", () => {
  assert.equal(isBase64Url("AQID"), true);
  assert.equal(isBase64Url("AQ=="), true);
  assert.equal(isBase64Url(""), false);
  assert.equal(isBase64Url("A"), false);
  assert.equal(isBase64Url("a b"), false);
  assert.equal(base64UrlLength(KEY), 32);
  assert.equal(base64UrlLength("%%"), undefined);
  assert.equal(isDottedBase64Url("AQ.AQ", 2), true);
  assert.equal(isDottedBase64Url("AQ..AQ", 3), false);
  assert.equal(isDottedBase64Url("AQ.AQ.AQ.AQ", 2), false);
  assert.equal(isDottedBase64Url(7, 2), false);
});

Deno.test("encoded: isBase64Url accepts exactly what decodeBase64Url decodes", () => {
  const decodes = (text: string) => {
    try {
      decodeBase64Url(text);
      return true;
    } catch {
      return false;
    }
  };
  const samples = [
    ...["", "=", "==", "====", "A", "A=", "AA=", "AAA=", "AA==", "AAA==", "A===", "AAAAA"],
    ...["AAAA=", "AAAAA===", "AA=A", "AAAA=AAA", "+/+/", "-_-_", "é", "AQ\n", " AQ", "AQ.AQ"],
  ];
  const alphabet = "Ab9-_+/=.!";
  for (let n = 0; n < 2000; n++) {
    let text = "";
    for (let i = 0; i < n % 11; i++) text += alphabet[(n * 7 + i * i * 3 + (n >> 3)) % 10];
    samples.push(text);
  }
  let accepted = 0;
  for (const text of samples) {
    assert.equal(isBase64Url(text), text !== "" && decodes(text), JSON.stringify(text));
    if (isBase64Url(text)) accepted++;
  }
  assert.ok(accepted > 50 && accepted < samples.length - 50, `accepted ${accepted}`);
});

Deno.test("error body: builds and recognises {error}", () => {
  assert.deepEqual(errorBody("x"), { error: "x" });
  assert.equal(isErrorBody({ error: "x" }), true);
  assert.equal(isErrorBody({ error: 1 }), false);
  assert.equal(isErrorBody(null), false);
  assert.equal(isErrorBody(["error"]), false);
});

Deno.test("keys: exactly one known key type with a well-formed value", () => {
  const pem = encodeBase64Url(utf8("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
  assert.deepEqual(publicKeySchema.parse({ curve25519: KEY }), { type: "curve25519", value: KEY });
  assert.deepEqual(publicKeySchema.parse({ p384: pem }), { type: "p384", value: pem });
  assert.deepEqual(signingKeySchema.parse({ ed25519: KEY }), { type: "ed25519", value: KEY });
  assert.deepEqual(keyToJson({ type: "ed25519", value: KEY }), { ed25519: KEY });
  for (
    const bad of [
      {},
      { ed25519: KEY },
      { curve25519: KEY, p384: pem },
      { curve25519: "AQID" },
      {
        p384: KEY,
      },
      "x",
      null,
    ]
  ) {
    assert.equal(publicKeySchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(signingKeySchema.safeParse({ curve25519: KEY }).success, false);
});

Deno.test("schemas: registration, record, EAK and policy bodies", () => {
  const reg = registrationRequestSchema.parse({
    token: "t",
    client: { name: "n", public_key: { curve25519: KEY }, extra: 1 },
    extra: true,
  });
  assert.equal(reg.client.signing_key, null);
  const record = recordWriteSchema.parse({
    meta: { writer_id: ID, user_id: ID, type: "t", plain: null, created: "ignored" },
    data: { f: "AQ.AQ.AQ.AQ" },
  });
  assert.equal(record.meta.writer_id, ID.toLowerCase());
  assert.deepEqual(record.meta.plain, {});
  assert.equal(record.rec_sig, null);
  assert.equal(accessKeyPutSchema.safeParse({ eak: "AQ.AQ" }).success, true);
  assert.equal(accessKeyPutSchema.safeParse({ eak: "AQ" }).success, false);
  assert.deepEqual(policyPutSchema.parse({ deny: [{ authorizer: {} }] }), {
    allow: [],
    deny: [{ authorizer: {} }],
  });
  assert.equal(policyPutSchema.safeParse({ allow: [{ share: {} }] }).success, false);
});

Deno.test("query schema: defaults, limits and the plain DSL", () => {
  const query = queryRequestSchema.parse({});
  assert.deepEqual(query, {
    count: 50,
    after_index: 0,
    include_data: false,
    include_all_writers: false,
    writer_ids: [],
    user_ids: [],
    record_ids: [],
    content_types: [],
    plain: null,
  });
  assert.equal(queryRequestSchema.parse({ count: 1000 }).count, 1000);
  assert.equal(queryRequestSchema.safeParse({ count: 1001 }).success, false);
  assert.equal(queryRequestSchema.safeParse({ after_index: -1 }).success, false);
  const nested = {
    not: { and: [{ eq: { name: "a", value: "b" } }, { or: [{ eq: { name: "c", value: "d" } }] }] },
  };
  assert.deepEqual(queryRequestSchema.parse({ plain: nested }).plain, nested);
  assert.equal(countFilterNodes(nested), 5);
  assert.equal(queryRequestSchema.safeParse({ plain: { eq: { name: "a" } } }).success, false);
  assert.deepEqual(queryRequestSchema.parse({ plain: { house: "Stark", eq: "x" } }).plain, {
    and: [{ eq: { name: "house", value: "Stark" } }, { eq: { name: "eq", value: "x" } }],
  });
  assert.equal(queryRequestSchema.parse({ plain: {} }).plain, null);
  assert.equal(queryRequestSchema.safeParse({ plain: { house: 1 } }).success, false);
  assert.equal(
    queryRequestSchema.safeParse({ plain: { eq: { name: "a", value: "b" }, and: [] } }).success,
    false,
  );
});
