import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../lib/crypto/encoding.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import {
  assertRecordSignature,
  type RecordSignatureMeta,
  signRecord,
  verifyRecordSignature,
} from "../lib/crypto/record_signature.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";

const sodium = await sodiumSuite();
const nist = await nistSuite();
// Ed25519 key from seed 32 × 0x61 (tsv1.json keys.signer).
const keys = await sodium.signingKeyPairFromSeed(new Uint8Array(32).fill(0x61));

// The spec §3.5 example: plain and data inserted out of key order, as JS would send them.
const meta: RecordSignatureMeta = {
  writer_id: "11111111-2222-4333-8444-555555555555",
  user_id: "11111111-2222-4333-8444-555555555555",
  type: "contact",
  plain: { b: "2", a: "1" },
};
const data = { name: "Jon", email: "j@x" };
const SORTED_MESSAGE = '{"plain":{"a":"1","b":"2"},"type":"contact",' +
  '"user_id":"11111111-2222-4333-8444-555555555555",' +
  '"writer_id":"11111111-2222-4333-8444-555555555555"}{"email":"j@x","name":"Jon"}';
const INSERTION_MESSAGE = '{"plain":{"b":"2","a":"1"},"type":"contact",' +
  '"user_id":"11111111-2222-4333-8444-555555555555",' +
  '"writer_id":"11111111-2222-4333-8444-555555555555"}{"name":"Jon","email":"j@x"}';

async function signText(text: string): Promise<string> {
  return encodeBase64Url(await sodium.sign(utf8(text), keys.privateKey));
}

Deno.test("rec_sig signRecord signs sorted-key compact JSON (Ed25519 is deterministic)", async () => {
  assert.equal(
    await signRecord(sodium, meta, data, keys.privateKey),
    await signText(SORTED_MESSAGE),
  );
});

Deno.test("rec_sig verify accepts the sorted form and the as-received (JS) form", async () => {
  for (const text of [SORTED_MESSAGE, INSERTION_MESSAGE]) {
    const signature = await signText(text);
    assert.equal(await verifyRecordSignature(sodium, meta, data, signature, keys.publicKey), true);
    await assertRecordSignature(sodium, meta, data, signature, keys.publicKey);
  }
});

Deno.test("rec_sig integer-like keys are sorted as strings, not moved first", async () => {
  const numeric = { b: "x", "10": "y", "9": "z" };
  const expected =
    '{"plain":{},"type":"t","user_id":"u","writer_id":"w"}{"10":"y","9":"z","b":"x"}';
  const m = { writer_id: "w", user_id: "u", type: "t", plain: {} };
  assert.equal(await signRecord(sodium, m, numeric, keys.privateKey), await signText(expected));
});

Deno.test("rec_sig JSON escaping follows JSON.stringify (non-ASCII literal, \\u00xx controls)", async () => {
  const m = { writer_id: "w", user_id: "u", type: 't"q', plain: { "ключ": "é\u0001\n" } };
  // A "__proto__" key only exists as an own key when it comes from JSON.parse; it must be kept.
  const parsed = JSON.parse('{"__proto__":"kept","emoji":"👋"}');
  const expected = '{"plain":{"ключ":"é\\u0001\\n"},"type":"t\\"q","user_id":"u","writer_id":"w"}' +
    '{"__proto__":"kept","emoji":"👋"}';
  assert.equal(await signRecord(sodium, m, parsed, keys.privateKey), await signText(expected));
});

Deno.test("rec_sig tampering, a wrong key and malformed signatures fail", async () => {
  const signature = await signRecord(sodium, meta, data, keys.privateKey);
  const other = await sodium.generateSigningKeyPair();
  const cases: [RecordSignatureMeta, Record<string, string>, string, Uint8Array][] = [
    [meta, { ...data, name: "Jim" }, signature, keys.publicKey],
    [{ ...meta, type: "other" }, data, signature, keys.publicKey],
    [{ ...meta, plain: { a: "1" } }, data, signature, keys.publicKey],
    [{ ...meta, writer_id: "x" }, data, signature, keys.publicKey],
    [meta, data, signature, other.publicKey],
    [meta, data, "!!!", keys.publicKey],
    [meta, data, "", keys.publicKey],
    [meta, data, signature.slice(0, 40), keys.publicKey],
  ];
  for (const [m, d, s, pk] of cases) {
    assert.equal(await verifyRecordSignature(sodium, m, d, s, pk), false);
    await assert.rejects(assertRecordSignature(sodium, m, d, s, pk), IntegrityError);
  }
  const flipped = decodeBase64Url(signature);
  flipped[0] = flipped[0]! ^ 1;
  assert.equal(
    await verifyRecordSignature(sodium, meta, data, encodeBase64Url(flipped), keys.publicKey),
    false,
  );
});

Deno.test("rec_sig rejects malformed inputs with ValidationError", async () => {
  const bad: [unknown, unknown][] = [
    [{ ...meta, type: 1 }, data],
    [{ ...meta, writer_id: undefined }, data],
    [{ ...meta, plain: null }, data],
    [{ ...meta, plain: { a: 1 } }, data],
    [meta, { a: null }],
    [meta, ["x"]],
    [null, data],
  ];
  for (const [m, d] of bad) {
    await assert.rejects(
      signRecord(sodium, m as RecordSignatureMeta, d as Record<string, string>, keys.privateKey),
      ValidationError,
    );
  }
  await assert.rejects(signRecord(sodium, meta, data, new Uint8Array(32)), ValidationError);
});

Deno.test("rec_sig NIST: ECDSA P-384 round trip and tamper", async () => {
  const nistKeys = await nist.generateSigningKeyPair();
  const signature = await signRecord(nist, meta, data, nistKeys.privateKey);
  assert.equal(decodeBase64Url(signature).length, 96);
  assert.equal(await verifyRecordSignature(nist, meta, data, signature, nistKeys.publicKey), true);
  const reordered = { email: "j@x", name: "Jon" };
  assert.equal(
    await verifyRecordSignature(nist, meta, reordered, signature, nistKeys.publicKey),
    true,
  );
  assert.equal(
    await verifyRecordSignature(
      nist,
      meta,
      { ...data, email: "k@x" },
      signature,
      nistKeys.publicKey,
    ),
    false,
  );
  const jsStyle = encodeBase64Url(await nist.sign(utf8(INSERTION_MESSAGE), nistKeys.privateKey));
  assert.equal(await verifyRecordSignature(nist, meta, data, jsStyle, nistKeys.publicKey), true);
});
