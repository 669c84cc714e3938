import assert from "node:assert/strict";
import {
  decodeBase64Url,
  decodeHex,
  encodeBase64,
  encodeBase64Url,
  encodeBase64UrlPortable,
  encodeHex,
  fromUtf8,
} from "../lib/crypto/encoding.ts";
import { ValidationError } from "../lib/errors.ts";
import { e3dbVectors } from "./_vectors.ts";

interface EncodingVectors {
  encode: { id: string; input_hex: string; expected_b64url: string }[];
  decode_must_accept: { id: string; input: string; expected_hex: string }[];
  decode_should_accept: { id: string; input: string; expected_hex: string }[];
  decode_reject_recommended: { id: string; input: string }[];
  std_base64_padded: { id: string; input_hex: string; expected_base64: string }[];
}
const vectors = e3dbVectors<EncodingVectors>("encoding.json");

Deno.test("encoding.json: encode (20 vectors)", () => {
  assert.equal(vectors.encode.length, 20);
  for (const v of vectors.encode) {
    assert.equal(encodeBase64Url(decodeHex(v.input_hex)), v.expected_b64url, v.id);
  }
});

Deno.test("encoding.json: decoders accept padded, unpadded and the standard alphabet", () => {
  for (const v of [...vectors.decode_must_accept, ...vectors.decode_should_accept]) {
    assert.equal(encodeHex(decodeBase64Url(v.input)), v.expected_hex, v.id);
  }
});

Deno.test("encoding.json: decoders reject impossible lengths, foreign characters, bad padding", () => {
  assert.equal(vectors.decode_reject_recommended.length, 6);
  for (const v of vectors.decode_reject_recommended) {
    assert.throws(() => decodeBase64Url(v.input), ValidationError, v.id);
  }
});

Deno.test("encoding.json: standard padded base64 for checksums", () => {
  for (const v of vectors.std_base64_padded) {
    assert.equal(encodeBase64(decodeHex(v.input_hex)), v.expected_base64, v.id);
  }
});

Deno.test("base64url round-trips random bytes of every length 0..300", () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    const text = encodeBase64Url(bytes);
    assert.match(text, /^[A-Za-z0-9_-]*$/);
    assert.deepEqual(decodeBase64Url(text), bytes);
  }
});

Deno.test("the portable base64url encoder agrees with the built-in one and the vectors", () => {
  for (const v of vectors.encode) {
    assert.equal(encodeBase64UrlPortable(decodeHex(v.input_hex)), v.expected_b64url, v.id);
  }
  for (let n = 0; n <= 100; n++) {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    assert.equal(encodeBase64UrlPortable(bytes), encodeBase64Url(bytes));
  }
});

Deno.test("strict UTF-8 decoding rejects invalid bytes with a message naming the value", () => {
  assert.throws(
    () => fromUtf8(new Uint8Array([0xff]), 'Field "x"'),
    /Field "x" is not valid UTF-8/,
  );
  assert.equal(fromUtf8(new Uint8Array([0xe2, 0x82, 0xac])), "€");
});

Deno.test("hex decoding rejects odd lengths and foreign characters", () => {
  assert.throws(() => decodeHex("abc"), ValidationError);
  assert.throws(() => decodeHex("zz"), ValidationError);
});
