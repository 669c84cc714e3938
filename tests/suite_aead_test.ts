// The suites' AEAD with associated data (aeadSeal/aeadOpen): layout, random nonces, and every
// way a sealed value can fail. Wycheproof coverage is in wycheproof_{sodium,nist}_test.ts.
import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";

const AD = new TextEncoder().encode("arca container v1|x|header|1");

for (const name of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`${name} aead: layout nonce ‖ ciphertext ‖ tag, fresh nonces, round trip`, async () => {
    const suite = await getSuite(name);
    assert.equal(suite.aeadNonceBytes, name === "Sodium" ? 24 : 12);
    assert.equal(suite.aeadTagBytes, 16);
    const key = suite.randomBytes(32);
    const message = new TextEncoder().encode("hello containers");
    const a = await suite.aeadSeal(key, message, AD);
    const b = await suite.aeadSeal(key, message, AD);
    assert.equal(a.length, suite.aeadNonceBytes + message.length + 16);
    assert.notDeepEqual(a.subarray(0, suite.aeadNonceBytes), b.subarray(0, suite.aeadNonceBytes));
    assert.deepEqual(await suite.aeadOpen(key, a, AD), message);
    assert.deepEqual(await suite.aeadOpen(key, b, AD), message);
    assert.deepEqual(
      await suite.aeadOpen(key, await suite.aeadSeal(key, new Uint8Array(), AD), AD),
      new Uint8Array(),
    );
  });

  Deno.test(`${name} aead: wrong AD, key, flipped bit, truncation all raise IntegrityError`, async () => {
    const suite = await getSuite(name);
    const key = suite.randomBytes(32);
    const sealed = await suite.aeadSeal(key, new Uint8Array([1, 2, 3]), AD);
    await assert.rejects(suite.aeadOpen(key, sealed, new Uint8Array([...AD, 0])), IntegrityError);
    await assert.rejects(suite.aeadOpen(key, sealed, new Uint8Array()), IntegrityError);
    await assert.rejects(suite.aeadOpen(suite.randomBytes(32), sealed, AD), IntegrityError);
    for (let i = 0; i < sealed.length; i++) {
      const flipped = sealed.slice();
      flipped[i]! ^= 0x01;
      await assert.rejects(suite.aeadOpen(key, flipped, AD), IntegrityError, `byte ${i}`);
    }
    for (const length of [0, 1, suite.aeadNonceBytes + 15, sealed.length - 1]) {
      await assert.rejects(suite.aeadOpen(key, sealed.subarray(0, length), AD), IntegrityError);
    }
  });

  Deno.test(`${name} aead: a key that is not 32 bytes is a ValidationError`, async () => {
    const suite = await getSuite(name);
    await assert.rejects(suite.aeadSeal(new Uint8Array(16), new Uint8Array(), AD), ValidationError);
    const sealed = await suite.aeadSeal(new Uint8Array(32), new Uint8Array(), AD);
    await assert.rejects(suite.aeadOpen(new Uint8Array(31), sealed, AD), ValidationError);
  });
}
