// The independent E3DB vectors for record fields and access keys in the Sodium suite.
import assert from "node:assert/strict";
import { unwrapAccessKey, wrapAccessKey } from "../lib/crypto/access_key.ts";
import { decodeBase64Url as b64, encodeBase64Url } from "../lib/crypto/encoding.ts";
import {
  decryptField,
  decryptRecordData,
  encryptField,
  encryptRecordData,
  randomKey,
} from "../lib/crypto/fields.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { e3dbVectors } from "./_vectors.ts";

const suite = await sodiumSuite();

interface FieldVector {
  id: string;
  value: string;
  ak_b64url: string;
  dk_b64url: string;
  efN_b64url: string;
  edkN_b64url: string;
  expected: { field: string };
}
interface FieldFile {
  vectors: FieldVector[];
  record: {
    ak_b64url: string;
    fields: Record<
      string,
      { value: string; dk_b64url: string; efN_b64url: string; edkN_b64url: string }
    >;
    expected_data: Record<string, string>;
    expected_plaintext: Record<string, string>;
  };
  must_fail: { id: string; ak_b64url: string; field: string }[];
}
const fields = e3dbVectors<FieldFile>("sodium_fields.json");

Deno.test("sodium_fields.json: Arca's encryption reproduces every vector from fixed inputs", async () => {
  assert.equal(fields.vectors.length, 6);
  for (const v of fields.vectors) {
    const quad = await encryptField(suite, b64(v.ak_b64url), v.value, {
      dataKey: b64(v.dk_b64url),
      fieldNonce: b64(v.efN_b64url),
      dataKeyNonce: b64(v.edkN_b64url),
    });
    assert.equal(quad, v.expected.field, v.id);
  }
});

Deno.test("sodium_fields.json: Arca decrypts every vector", async () => {
  for (const v of fields.vectors) {
    assert.equal(await decryptField(suite, b64(v.ak_b64url), v.expected.field), v.value, v.id);
  }
});

Deno.test("sodium_fields.json: the three-field record both ways", async () => {
  const { record } = fields;
  const ak = b64(record.ak_b64url);
  for (const [name, f] of Object.entries(record.fields)) {
    const quad = await encryptField(suite, ak, f.value, {
      dataKey: b64(f.dk_b64url),
      fieldNonce: b64(f.efN_b64url),
      dataKeyNonce: b64(f.edkN_b64url),
    });
    assert.equal(quad, record.expected_data[name], name);
  }
  assert.deepEqual(
    await decryptRecordData(suite, ak, record.expected_data),
    record.expected_plaintext,
  );
});

Deno.test("sodium_fields.json: every must_fail input is an IntegrityError", async () => {
  assert.equal(fields.must_fail.length, 14);
  for (const v of fields.must_fail) {
    await assert.rejects(decryptField(suite, b64(v.ak_b64url), v.field), IntegrityError, v.id);
  }
});

interface EakFile {
  vectors: {
    id: string;
    ak_b64url: string;
    nonce_b64url: string;
    encrypt_with: { reader_pk_b64url: string; authorizer_sk_b64url: string };
    open_with: { authorizer_pk_b64url: string; reader_sk_b64url: string };
    expected_eak: string;
  }[];
  must_fail: {
    id: string;
    eak: string;
    open_with: { authorizer_pk_b64url: string; reader_sk_b64url: string };
  }[];
  keys: Record<
    string,
    { x25519_seed_b64url: string; x25519_sk_b64url: string; x25519_pk_b64url: string }
  >;
}
const eaks = e3dbVectors<EakFile>("sodium_eak.json");

Deno.test("sodium_eak.json: seeded key pairs match", async () => {
  for (const [name, k] of Object.entries(eaks.keys)) {
    const pair = await suite.encryptionKeyPairFromSeed(b64(k.x25519_seed_b64url));
    assert.equal(encodeBase64Url(pair.privateKey), k.x25519_sk_b64url, name);
    assert.equal(encodeBase64Url(pair.publicKey), k.x25519_pk_b64url, name);
  }
});

Deno.test("sodium_eak.json: wrap reproduces and unwrap opens every vector", async () => {
  assert.equal(eaks.vectors.length, 4);
  for (const v of eaks.vectors) {
    const eak = await wrapAccessKey(
      suite,
      b64(v.ak_b64url),
      b64(v.encrypt_with.reader_pk_b64url),
      b64(v.encrypt_with.authorizer_sk_b64url),
      b64(v.nonce_b64url),
    );
    assert.equal(eak, v.expected_eak, v.id);
    const ak = await unwrapAccessKey(
      suite,
      v.expected_eak,
      b64(v.open_with.authorizer_pk_b64url),
      b64(v.open_with.reader_sk_b64url),
    );
    assert.equal(encodeBase64Url(ak), v.ak_b64url, v.id);
  }
});

Deno.test("sodium_eak.json: every must_fail input is an IntegrityError", async () => {
  assert.equal(eaks.must_fail.length, 9);
  for (const v of eaks.must_fail) {
    await assert.rejects(
      unwrapAccessKey(
        suite,
        v.eak,
        b64(v.open_with.authorizer_pk_b64url),
        b64(v.open_with.reader_sk_b64url),
      ),
      IntegrityError,
      v.id,
    );
  }
});

function flipByteOfPart(quad: string, part: number, byte: number): string {
  const parts = quad.split(".");
  const bytes = b64(parts[part]!);
  bytes[byte % bytes.length]! ^= 0x01;
  parts[part] = encodeBase64Url(bytes);
  return parts.join(".");
}

Deno.test("fields: flipping any byte of any part of random fields is an IntegrityError", async () => {
  const ak = randomKey(suite);
  for (const value of ["", "x", "héllo wörld 🌍", "日本語".repeat(50), "a".repeat(3000)]) {
    const quad = await encryptField(suite, ak, value);
    assert.equal(await decryptField(suite, ak, quad), value);
    for (let part = 0; part < 4; part++) {
      const length = b64(quad.split(".")[part]!).length;
      for (let byte = 0; byte < length; byte += Math.max(1, Math.floor(length / 7))) {
        await assert.rejects(
          decryptField(suite, ak, flipByteOfPart(quad, part, byte)),
          IntegrityError,
          `part ${part} byte ${byte}`,
        );
      }
    }
  }
});

Deno.test("fields: record data round-trips and rejects non-string values up front", async () => {
  const ak = randomKey(suite);
  const data = { name: "Jon", empty: "", unicode: "Ünïcödé ✓" };
  const encrypted = await encryptRecordData(suite, ak, data);
  assert.deepEqual(Object.keys(encrypted), Object.keys(data));
  assert.deepEqual(await decryptRecordData(suite, ak, encrypted), data);
  await assert.rejects(
    encryptRecordData(suite, ak, { n: 1 } as unknown as Record<string, string>),
    ValidationError,
  );
  await assert.rejects(encryptField(suite, new Uint8Array(31), "x"), ValidationError);
});

Deno.test("box: wrong keys and tampered EAKs never open", async () => {
  const writer = await suite.generateEncryptionKeyPair();
  const reader = await suite.generateEncryptionKeyPair();
  const stranger = await suite.generateEncryptionKeyPair();
  const ak = randomKey(suite);
  const eak = await wrapAccessKey(suite, ak, reader.publicKey, writer.privateKey);
  assert.deepEqual(await unwrapAccessKey(suite, eak, writer.publicKey, reader.privateKey), ak);
  await assert.rejects(
    unwrapAccessKey(suite, eak, writer.publicKey, stranger.privateKey),
    IntegrityError,
  );
  await assert.rejects(
    unwrapAccessKey(suite, eak, stranger.publicKey, reader.privateKey),
    IntegrityError,
  );
});

Deno.test("Sodium signatures: sign/verify, wrong key and tampered message fail", async () => {
  const keys = await suite.generateSigningKeyPair();
  const other = await suite.generateSigningKeyPair();
  const message = new TextEncoder().encode("message");
  const signature = await suite.sign(message, keys.privateKey);
  assert.equal(await suite.verify(signature, message, keys.publicKey), true);
  assert.equal(await suite.verify(signature, message, other.publicKey), false);
  assert.equal(await suite.verify(signature, new Uint8Array([1]), keys.publicKey), false);
  assert.equal(await suite.verify(signature.subarray(1), message, keys.publicKey), false);
});

Deno.test("Argon2id password keys are deterministic per salt and validate parameters", async () => {
  const params = { ...suite.newPasswordKdfParams(), memory: 8 * 1024 * 1024, iterations: 2 };
  const a = await suite.deriveKeyFromPassword("correct horse", params);
  const b = await suite.deriveKeyFromPassword("correct horse", params);
  const c = await suite.deriveKeyFromPassword("correct horsf", params);
  assert.equal(a.length, 32);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(suite.newPasswordKdfParams().algorithm, "argon2id");
  await assert.rejects(
    async () => await suite.deriveKeyFromPassword("", params),
    ValidationError,
  );
  await assert.rejects(
    async () => await suite.deriveKeyFromPassword("x", { ...params, algorithm: "pbkdf2-sha384" }),
    ValidationError,
  );
});
