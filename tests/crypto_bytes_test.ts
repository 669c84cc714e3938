import assert from "node:assert/strict";
import {
  equalBytes,
  randomBytes,
  requireByteLengths,
  requireBytes,
  requireMinBytes,
  requireUint8Array,
} from "../lib/crypto/bytes.ts";
import {
  chachaPolyDecrypt,
  chachaPolyEncrypt,
  sodiumReady,
  x25519,
} from "../lib/crypto/_sodium_primitives.ts";
import { ValidationError } from "../lib/errors.ts";

const KEY = new Uint8Array(32).fill(7);
const MESSAGE = new Uint8Array([1, 2, 3]);
const AAD = new Uint8Array(0);

/** Asserts that `run` throws a ValidationError whose message matches `message`. */
function assertInvalid(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("bytes: the checks name the input, the expected and the given length", () => {
  assertInvalid(
    () => requireUint8Array("text", "Nonce"),
    /^Nonce must be a Uint8Array, got string$/,
  );
  assertInvalid(
    () => requireUint8Array([1, 2], "Nonce"),
    /^Nonce must be a Uint8Array, got an array$/,
  );
  assertInvalid(() => requireUint8Array(null, "Nonce"), /^Nonce must be a Uint8Array, got null$/);
  assertInvalid(
    () => requireBytes(new Uint8Array(23), 24, "Nonce"),
    /^Nonce must be 24 bytes, got 23$/,
  );
  assertInvalid(
    () => requireByteLengths(new Uint8Array(20), [16, 24, 32], "AES key"),
    /^AES key must be 16, 24 or 32 bytes, got 20$/,
  );
  assertInvalid(
    () => requireMinBytes(new Uint8Array(31), 32, "HMAC key"),
    /^HMAC key must be at least 32 bytes, got 31$/,
  );
  requireBytes(new Uint8Array(24), 24, "Nonce");
  requireByteLengths(new Uint8Array(32), [16, 24, 32], "AES key");
  requireMinBytes(new Uint8Array(40), 32, "HMAC key");
});

Deno.test("bytes: equalBytes compares content and length", () => {
  assert.equal(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assert.equal(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
  assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])), false);
  assert.equal(equalBytes(new Uint8Array(0), new Uint8Array(0)), true);
  assertInvalid(
    () => equalBytes("ab" as unknown as Uint8Array, new Uint8Array(2)),
    /Compared bytes must be a Uint8Array/,
  );
});

Deno.test("bytes: randomBytes draws past the 64 KiB getRandomValues limit", () => {
  const bytes = randomBytes(65536 * 2 + 5);
  assert.equal(bytes.length, 131077);
  assert.ok(bytes.subarray(65536).some((byte) => byte !== 0), "second draw left zeros");
  assertInvalid(() => randomBytes(-1), /non-negative integer, got -1/);
});

Deno.test("x25519: wrong-length and wrong-type keys are ValidationErrors naming the key", async () => {
  await sodiumReady();
  assertInvalid(
    () => x25519(new Uint8Array(31), KEY),
    /^X25519 private key must be 32 bytes, got 31$/,
  );
  assertInvalid(
    () => x25519(KEY, new Uint8Array(33)),
    /^X25519 public key must be 32 bytes, got 33$/,
  );
  assertInvalid(
    () => x25519(KEY, Array.from(KEY) as unknown as Uint8Array),
    /^X25519 public key must be a Uint8Array, got an array$/,
  );
  assertInvalid(
    () => x25519("k" as unknown as Uint8Array, KEY),
    /^X25519 private key must be a Uint8Array, got string$/,
  );
  assert.equal(x25519(KEY, x25519(KEY, basePoint())).length, 32);
});

Deno.test("chachaPolyEncrypt: a wrong key, nonce or input is a ValidationError naming it", async () => {
  await sodiumReady();
  const nonce = new Uint8Array(12);
  assertInvalid(
    () => chachaPolyEncrypt("chacha20", MESSAGE, AAD, nonce, new Uint8Array(16)),
    /^chacha20-Poly1305 key must be 32 bytes, got 16$/,
  );
  assertInvalid(
    () => chachaPolyEncrypt("xchacha20", MESSAGE, AAD, new Uint8Array(24), "key" as never),
    /^xchacha20-Poly1305 key must be a Uint8Array, got string$/,
  );
  assertInvalid(
    () => chachaPolyEncrypt("chacha20", MESSAGE, AAD, new Uint8Array(24), KEY),
    /^chacha20-Poly1305 nonce must be 12 bytes, got 24$/,
  );
  assertInvalid(
    () => chachaPolyEncrypt("chacha20", "text" as never, AAD, nonce, KEY),
    /^chacha20-Poly1305 message must be a Uint8Array, got string$/,
  );
  assertInvalid(
    () => chachaPolyEncrypt("chacha20", MESSAGE, null as never, nonce, KEY),
    /^chacha20-Poly1305 associated data must be a Uint8Array, got null$/,
  );
  assertInvalid(
    () => chachaPolyEncrypt("aes" as never, MESSAGE, AAD, nonce, KEY),
    /ChaCha variant must be "chacha20" or "xchacha20", got "aes"/,
  );
  assertInvalid(
    () => chachaPolyDecrypt("chacha20", MESSAGE, AAD, nonce, new Uint8Array(31)),
    /^chacha20-Poly1305 key must be 32 bytes, got 31$/,
  );
  const sealed = chachaPolyEncrypt("chacha20", MESSAGE, AAD, nonce, KEY);
  assert.deepEqual(chachaPolyDecrypt("chacha20", sealed, AAD, nonce, KEY), MESSAGE);
});

function basePoint(): Uint8Array {
  const point = new Uint8Array(32);
  point[0] = 9;
  return point;
}
