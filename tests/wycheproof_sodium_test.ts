// Wycheproof conformance of the primitives beneath the Sodium suite. Valid vectors must pass,
// invalid ones must be rejected; the files are read from ../shared/vectors, never copied.
import assert from "node:assert/strict";
import { decodeHex, encodeHex } from "../lib/crypto/encoding.ts";
import { IntegrityError } from "../lib/errors.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import {
  chachaPolyDecrypt,
  chachaPolyEncrypt,
  type ChaChaVariant,
  sodiumReady,
  x25519,
} from "../lib/crypto/_sodium_primitives.ts";
import { wycheproof, wycheproofRun, type WycheproofTest } from "./_vectors.ts";

const ignore = wycheproofRun.ignore;

type HexTest = WycheproofTest & {
  private: string;
  public: string;
  shared: string;
  msg: string;
  sig: string;
  key: string;
  iv: string;
  aad: string;
  ct: string;
  tag: string;
  comment: string;
};

interface Counts {
  valid: number;
  invalid: number;
  acceptable: number;
}

function report(file: string, counts: Counts): void {
  console.log(
    `${file}: ${counts.valid} valid passed, ${counts.invalid} invalid rejected, ` +
      `${counts.acceptable} acceptable`,
  );
}

Deno.test({
  name: "wycheproof x25519_test.json: every vector",
  ignore,
  async fn() {
    await sodiumReady();
    const file = wycheproof("x25519_test.json");
    const counts: Counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const group of file.testGroups) {
      for (const t of group.tests as HexTest[]) {
        const priv = decodeHex(t.private);
        const pub = decodeHex(t.public);
        const shared = t.shared;
        if (t.result === "valid") {
          assert.equal(encodeHex(x25519(priv, pub)), shared, `tc ${t.tcId}`);
          counts.valid++;
        } else if (t.result === "acceptable") {
          // Either answer is allowed; libsodium refuses all-zero results, otherwise must match.
          try {
            assert.equal(encodeHex(x25519(priv, pub)), shared, `tc ${t.tcId}`);
          } catch (error) {
            if (!/low-order/.test(String(error))) throw error;
            assert.equal(shared, "0".repeat(64), `tc ${t.tcId} refused a non-zero result`);
          }
          counts.acceptable++;
        } else {
          assert.throws(() => x25519(priv, pub), `tc ${t.tcId}`);
          counts.invalid++;
        }
      }
    }
    assert.equal(counts.valid + counts.invalid + counts.acceptable, file.numberOfTests);
    report("x25519_test.json", counts);
  },
});

Deno.test({
  name: "wycheproof ed25519_test.json: every vector through the Sodium suite's verify",
  ignore,
  async fn() {
    const suite = await sodiumSuite();
    const file = wycheproof("ed25519_test.json");
    const counts: Counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const group of file.testGroups) {
      const pk = decodeHex((group.publicKey as { pk: string }).pk);
      for (const t of group.tests as HexTest[]) {
        const ok = await suite.verify(decodeHex(t.sig), decodeHex(t.msg), pk);
        assert.equal(ok, t.result === "valid", `tc ${t.tcId} (${t.comment})`);
        counts[t.result]++;
      }
    }
    assert.equal(counts.valid + counts.invalid + counts.acceptable, file.numberOfTests);
    report("ed25519_test.json", counts);
  },
});

for (
  const [name, variant] of [
    ["chacha20_poly1305_test.json", "chacha20"],
    ["xchacha20_poly1305_test.json", "xchacha20"],
  ] as [string, ChaChaVariant][]
) {
  Deno.test({
    name: `wycheproof ${name}: every vector`,
    ignore,
    async fn() {
      await sodiumReady();
      const suite = await sodiumSuite();
      const file = wycheproof(name);
      const counts: Counts = { valid: 0, invalid: 0, acceptable: 0 };
      let throughSuite = 0;
      for (const group of file.testGroups) {
        for (const t of group.tests as HexTest[]) {
          const key = decodeHex(t.key);
          const iv = decodeHex(t.iv);
          const aad = decodeHex(t.aad);
          const sealed = decodeHex(t.ct + t.tag);
          // The suite's aeadSeal/aeadOpen profile: XChaCha20, 32-byte key, 24-byte nonce, 16-byte tag.
          const suiteProfile = variant === "xchacha20" && key.length === 32 && iv.length === 24 &&
            t.tag.length === 32;
          const framed = new Uint8Array([...iv, ...sealed]);
          if (t.result === "valid") {
            assert.equal(encodeHex(chachaPolyDecrypt(variant, sealed, aad, iv, key)), t.msg);
            assert.equal(
              encodeHex(chachaPolyEncrypt(variant, decodeHex(t.msg), aad, iv, key)),
              t.ct + t.tag,
              `tc ${t.tcId}`,
            );
            if (suiteProfile) {
              assert.equal(
                encodeHex(await suite.aeadOpen(key, framed, aad)),
                t.msg,
                `tc ${t.tcId}`,
              );
              const own = await suite.aeadSeal(key, decodeHex(t.msg), aad);
              const [nonce, body] = [own.subarray(0, 24), own.subarray(24)];
              assert.equal(encodeHex(chachaPolyDecrypt(variant, body, aad, nonce, key)), t.msg);
            }
            counts.valid++;
          } else {
            assert.throws(() => chachaPolyDecrypt(variant, sealed, aad, iv, key), `tc ${t.tcId}`);
            if (suiteProfile) {
              await assert.rejects(
                suite.aeadOpen(key, framed, aad),
                IntegrityError,
                `tc ${t.tcId}`,
              );
            }
            counts[t.result]++;
          }
          if (suiteProfile) throughSuite++;
        }
      }
      assert.equal(counts.valid + counts.invalid + counts.acceptable, file.numberOfTests);
      if (variant === "xchacha20") {
        assert.ok(throughSuite > 0, "no vector in the suite's profile");
      }
      report(name, counts);
      if (variant === "xchacha20") console.log(`  ${throughSuite} also through aeadOpen/aeadSeal`);
    },
  });
}
