// Wycheproof conformance of the NIST suite and the primitives beneath it: AES-GCM, ECDH P-384
// (JWK keys through Arca's key encodings), ECDSA P-384/SHA-384 in P1363 and DER form, and
// HKDF-SHA384. Valid vectors must pass, invalid ones must be rejected, "acceptable" may go either
// way. The files are read from ../shared/vectors, never copied.
import assert from "node:assert/strict";
import { ecdsaDerToP1363 } from "../lib/crypto/_ecdsa_der.ts";
import { decodeHex, encodeHex } from "../lib/crypto/encoding.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdhP384,
  hkdfSha384,
} from "../lib/crypto/_nist_primitives.ts";
import { p384PrivateKeyFromJwk, p384PublicKeyFromJwk } from "../lib/crypto/_p384_keys.ts";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { wycheproof, wycheproofRun, type WycheproofTest } from "./_vectors.ts";

const ignore = wycheproofRun.ignore;
const suite = await nistSuite();

interface Counts {
  valid: number;
  invalid: number;
  acceptable: number;
  unsupported: number;
}

function newCounts(): Counts {
  return { valid: 0, invalid: 0, acceptable: 0, unsupported: 0 };
}

function report(file: string, counts: Counts, extra = ""): void {
  console.log(
    `${file}: ${counts.valid} valid passed, ${counts.invalid} invalid rejected, ` +
      `${counts.acceptable} acceptable, ${counts.unsupported} unsupported${extra}`,
  );
}

function total(counts: Counts): number {
  return counts.valid + counts.invalid + counts.acceptable + counts.unsupported;
}

/** Runs `attempt`; true when it succeeded, false when it threw one of the expected errors. */
async function succeeds(attempt: () => Promise<unknown>): Promise<boolean> {
  try {
    await attempt();
    return true;
  } catch (error) {
    if (error instanceof IntegrityError || error instanceof ValidationError) return false;
    throw error;
  }
}

type AeadTest = WycheproofTest & {
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
};

Deno.test({
  name: "wycheproof aes_gcm_test.json: every vector (the NIST-suite profile also via the suite)",
  ignore,
  async fn() {
    const file = wycheproof("aes_gcm_test.json");
    const counts = newCounts();
    let throughSuite = 0;
    let throughAead = 0;
    for (const group of file.testGroups) {
      for (const t of group.tests as AeadTest[]) {
        const id = `tc ${t.tcId}`;
        const [key, iv, aad, msg] = [t.key, t.iv, t.aad, t.msg].map((h) => decodeHex(h)) as [
          Uint8Array,
          Uint8Array,
          Uint8Array,
          Uint8Array,
        ];
        const sealed = decodeHex(t.ct + t.tag);
        if (iv.length !== 12 && iv.length !== 16) {
          await assert.rejects(aesGcmDecrypt(key, iv, sealed, aad), /IV must be 12 or 16/, id);
          counts.unsupported++;
          continue;
        }
        const suiteProfile = key.length === 32 && iv.length === 12 && aad.length === 0;
        // aeadSeal/aeadOpen: AES-256-GCM, 12-byte nonce, 16-byte tag, any associated data.
        const aeadProfile = key.length === 32 && iv.length === 12 && t.tag.length === 32;
        const framed = new Uint8Array([...iv, ...sealed]);
        if (t.result === "valid") {
          assert.equal(encodeHex(await aesGcmDecrypt(key, iv, sealed, aad)), t.msg, id);
          assert.equal(encodeHex(await aesGcmEncrypt(key, iv, msg, aad)), t.ct + t.tag, id);
          if (suiteProfile) {
            assert.equal(encodeHex(await suite.secretDecrypt(sealed, iv, key)), t.msg, id);
            assert.equal(encodeHex(await suite.secretEncrypt(msg, iv, key)), t.ct + t.tag, id);
          }
          if (aeadProfile) {
            assert.equal(encodeHex(await suite.aeadOpen(key, framed, aad)), t.msg, id);
            const own = await suite.aeadSeal(key, msg, aad);
            const opened = await aesGcmDecrypt(key, own.subarray(0, 12), own.subarray(12), aad);
            assert.equal(encodeHex(opened), t.msg, id);
          }
          counts.valid++;
        } else if (t.result === "invalid") {
          await assert.rejects(aesGcmDecrypt(key, iv, sealed, aad), IntegrityError, id);
          if (suiteProfile) {
            await assert.rejects(suite.secretDecrypt(sealed, iv, key), IntegrityError, id);
          }
          if (aeadProfile) {
            await assert.rejects(suite.aeadOpen(key, framed, aad), IntegrityError, id);
          }
          counts.invalid++;
        } else {
          counts.acceptable++;
        }
        if (suiteProfile) throughSuite++;
        if (aeadProfile) throughAead++;
      }
    }
    assert.equal(total(counts), file.numberOfTests);
    assert.equal(counts.unsupported, 61, "the README's count of IV sizes Web Crypto lacks");
    assert.ok(throughAead > throughSuite, "aeadOpen saw fewer vectors than secretDecrypt");
    report(
      "aes_gcm_test.json",
      counts,
      `; ${throughSuite} also through the suite, ${throughAead} through aeadOpen/aeadSeal`,
    );
  },
});

type EcdhTest = WycheproofTest & { public: unknown; private: unknown; shared: string };

Deno.test({
  name: "wycheproof ecdh_secp384r1_webcrypto_test.json: every vector through SPKI/PKCS#8",
  ignore,
  async fn() {
    const file = wycheproof("ecdh_secp384r1_webcrypto_test.json");
    const counts = newCounts();
    for (const group of file.testGroups) {
      for (const t of group.tests as EcdhTest[]) {
        const id = `tc ${t.tcId}`;
        let shared: Uint8Array | undefined;
        const ok = await succeeds(async () => {
          const publicKey = p384PublicKeyFromJwk(t.public);
          const privateKey = p384PrivateKeyFromJwk(t.private);
          shared = await ecdhP384(privateKey, publicKey);
        });
        if (t.result === "valid") {
          assert.ok(ok, id);
          assert.equal(encodeHex(shared!), t.shared, id);
          counts.valid++;
        } else if (t.result === "invalid") {
          assert.equal(ok, false, id);
          counts.invalid++;
        } else {
          if (ok) assert.equal(encodeHex(shared!), t.shared, id);
          counts.acceptable++;
        }
      }
    }
    assert.equal(total(counts), file.numberOfTests);
    assert.equal(file.numberOfTests, 794);
    report("ecdh_secp384r1_webcrypto_test.json", counts);
  },
});

type SignatureTest = WycheproofTest & { msg: string; sig: string };

async function runEcdsa(name: string, expectedTests: number, der: boolean): Promise<void> {
  const file = wycheproof(name);
  const counts = newCounts();
  let derRejected = 0;
  for (const group of file.testGroups) {
    const publicKey = decodeHex(group.publicKeyDer as string);
    for (const t of group.tests as SignatureTest[]) {
      const id = `tc ${t.tcId}`;
      const message = decodeHex(t.msg);
      let signature = decodeHex(t.sig);
      let verified = false;
      let converted = true;
      if (der) {
        try {
          signature = ecdsaDerToP1363(signature);
        } catch (error) {
          assert.ok(error instanceof ValidationError, id);
          converted = false;
          derRejected++;
        }
      }
      if (converted) verified = await suite.verify(signature, message, publicKey);
      if (t.result === "valid") {
        assert.equal(verified, true, id);
        counts.valid++;
      } else if (t.result === "invalid") {
        assert.equal(verified, false, id);
        counts.invalid++;
      } else {
        counts.acceptable++;
      }
    }
  }
  assert.equal(total(counts), file.numberOfTests);
  assert.equal(file.numberOfTests, expectedTests);
  report(name, counts, der ? `; ${derRejected} refused by the DER converter` : "");
}

Deno.test({
  name: "wycheproof ecdsa_secp384r1_sha384_p1363_test.json: every vector through suite.verify",
  ignore,
  fn: () => runEcdsa("ecdsa_secp384r1_sha384_p1363_test.json", 280, false),
});

Deno.test({
  name: "wycheproof ecdsa_secp384r1_sha384_test.json: every DER vector via ecdsaDerToP1363",
  ignore,
  fn: () => runEcdsa("ecdsa_secp384r1_sha384_test.json", 504, true),
});

type HkdfTest = WycheproofTest & {
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
};

Deno.test({
  name: "wycheproof hkdf_sha384_test.json: every vector",
  ignore,
  async fn() {
    const file = wycheproof("hkdf_sha384_test.json");
    const counts = newCounts();
    for (const group of file.testGroups) {
      for (const t of group.tests as HkdfTest[]) {
        const id = `tc ${t.tcId}`;
        const derive = () =>
          hkdfSha384(decodeHex(t.ikm), decodeHex(t.salt), decodeHex(t.info), t.size);
        if (t.result === "valid") {
          assert.equal(encodeHex(await derive()), t.okm, id);
          counts.valid++;
        } else if (t.result === "invalid") {
          await assert.rejects(derive(), ValidationError, id);
          counts.invalid++;
        } else {
          counts.acceptable++;
        }
      }
    }
    assert.equal(total(counts), file.numberOfTests);
    assert.equal(file.numberOfTests, 83);
    report("hkdf_sha384_test.json", counts);
  },
});
