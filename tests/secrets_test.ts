import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import {
  constantTimeEqual,
  hashSecret,
  randomHexSecret,
  randomSecret,
  verifySecret,
} from "../lib/crypto/secrets.ts";

Deno.test("secrets: random secrets have the requested size and differ", () => {
  assert.match(randomSecret(), /^[A-Za-z0-9_-]{43}$/);
  assert.match(randomHexSecret(32), /^[0-9a-f]{64}$/);
  assert.notEqual(randomSecret(), randomSecret());
  assert.throws(() => randomSecret(8), ValidationError);
  assert.throws(() => randomHexSecret(1.5), ValidationError);
});

Deno.test("secrets: hashSecret is SHA-256 hex (FIPS 180-2 'abc' vector)", async () => {
  assert.equal(
    await hashSecret("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  await assert.rejects(() => hashSecret(5 as unknown as string), ValidationError);
});

Deno.test("secrets: constantTimeEqual and verifySecret", async () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "abcd"), false);
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("", "a"), false);
  assert.throws(() => constantTimeEqual("a", 1 as unknown as string), ValidationError);
  const stored = await hashSecret("s3cret");
  assert.equal(await verifySecret("s3cret", stored), true);
  assert.equal(await verifySecret("s3cret ", stored), false);
  assert.equal(await verifySecret("s3cret", ""), false);
});
