// encryptRecordData draws one record's randomness at once and slices the nonce text: check that
// every field still gets its own key and nonces, in both suites.
import assert from "node:assert/strict";
import { decodeBase64Url } from "../lib/crypto/encoding.ts";
import { decryptField, decryptRecordData, encryptRecordData } from "../lib/crypto/fields.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import { ValidationError } from "../lib/errors.ts";

for (const suite of [await sodiumSuite(), await nistSuite()]) {
  Deno.test(`${suite.name} record data: ten fields, each with its own key and nonces`, async () => {
    const ak = suite.randomBytes(32);
    const data: Record<string, string> = {};
    for (let i = 0; i < 10; i++) data[`field_${i}`] = `value ${i} ✓ `.repeat(i);
    const encrypted = await encryptRecordData(suite, ak, data);
    assert.deepEqual(Object.keys(encrypted), Object.keys(data));
    const seen = new Set<string>();
    for (const [key, quad] of Object.entries(encrypted)) {
      const [edk, edkN, ef, efN] = quad.split(".") as [string, string, string, string];
      assert.equal(decodeBase64Url(edkN).length, suite.nonceBytes, key);
      assert.equal(decodeBase64Url(efN).length, suite.nonceBytes, key);
      for (const part of [edk, edkN, ef, efN]) {
        assert.ok(!seen.has(part), `${key}: ${part} repeats`);
        seen.add(part);
      }
      assert.equal(await decryptField(suite, ak, quad, key), data[key]);
    }
    assert.deepEqual(await decryptRecordData(suite, ak, encrypted), data);
  });

  Deno.test(`${suite.name} record data: all-ASCII and mixed values split correctly`, async () => {
    const ak = suite.randomBytes(32);
    const ascii = { a: "", b: "x", c: "hello world", d: "0123456789".repeat(30), e: "." };
    const mixed = { ...ascii, f: "é", g: "😀 emoji", h: "tail" };
    for (const data of [ascii, mixed] as Record<string, string>[]) {
      const encrypted = await encryptRecordData(suite, ak, data);
      assert.deepEqual(await decryptRecordData(suite, ak, encrypted), data);
    }
  });

  Deno.test(`${suite.name} record data: empty records and bad access keys`, async () => {
    const ak = suite.randomBytes(32);
    assert.deepEqual(await encryptRecordData(suite, ak, {}), {});
    await assert.rejects(encryptRecordData(suite, ak.subarray(1), { a: "1" }), ValidationError);
  });
}
