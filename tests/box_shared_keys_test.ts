/**
 * The Sodium suite's box with memoised shared keys (`lib/crypto/_box_shared_keys.ts`): the bytes
 * stay those of `crypto_box_easy`, every key pair gets its own shared key, and a failed check
 * stays a failure however the memo was filled.
 */
import assert from "node:assert/strict";
import sodium from "libsodium-wrappers-sumo";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import { BoxSharedKeys } from "../lib/crypto/_box_shared_keys.ts";

Deno.test("box: repeated boxes between the same pair are crypto_box_easy's bytes", async () => {
  const suite = await sodiumSuite();
  const alice = await suite.generateEncryptionKeyPair();
  const bob = await suite.generateEncryptionKeyPair();
  for (let i = 0; i < 3; i++) {
    const message = suite.randomBytes(32);
    const nonce = suite.randomBytes(24);
    const boxed = await suite.boxEncrypt(message, nonce, bob.publicKey, alice.privateKey);
    assert.deepEqual(
      boxed,
      sodium.crypto_box_easy(message, nonce, bob.publicKey, alice.privateKey),
    );
    assert.deepEqual(
      await suite.boxDecrypt(boxed, nonce, alice.publicKey, bob.privateKey),
      message,
    );
  }
});

Deno.test("box: each key pair has its own shared key; wrong keys still fail", async () => {
  const suite = await sodiumSuite();
  const [alice, bob, carol] = await Promise.all(
    [1, 2, 3].map(() => suite.generateEncryptionKeyPair()),
  );
  const message = suite.randomBytes(32);
  const nonce = suite.randomBytes(24);
  const toBob = await suite.boxEncrypt(message, nonce, bob!.publicKey, alice!.privateKey);
  const toCarol = await suite.boxEncrypt(message, nonce, carol!.publicKey, alice!.privateKey);
  assert.notDeepEqual(toBob, toCarol);
  assert.deepEqual(
    await suite.boxDecrypt(toBob, nonce, alice!.publicKey, bob!.privateKey),
    message,
  );
  await assert.rejects(
    async () => await suite.boxDecrypt(toBob, nonce, alice!.publicKey, carol!.privateKey),
    {
      name: "IntegrityError",
    },
  );
  await assert.rejects(
    async () => await suite.boxDecrypt(toBob, nonce, carol!.publicKey, bob!.privateKey),
    {
      name: "IntegrityError",
    },
  );
  await assert.rejects(
    async () => await suite.boxEncrypt(message, nonce, new Uint8Array(32), alice!.privateKey),
    { name: "ValidationError" },
  );
});

Deno.test("box shared keys: least recently used first out; a failed derivation keeps nothing", () => {
  const memo = new BoxSharedKeys(2);
  const calls: number[] = [];
  const key = (n: number) => () => (calls.push(n), new Uint8Array(32).fill(n));
  const [a, b, c] = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
  memo.get(a!, a!, key(1));
  memo.get(b!, a!, key(2));
  memo.get(a!, a!, key(9)); // known: refreshed, not derived
  memo.get(c!, a!, key(3)); // evicts (b, a)
  memo.get(a!, a!, key(9));
  memo.get(b!, a!, key(4));
  assert.deepEqual(calls, [1, 2, 3, 4]);
  assert.throws(() =>
    memo.get(c!, c!, () => {
      throw new Error("low order");
    }), /low order/);
  assert.equal(memo.get(c!, c!, key(5))[0], 5);
});
