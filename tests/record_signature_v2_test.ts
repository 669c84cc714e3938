/**
 * Record signature version 2 (issue 10, finding 3): binds the record id and version, byte for
 * byte as docs/signing.md describes, and leaves E3DB's version 1 readable.
 */
import assert from "node:assert/strict";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../lib/crypto/encoding.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import {
  RECORD_SIGNATURE_V2_MARKER,
  recordSignatureVersion,
  signBoundRecord,
  signRecord,
  verifyRecordSignature,
} from "../lib/crypto/record_signature.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";

const sodium = await sodiumSuite();
const nist = await nistSuite();
const keys = await sodium.signingKeyPairFromSeed(new Uint8Array(32).fill(0x61));
const ID = "11111111-2222-4333-8444-555555555555";
const meta = {
  record_id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  version: "99999999-8888-4777-8666-555555555555",
  writer_id: ID,
  user_id: ID,
  type: "contact",
  plain: { b: "2", a: "1" },
};
const data = { name: "Jon", email: "j@x" };
// docs/signing.md: the domain line, then one sorted-key compact JSON object.
const MESSAGE = "arca-record-signature-2\n" +
  '{"data":{"email":"j@x","name":"Jon"},"plain":{"a":"1","b":"2"},' +
  '"record_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","type":"contact",' +
  `"user_id":"${ID}","version":"99999999-8888-4777-8666-555555555555","writer_id":"${ID}"}`;

Deno.test("rec_sig v2 is 0x02 then the signature of the documented message", async () => {
  const signature = await signBoundRecord(sodium, meta, data, keys.privateKey);
  const bytes = decodeBase64Url(signature, "signature");
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], RECORD_SIGNATURE_V2_MARKER);
  assert.equal(RECORD_SIGNATURE_V2_MARKER, 0x02);
  const expected = await sodium.sign(utf8(MESSAGE), keys.privateKey);
  assert.equal(encodeBase64Url(bytes.subarray(1)), encodeBase64Url(expected));
  assert.equal(recordSignatureVersion(sodium, signature), 2);
  assert.equal(await verifyRecordSignature(sodium, meta, data, signature, keys.publicKey), true);
});

Deno.test("rec_sig v2 fails under another record id, version, or without them", async () => {
  const signature = await signBoundRecord(sodium, meta, data, keys.privateKey);
  const verify = (changed: object) =>
    verifyRecordSignature(sodium, { ...meta, ...changed }, data, signature, keys.publicKey);
  assert.equal(await verify({ record_id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeef" }), false);
  assert.equal(await verify({ version: "99999999-8888-4777-8666-555555555556" }), false);
  assert.equal(await verify({ record_id: undefined, version: undefined }), false);
  // The bare signature (the marker dropped) is not a version 1 signature of the same record.
  const bare = encodeBase64Url(decodeBase64Url(signature, "signature").subarray(1));
  assert.equal(recordSignatureVersion(sodium, bare), 1);
  assert.equal(await verifyRecordSignature(sodium, meta, data, bare, keys.publicKey), false);
});

Deno.test("rec_sig v1 (E3DB) still verifies with a record id and version present", async () => {
  const v1 = await signRecord(sodium, meta, data, keys.privateKey);
  assert.equal(recordSignatureVersion(sodium, v1), 1);
  assert.equal(await verifyRecordSignature(sodium, meta, data, v1, keys.publicKey), true);
});

Deno.test("rec_sig v2 NIST: 97 bytes, round trip and binding", async () => {
  const nistKeys = await nist.generateSigningKeyPair();
  const signature = await signBoundRecord(nist, meta, data, nistKeys.privateKey);
  assert.equal(decodeBase64Url(signature, "signature").length, 97);
  assert.equal(recordSignatureVersion(nist, signature), 2);
  assert.equal(await verifyRecordSignature(nist, meta, data, signature, nistKeys.publicKey), true);
  assert.equal(
    await verifyRecordSignature(
      nist,
      { ...meta, version: "00000000-0000-4000-8000-000000000000" },
      data,
      signature,
      nistKeys.publicKey,
    ),
    false,
  );
});
