import assert from "node:assert/strict";
import { encodeHex, utf8 } from "../lib/crypto/encoding.ts";
import { hmacSha256, verifyHmacSha256 } from "../lib/crypto/hmac.ts";
import { ValidationError } from "../lib/errors.ts";

// RFC 4231 test cases 6 and 7 (the ones whose key meets the 32-byte minimum).
const KEY = new Uint8Array(131).fill(0xaa);
const CASES = [
  {
    data: "Test Using Larger Than Block-Size Key - Hash Key First",
    mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  },
  {
    data: "This is a test using a larger than block-size key and a larger than block-size data." +
      " The key needs to be hashed before being used by the HMAC algorithm.",
    mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  },
];

Deno.test("hmac: RFC 4231 vectors", async () => {
  for (const { data, mac } of CASES) {
    const tag = await hmacSha256(KEY, utf8(data));
    assert.equal(encodeHex(tag), mac);
    assert.equal(await verifyHmacSha256(KEY, utf8(data), tag), true);
  }
});

Deno.test("hmac: verify rejects a changed message, tag or key", async () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const message = utf8("upload b2a735c5");
  const tag = await hmacSha256(key, message);
  assert.equal(await verifyHmacSha256(key, utf8("upload b2a735c6"), tag), false);
  const flipped = tag.slice();
  flipped[31]! ^= 1;
  assert.equal(await verifyHmacSha256(key, message, flipped), false);
  assert.equal(await verifyHmacSha256(key, message, tag.subarray(0, 16)), false);
  const otherKey = crypto.getRandomValues(new Uint8Array(32));
  assert.equal(await verifyHmacSha256(otherKey, message, tag), false);
});

Deno.test("hmac: bad inputs are ValidationErrors", async () => {
  await assert.rejects(() => hmacSha256(new Uint8Array(31), utf8("x")), /at least 32 bytes/);
  await assert.rejects(
    () => hmacSha256("key" as unknown as Uint8Array, utf8("x")),
    ValidationError,
  );
  await assert.rejects(
    () => hmacSha256(KEY, "text" as unknown as Uint8Array),
    /message must be a Uint8Array/,
  );
  await assert.rejects(
    () => verifyHmacSha256(KEY, utf8("x"), "tag" as unknown as Uint8Array),
    /tag must be a Uint8Array/,
  );
});
