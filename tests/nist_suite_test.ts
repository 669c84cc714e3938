// The NIST suite: the independent E3DB vectors of nist.json (every section), known answers for
// Arca's own NIST constructions (seed key pairs, stream, PBKDF2) computed independently with Python
// cryptography 48 (OpenSSL), and round-trip, tamper and bad-input properties.
import assert from "node:assert/strict";
import { unwrapAccessKey, wrapAccessKey } from "../lib/crypto/access_key.ts";
import { ecdsaDerToP1363, ecdsaP1363ToDer } from "../lib/crypto/_ecdsa_der.ts";
import {
  decodeBase64Url as b64,
  decodeHex,
  encodeBase64Url,
  encodeHex,
  fromUtf8,
  utf8,
} from "../lib/crypto/encoding.ts";
import { decryptField, encryptField } from "../lib/crypto/fields.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { ecdhP384, p384BoxKey } from "../lib/crypto/_nist_primitives.ts";
import {
  encodeP384PrivateKey,
  P384_ORDER,
  p384PointFromScalar,
  p384PrivateKeyFromJwk,
  p384PrivateKeyToJwk,
  p384PublicKeyFromJwk,
  p384PublicKeyToJwk,
  parseP384PublicKey,
} from "../lib/crypto/_p384_keys.ts";
import { decodePem, encodePem } from "../lib/crypto/_pem.ts";
import type { StreamPuller } from "../lib/crypto/suite.ts";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { e3dbVectors } from "./_vectors.ts";

const suite = await nistSuite();

interface KeyVector {
  d_hex: string;
  public_pem: string;
  public_pem_b64url: string;
  public_spki_der_b64url: string;
  public_uncompressed_point_hex: string;
  public_jwk: Record<string, string>;
  private_pem: string;
  private_pem_b64url: string;
  private_pkcs8_der_b64url: string;
  private_jwk: Record<string, string>;
}
interface NistFile {
  keys: Record<string, KeyVector>;
  ecdh_hkdf: {
    id: string;
    private: string;
    peer_public: string;
    expected: { ecdh_shared_secret_hex: string; hkdf_sha384_key_hex: string };
  }[];
  fields: {
    id: string;
    must_fail: boolean;
    value?: string;
    ak_b64url: string;
    dk_b64url?: string;
    efN_b64url?: string;
    edkN_b64url?: string;
    expected?: { field: string };
    field?: string;
  }[];
  eak: {
    id: string;
    must_fail: boolean;
    ak_b64url?: string;
    nonce_b64url?: string;
    authorizer: string;
    reader: string;
    expected_eak?: string;
    eak?: string;
  }[];
  ecdsa: {
    id: string;
    public_key: string;
    message_hex: string;
    signature_der_hex?: string;
    signature_p1363_hex: string;
    valid: boolean;
  }[];
}
const nist = e3dbVectors<NistFile>("nist.json");

function key(name: string): KeyVector {
  const found = nist.keys[name];
  assert.ok(found, `key ${name}`);
  return found;
}
const spki = (name: string) => b64(key(name).public_spki_der_b64url);
const pkcs8 = (name: string) => b64(key(name).private_pkcs8_der_b64url);

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// nist.json

Deno.test("nist.json keys: wire text, PEM, SPKI/PKCS#8, point and JWK both ways", () => {
  assert.equal(Object.keys(nist.keys).length, 4);
  for (const [name, k] of Object.entries(nist.keys)) {
    const publicDer = b64(k.public_spki_der_b64url);
    const privateDer = b64(k.private_pkcs8_der_b64url);
    assert.deepEqual(suite.decodePublicKey(k.public_pem_b64url), publicDer, name);
    assert.equal(suite.encodePublicKey(publicDer), k.public_pem_b64url, name);
    assert.deepEqual(suite.decodePrivateKey(k.private_pem_b64url), privateDer, name);
    assert.equal(suite.encodePrivateKey(privateDer), k.private_pem_b64url, name);
    assert.equal(fromUtf8(b64(k.public_pem_b64url)), k.public_pem, name);
    assert.equal(encodePem("PUBLIC KEY", publicDer), k.public_pem, name);
    assert.equal(encodePem("PRIVATE KEY", privateDer), k.private_pem, name);
    assert.deepEqual(decodePem(k.public_pem, "PUBLIC KEY"), publicDer, name);
    assert.deepEqual(decodePem(k.private_pem, "PRIVATE KEY"), privateDer, name);
    assert.equal(encodeHex(parseP384PublicKey(publicDer)), k.public_uncompressed_point_hex, name);
    assert.equal(
      encodeHex(p384PointFromScalar(decodeHex(k.d_hex))),
      k.public_uncompressed_point_hex,
    );
    assert.deepEqual(encodeP384PrivateKey(decodeHex(k.d_hex)), privateDer, name);
    assert.deepEqual(p384PublicKeyToJwk(publicDer), k.public_jwk, name);
    assert.deepEqual(p384PrivateKeyToJwk(privateDer), k.private_jwk, name);
    assert.deepEqual(p384PublicKeyFromJwk(k.public_jwk), publicDer, name);
    assert.deepEqual(p384PrivateKeyFromJwk(k.private_jwk), privateDer, name);
  }
});

Deno.test("nist.json keys: the wire value starts as the spec says; a missing final newline is tolerated", () => {
  const k = key("alice");
  assert.ok(k.public_pem_b64url.startsWith("LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K"));
  const noNewline = encodeBase64Url(utf8(k.public_pem.trimEnd()));
  assert.deepEqual(suite.decodePublicKey(noNewline), spki("alice"));
  const privateNoNewline = encodeBase64Url(utf8(k.private_pem.trimEnd()));
  assert.deepEqual(suite.decodePrivateKey(privateNoNewline), pkcs8("alice"));
});

Deno.test("nist.json ecdh_hkdf: shared secret and HKDF key, in both directions", async () => {
  assert.equal(nist.ecdh_hkdf.length, 3);
  for (const v of nist.ecdh_hkdf) {
    const forward = await ecdhP384(pkcs8(v.private), spki(v.peer_public));
    const backward = await ecdhP384(pkcs8(v.peer_public), spki(v.private));
    assert.equal(encodeHex(forward), v.expected.ecdh_shared_secret_hex, v.id);
    assert.equal(encodeHex(backward), v.expected.ecdh_shared_secret_hex, v.id);
    const boxKey = await p384BoxKey(pkcs8(v.private), spki(v.peer_public));
    assert.equal(encodeHex(boxKey), v.expected.hkdf_sha384_key_hex, v.id);
  }
});

Deno.test("nist.json fields: every valid quad decrypts and re-encrypts from its fixed inputs", async () => {
  const valid = nist.fields.filter((v) => !v.must_fail);
  assert.equal(valid.length, 3);
  for (const v of valid) {
    const ak = b64(v.ak_b64url);
    const expected = v.expected!.field;
    assert.equal(await decryptField(suite, ak, expected, v.id), v.value, v.id);
    const quad = await encryptField(suite, ak, v.value!, {
      dataKey: b64(v.dk_b64url!),
      fieldNonce: b64(v.efN_b64url!),
      dataKeyNonce: b64(v.edkN_b64url!),
    });
    assert.equal(quad, expected, v.id);
  }
});

Deno.test("nist.json fields: every must_fail quad is refused with IntegrityError", async () => {
  const bad = nist.fields.filter((v) => v.must_fail);
  assert.equal(bad.length, 5);
  for (const v of bad) {
    await assert.rejects(decryptField(suite, b64(v.ak_b64url), v.field!), IntegrityError, v.id);
  }
});

Deno.test("nist.json eak: every valid EAK unwraps and re-wraps from its fixed nonce", async () => {
  const valid = nist.eak.filter((v) => !v.must_fail);
  assert.equal(valid.length, 3);
  for (const v of valid) {
    const ak = b64(v.ak_b64url!);
    const opened = await unwrapAccessKey(
      suite,
      v.expected_eak!,
      spki(v.authorizer),
      pkcs8(v.reader),
    );
    assert.deepEqual(opened, ak, v.id);
    const eak = await wrapAccessKey(
      suite,
      ak,
      spki(v.reader),
      pkcs8(v.authorizer),
      b64(v.nonce_b64url!),
    );
    assert.equal(eak, v.expected_eak, v.id);
  }
});

Deno.test("nist.json eak: every must_fail EAK is refused with IntegrityError", async () => {
  const bad = nist.eak.filter((v) => v.must_fail);
  assert.equal(bad.length, 3);
  for (const v of bad) {
    await assert.rejects(
      unwrapAccessKey(suite, v.eak!, spki(v.authorizer), pkcs8(v.reader)),
      IntegrityError,
      v.id,
    );
  }
});

Deno.test("nist.json ecdsa: verify equals `valid` for the P1363 and the DER form", async () => {
  assert.equal(nist.ecdsa.length, 11);
  let derChecked = 0;
  for (const v of nist.ecdsa) {
    const message = decodeHex(v.message_hex);
    const p1363 = decodeHex(v.signature_p1363_hex);
    assert.equal(await suite.verify(p1363, message, spki(v.public_key)), v.valid, v.id);
    if (v.signature_der_hex === undefined) continue;
    const der = decodeHex(v.signature_der_hex);
    assert.deepEqual(ecdsaDerToP1363(der), p1363, v.id);
    assert.deepEqual(ecdsaP1363ToDer(p1363), der, v.id);
    assert.equal(await suite.verify(ecdsaDerToP1363(der), message, spki(v.public_key)), v.valid);
    derChecked++;
  }
  assert.equal(derChecked, 8);
});

// ---------------------------------------------------------------------------------------------
// Key pairs

// Python cryptography 48: d = (int(HKDF-SHA384(seed, salt=b"", info=label, 56)) mod (n-1)) + 1.
const SEED_KATS = [
  {
    seed: "07".repeat(32),
    encryption: {
      d: "33e15c10b77b9beeefe1dc41497b55955328ddcf1bfa89cecd35e7ddd7049d908e971b57f98f2118c09a1b2b69fe58d1",
      point:
        "041f6afb6f4c84291adc8f0a16d7e1d85363df10b8cc7c21e7174bc2cf646ff256205925bf7dea885767812834fd1b7ea03577387e51ae08719a0b293a9cd70d4c7cfbe8d6cfdf9cbe8d4f6ac2bb15d6b550def3d0e09c1d7148ebdcffe9ac9ef3",
    },
    signing: {
      d: "1f477a197a7c93ff70cb33bbdd03b4b74009e1ee7babfa93fcf096400282463d3e4352f703c54ed9342d01c6f9128874",
      point:
        "0495d0af60bad968146eefd2f3a9a70159abcefe8fcb027c145193e584f89f9eebb8a81d97ffcfde53f14d7eff0e31f358ddbc88994b8348581d5c3af6b1cdc8d6ed0ef5c351552638b8baa9832d33fc3353af90da30fe84dc7da15bc8d9217080",
    },
  },
  {
    seed: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    encryption: {
      d: "2bcd5adfdd9c190199ad9d6e61517a8e9362c492f8ec738a27cb8de985e931642c55af161229d3065f5fa1537c00c1bf",
      point:
        "043d3d7d99bfab4a388bcc9fb5df25a4644b6c312f46ed403bcd9dc4895e37c69f4b6cb766779714d862105a945d96f11c5ed9b2d8ec95873fd0c7c6b85bdb64c5d050a6ca2d6011117c2c32021a97535753f41cc0713b7b8670490397efcd9d64",
    },
    signing: {
      d: "95403a67a65a092457e1253da0062f358dccf2c4aaa4f354a5ed802cbe17c8174211aab45989ec22faf039c4527a74dc",
      point:
        "045e1f315faba9a254d05a822db81a7bd86f2edb58b380eabf027315e34356a0c913dc3f3ca414ede1361dae1235d95e6a8f95a7fb63570fbf8946c5d04171f5afd3a11c9fc7727a19d675dba4133f7f235db0d90122bd343ede94342c3c4437a5",
    },
  },
];

Deno.test("seed key pairs match the independent known answers", async () => {
  for (const kat of SEED_KATS) {
    const seed = decodeHex(kat.seed);
    const encryption = await suite.encryptionKeyPairFromSeed(seed);
    const signing = await suite.signingKeyPairFromSeed(seed);
    assert.deepEqual(encryption.privateKey, encodeP384PrivateKey(decodeHex(kat.encryption.d)));
    assert.equal(encodeHex(parseP384PublicKey(encryption.publicKey)), kat.encryption.point);
    assert.deepEqual(signing.privateKey, encodeP384PrivateKey(decodeHex(kat.signing.d)));
    assert.equal(encodeHex(parseP384PublicKey(signing.publicKey)), kat.signing.point);
  }
});

Deno.test("seed key pairs are deterministic, domain-separated and refuse a bad seed", async () => {
  const seed = new Uint8Array(32).fill(0x42);
  const a = await suite.encryptionKeyPairFromSeed(seed);
  const b = await suite.encryptionKeyPairFromSeed(seed.slice());
  assert.deepEqual(a, b);
  const s = await suite.signingKeyPairFromSeed(seed);
  assert.notDeepEqual(s.privateKey, a.privateKey);
  await assert.rejects(suite.encryptionKeyPairFromSeed(new Uint8Array(31)), ValidationError);
  await assert.rejects(suite.signingKeyPairFromSeed(new Uint8Array(33)), ValidationError);
  await assert.rejects(
    suite.signingKeyPairFromSeed("seed" as unknown as Uint8Array),
    ValidationError,
  );
});

Deno.test("generated key pairs are canonical, distinct and usable for ECDH and ECDSA", async () => {
  const e1 = await suite.generateEncryptionKeyPair();
  const e2 = await suite.generateEncryptionKeyPair();
  const s1 = await suite.generateSigningKeyPair();
  assert.equal(e1.publicKey.length, 120);
  assert.equal(e1.privateKey.length, 185);
  assert.notDeepEqual(e1.privateKey, e2.privateKey);
  for (const pair of [e1, e2, s1]) {
    assert.deepEqual(
      suite.decodePrivateKey(suite.encodePrivateKey(pair.privateKey)),
      pair.privateKey,
    );
    assert.deepEqual(suite.decodePublicKey(suite.encodePublicKey(pair.publicKey)), pair.publicKey);
    assert.deepEqual(p384PrivateKeyToJwk(pair.privateKey).x, p384PublicKeyToJwk(pair.publicKey).x);
  }
  const message = utf8("generated");
  assert.ok(await suite.verify(await suite.sign(message, s1.privateKey), message, s1.publicKey));
  // The same format serves both uses.
  assert.ok(await suite.verify(await suite.sign(message, e1.privateKey), message, e1.publicKey));
  assert.deepEqual(
    await ecdhP384(e1.privateKey, e2.publicKey),
    await ecdhP384(e2.privateKey, e1.publicKey),
  );
});

Deno.test("key text: decoders refuse wrong labels, garbage, off-curve points and mismatched keys", () => {
  const alice = key("alice");
  assert.throws(() => suite.decodePublicKey(alice.private_pem_b64url), ValidationError);
  assert.throws(() => suite.decodePrivateKey(alice.public_pem_b64url), ValidationError);
  assert.throws(() => suite.decodePublicKey("not base64!"), ValidationError);
  assert.throws(() => suite.decodePublicKey(alice.public_spki_der_b64url), ValidationError);
  assert.throws(() => suite.decodePublicKey(42 as unknown as string), ValidationError);
  const offCurve = flip(spki("alice"), 119);
  const offCurveText = encodeBase64Url(utf8(encodePem("PUBLIC KEY", offCurve)));
  assert.throws(() => suite.decodePublicKey(offCurveText), /not a point on P-384/);
  assert.throws(() => suite.encodePublicKey(offCurve), ValidationError);
  // Alice's scalar with Bob's public key: well-formed, on the curve, but inconsistent.
  const mixed = pkcs8("alice");
  mixed.set(spki("bob").subarray(23), 185 - 97);
  const mixedText = encodeBase64Url(utf8(encodePem("PRIVATE KEY", mixed)));
  assert.throws(() => suite.decodePrivateKey(mixedText), /does not match/);
  assert.throws(() => suite.encodePrivateKey(new Uint8Array(185)), ValidationError);
  assert.throws(() => suite.encodePublicKey(new Uint8Array(32)), ValidationError);
});

// ---------------------------------------------------------------------------------------------
// Symmetric and public-key encryption

Deno.test("secretEncrypt: AES-256-GCM ct‖tag round trip; every flipped byte is an IntegrityError", async () => {
  const k = suite.randomBytes(32);
  const nonce = suite.randomBytes(12);
  const plaintext = utf8("attack at dawn");
  const sealed = await suite.secretEncrypt(plaintext, nonce, k);
  assert.equal(sealed.length, plaintext.length + 16);
  assert.deepEqual(await suite.secretDecrypt(sealed, nonce, k), plaintext);
  for (let i = 0; i < sealed.length; i++) {
    await assert.rejects(suite.secretDecrypt(flip(sealed, i), nonce, k), IntegrityError, `ct ${i}`);
  }
  for (let i = 0; i < nonce.length; i++) {
    await assert.rejects(suite.secretDecrypt(sealed, flip(nonce, i), k), IntegrityError);
  }
  await assert.rejects(suite.secretDecrypt(sealed, nonce, flip(k, 0)), IntegrityError);
  await assert.rejects(suite.secretDecrypt(sealed.subarray(0, 15), nonce, k), IntegrityError);
  await assert.rejects(suite.secretDecrypt(sealed.subarray(1), nonce, k), IntegrityError);
  const empty = await suite.secretEncrypt(new Uint8Array(0), nonce, k);
  assert.deepEqual(await suite.secretDecrypt(empty, nonce, k), new Uint8Array(0));
});

Deno.test("secretEncrypt/secretDecrypt validate key and nonce lengths up front", async () => {
  const k = new Uint8Array(32);
  await assert.rejects(
    suite.secretEncrypt(new Uint8Array(1), new Uint8Array(24), k),
    /Nonce must be 12 bytes, got 24/,
  );
  await assert.rejects(
    suite.secretEncrypt(new Uint8Array(1), new Uint8Array(12), new Uint8Array(16)),
    /Key must be 32 bytes, got 16/,
  );
  await assert.rejects(
    suite.secretDecrypt(new Uint8Array(20), new Uint8Array(11), k),
    ValidationError,
  );
  await assert.rejects(
    suite.secretEncrypt("x" as unknown as Uint8Array, new Uint8Array(12), k),
    ValidationError,
  );
});

Deno.test("boxEncrypt: ECDH P-384 box round trip, tamper and wrong keys", async () => {
  const alice = await suite.generateEncryptionKeyPair();
  const bob = await suite.generateEncryptionKeyPair();
  const carol = await suite.generateEncryptionKeyPair();
  const nonce = suite.randomBytes(12);
  const plaintext = suite.randomBytes(32);
  const box = await suite.boxEncrypt(plaintext, nonce, bob.publicKey, alice.privateKey);
  assert.equal(box.length, 48);
  assert.deepEqual(await suite.boxDecrypt(box, nonce, alice.publicKey, bob.privateKey), plaintext);
  for (let i = 0; i < box.length; i++) {
    await assert.rejects(
      suite.boxDecrypt(flip(box, i), nonce, alice.publicKey, bob.privateKey),
      IntegrityError,
    );
  }
  await assert.rejects(
    suite.boxDecrypt(box, flip(nonce, 11), alice.publicKey, bob.privateKey),
    IntegrityError,
  );
  await assert.rejects(
    suite.boxDecrypt(box, nonce, carol.publicKey, bob.privateKey),
    IntegrityError,
  );
  await assert.rejects(
    suite.boxDecrypt(box, nonce, alice.publicKey, carol.privateKey),
    IntegrityError,
  );
});

Deno.test("box: malformed keys and nonces are ValidationErrors naming the value", async () => {
  const alice = await suite.generateEncryptionKeyPair();
  const data = new Uint8Array(4);
  const nonce = new Uint8Array(12);
  await assert.rejects(
    suite.boxEncrypt(data, nonce, flip(alice.publicKey, 119), alice.privateKey),
    /Recipient public key is not a point on P-384/,
  );
  await assert.rejects(
    suite.boxEncrypt(data, nonce, alice.publicKey, new Uint8Array(32)),
    /Sender private key/,
  );
  await assert.rejects(
    suite.boxDecrypt(data, nonce, new Uint8Array(32), alice.privateKey),
    /Sender public key/,
  );
  await assert.rejects(
    suite.boxEncrypt(data, new Uint8Array(24), alice.publicKey, alice.privateKey),
    /Nonce must be 12 bytes/,
  );
  const p256Spki = decodeHex(
    "3059301306072a8648ce3d020106082a8648ce3d030107034200046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
  );
  await assert.rejects(
    suite.boxEncrypt(data, nonce, p256Spki, alice.privateKey),
    /not an EC key on P-384/,
  );
});

// ---------------------------------------------------------------------------------------------
// Signatures and hash

Deno.test("sign/verify: P1363 signatures, (r, n−s) accepted, malformed signatures give false", async () => {
  const signer = await suite.generateSigningKeyPair();
  const other = await suite.generateSigningKeyPair();
  const message = utf8("sign me");
  const signature = await suite.sign(message, signer.privateKey);
  assert.equal(signature.length, 96);
  assert.equal(await suite.verify(signature, message, signer.publicKey), true);
  assert.equal(await suite.verify(signature, utf8("sign mE"), signer.publicKey), false);
  assert.equal(await suite.verify(signature, message, other.publicKey), false);
  for (const i of [0, 47, 48, 95]) {
    assert.equal(await suite.verify(flip(signature, i), message, signer.publicKey), false);
  }
  let s = 0n;
  for (const byte of signature.subarray(48)) s = (s << 8n) | BigInt(byte);
  const negated = signature.slice();
  let ns = P384_ORDER - s;
  for (let i = 95; i >= 48; i--) {
    negated[i] = Number(ns & 0xffn);
    ns >>= 8n;
  }
  assert.equal(await suite.verify(negated, message, signer.publicKey), true);
  assert.equal(await suite.verify(signature.subarray(0, 95), message, signer.publicKey), false);
  assert.equal(await suite.verify(new Uint8Array(96), message, signer.publicKey), false);
  assert.equal(await suite.verify(new Uint8Array(0), message, signer.publicKey), false);
  assert.equal(
    await suite.verify(ecdsaP1363ToDer(signature), message, signer.publicKey),
    false,
  );
  assert.equal(
    await suite.verify("sig" as unknown as Uint8Array, message, signer.publicKey),
    false,
  );
  await assert.rejects(suite.verify(signature, message, new Uint8Array(120)), ValidationError);
  await assert.rejects(suite.sign(message, new Uint8Array(185)), ValidationError);
  await assert.rejects(
    suite.sign("m" as unknown as Uint8Array, signer.privateKey),
    ValidationError,
  );
});

Deno.test('hash is SHA-384 (FIPS 180-2 "abc")', async () => {
  assert.equal(
    encodeHex(await suite.hash(utf8("abc"))),
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  );
  await assert.rejects(suite.hash("abc" as unknown as Uint8Array), ValidationError);
});

// ---------------------------------------------------------------------------------------------
// Password KDF

Deno.test("password KDF: PBKDF2-SHA384 known answer and fresh parameters", async () => {
  const params = {
    algorithm: "pbkdf2-sha384" as const,
    salt: encodeBase64Url(new Uint8Array(16).fill(0x5a)),
    iterations: 600_000,
    memory: 0,
  };
  // Python cryptography 48: PBKDF2HMAC(SHA384, 32, salt, 600000).derive(password)
  assert.equal(
    encodeHex(await suite.deriveKeyFromPassword("correct horse ✓", params)),
    "9b4d26cb6ac14d623006f2aec1f0e6d1f01132adef87f91eee74aced8709d0b5",
  );
  const fresh = suite.newPasswordKdfParams();
  assert.equal(fresh.algorithm, "pbkdf2-sha384");
  assert.ok(fresh.iterations >= 600_000);
  assert.equal(fresh.memory, 0);
  assert.equal(b64(fresh.salt).length, 16);
  assert.notEqual(suite.newPasswordKdfParams().salt, fresh.salt);
});

Deno.test("password KDF: bad parameters are ValidationErrors", async () => {
  const good = suite.newPasswordKdfParams();
  await assert.rejects(
    suite.deriveKeyFromPassword("", good),
    /Password must be a non-empty string/,
  );
  await assert.rejects(
    suite.deriveKeyFromPassword("pw", { ...good, algorithm: "argon2id" }),
    /cannot derive with "argon2id"/,
  );
  await assert.rejects(
    suite.deriveKeyFromPassword("pw", { ...good, iterations: 599_999 }),
    /PBKDF2 iterations/,
  );
  await assert.rejects(
    suite.deriveKeyFromPassword("pw", { ...good, memory: 1024 }),
    /memory must be 0/,
  );
  await assert.rejects(
    suite.deriveKeyFromPassword("pw", { ...good, salt: encodeBase64Url(new Uint8Array(8)) }),
    /KDF salt must be 16/,
  );
  await assert.rejects(suite.deriveKeyFromPassword("pw", { ...good, salt: "@@" }), ValidationError);
});

// ---------------------------------------------------------------------------------------------
// Stream

// Python cryptography 48: stream key = HKDF-SHA384(key, salt=header, info=b"arca stream v1", 32),
// chunk i = AESGCM(stream key).encrypt(i.to_bytes(11, "big") + flag, plaintext, None).
const STREAM_KATS = [
  {
    key: "09".repeat(32),
    header: "08".repeat(24),
    chunks: [
      { plaintext: "010203", final: false, ciphertext: "1e2a67dcab27ffe7ef01f4722a0841a348da37" },
      { plaintext: "", final: true, ciphertext: "9a0b8fd216632cd4e511b1a91fe261b2" },
    ],
  },
  {
    key: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    header: "6465666768696a6b6c6d6e6f707172737475767778797a7b",
    chunks: [
      {
        plaintext:
          "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627",
        final: false,
        ciphertext:
          "f3d9711a52fbf198dc3b14cf17dc3f2c118fa497c12055e537cff671fda61a44961d94bdb94c2e66102d535681fe57a544dde5daed20af5f",
      },
      {
        plaintext: encodeHex(utf8("middle")),
        final: false,
        ciphertext: "f7cb8cbbb3debca989a289a4dff8f9bdf1c53df8f933",
      },
      {
        plaintext: encodeHex(utf8("end")),
        final: true,
        ciphertext: "98bf5b77c06d66d40005dbc3072f2ccd5d3cf7",
      },
    ],
  },
];

Deno.test("stream: known answers both ways", async () => {
  for (const kat of STREAM_KATS) {
    const k = decodeHex(kat.key);
    const header = decodeHex(kat.header);
    const pusher = await suite.streamPush(k, header);
    assert.deepEqual(pusher.header, header);
    const puller = await suite.streamPull(header, k);
    for (const chunk of kat.chunks) {
      const sealed = await pusher.push(decodeHex(chunk.plaintext), chunk.final);
      assert.equal(encodeHex(sealed), chunk.ciphertext);
      const opened = await puller.pull(decodeHex(chunk.ciphertext));
      assert.equal(encodeHex(opened.message), chunk.plaintext);
      assert.equal(opened.final, chunk.final);
    }
  }
});

async function sealStream(
  k: Uint8Array,
  chunks: Uint8Array[],
): Promise<{ header: Uint8Array; sealed: Uint8Array[] }> {
  const pusher = await suite.streamPush(k);
  const sealed: Uint8Array[] = [];
  for (const [i, chunk] of chunks.entries()) {
    sealed.push(await pusher.push(chunk, i === chunks.length - 1));
  }
  return { header: pusher.header, sealed };
}

async function pullAll(puller: StreamPuller, sealed: Uint8Array[]) {
  const out: { message: Uint8Array; final: boolean }[] = [];
  for (const chunk of sealed) out.push(await puller.pull(chunk));
  return out;
}

Deno.test("stream: no data is a single empty final chunk of 16 bytes", async () => {
  const k = suite.randomBytes(32);
  const { header, sealed } = await sealStream(k, [new Uint8Array(0)]);
  assert.equal(header.length, suite.streamHeaderBytes);
  assert.equal(sealed[0]!.length, suite.streamChunkOverhead);
  const out = await pullAll(await suite.streamPull(header, k), sealed);
  assert.deepEqual(out, [{ message: new Uint8Array(0), final: true }]);
});

Deno.test("stream: multi-chunk round trip; random headers differ", async () => {
  const k = suite.randomBytes(32);
  const chunks = [suite.randomBytes(65536), suite.randomBytes(65536), suite.randomBytes(11)];
  const { header, sealed } = await sealStream(k, chunks);
  const again = await sealStream(k, chunks);
  assert.notDeepEqual(again.header, header);
  assert.notDeepEqual(again.sealed[0], sealed[0]);
  const out = await pullAll(await suite.streamPull(header, k), sealed);
  assert.deepEqual(out.map((o) => o.message), chunks);
  assert.deepEqual(out.map((o) => o.final), [false, false, true]);
});

Deno.test("stream: reordering, dropping, truncating and tampering are IntegrityErrors", async () => {
  const k = suite.randomBytes(32);
  const chunks = [utf8("zero"), utf8("one"), utf8("two"), utf8("three")];
  const { header, sealed } = await sealStream(k, chunks);
  const [c0, c1, c2, c3] = sealed as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const cases: [string, Uint8Array[]][] = [
    ["swapped", [c0, c2, c1, c3]],
    ["first dropped", [c1, c2, c3]],
    ["middle dropped", [c0, c1, c3]],
    ["final replayed", [c0, c1, c2, c3, c3]],
    ["chunk replayed", [c0, c0]],
    ["chunk truncated", [c0, c1.subarray(0, c1.length - 1)]],
    ["chunk shorter than a tag", [c0, c1.subarray(0, 15)]],
    ["chunk extended", [c0, Uint8Array.of(...c1, 0)]],
    ["byte flipped", [c0, flip(c1, 2)]],
    ["tag flipped", [c0, c1, flip(c2, c2.length - 1)]],
  ];
  for (const [name, sequence] of cases) {
    await assert.rejects(
      pullAll(await suite.streamPull(header, k), sequence),
      IntegrityError,
      name,
    );
  }
  // Without its final chunk the stream never reports final: the caller refuses the truncation.
  const partial = await pullAll(await suite.streamPull(header, k), [c0, c1, c2]);
  assert.ok(partial.every((o) => !o.final));
  await assert.rejects(pullAll(await suite.streamPull(flip(header, 0), k), [c0]), IntegrityError);
  await assert.rejects(pullAll(await suite.streamPull(header, flip(k, 31)), [c0]), IntegrityError);
  await assert.rejects(suite.streamPull(header.subarray(1), k), IntegrityError);
});

Deno.test("stream: an authentic chunk after the final one is refused", async () => {
  const k = suite.randomBytes(32);
  const header = suite.randomBytes(24);
  // Two pushers on one header (vectors only): the second yields an authentic chunk 1.
  const ending = await suite.streamPush(k, header);
  const finalZero = await ending.push(utf8("the end"), true);
  const going = await suite.streamPush(k, header);
  await going.push(utf8("not the end"), false);
  const chunkOne = await going.push(utf8("after"), true);
  const puller = await suite.streamPull(header, k);
  assert.deepEqual(await puller.pull(finalZero), { message: utf8("the end"), final: true });
  await assert.rejects(puller.pull(chunkOne), /after its final chunk/);
});

Deno.test("stream: a failed puller stays failed; a finished pusher refuses more", async () => {
  const k = suite.randomBytes(32);
  const { header, sealed } = await sealStream(k, [utf8("a"), utf8("b")]);
  const puller = await suite.streamPull(header, k);
  await assert.rejects(puller.pull(flip(sealed[0]!, 0)), IntegrityError);
  await assert.rejects(puller.pull(sealed[0]!), /already failed/);
  const pusher = await suite.streamPush(k);
  await pusher.push(utf8("last"), true);
  await assert.rejects(pusher.push(utf8("more"), false), /already ended/);
  await assert.rejects(pusher.push("x" as unknown as Uint8Array, false), ValidationError);
});

Deno.test("stream: bad keys and headers are refused up front", async () => {
  await assert.rejects(suite.streamPush(new Uint8Array(16)), /Stream key must be 32 bytes/);
  await assert.rejects(suite.streamPull(new Uint8Array(24), new Uint8Array(31)), ValidationError);
  await assert.rejects(
    suite.streamPush(new Uint8Array(32), new Uint8Array(23)),
    /Stream header must be 24 bytes/,
  );
});
