// The NIST suite's encodings: PEM, the strict DER reader, ECDSA DER ⇄ P1363 and P-384 keys.
import assert from "node:assert/strict";
import { DER_TAG, encodeDer, readDer } from "../lib/crypto/_der.ts";
import { ecdsaDerToP1363, ecdsaP1363ToDer } from "../lib/crypto/_ecdsa_der.ts";
import { decodeBase64Url as b64, decodeHex, encodeHex } from "../lib/crypto/encoding.ts";
import {
  canonicalP384PrivateKey,
  encodeP384PrivateKey,
  encodeP384PublicKey,
  P384_ORDER,
  p384PointFromScalar,
  p384PrivateKeyFromJwk,
  p384PublicKeyFromJwk,
  p384ScalarFromBytes,
  parseP384PrivateKey,
  parseP384PublicKey,
  validateP384Scalar,
} from "../lib/crypto/_p384_keys.ts";
import { decodePem, encodePem } from "../lib/crypto/_pem.ts";
import { ValidationError } from "../lib/errors.ts";
import { e3dbVectors } from "./_vectors.ts";

interface KeyVector {
  d_hex: string;
  public_spki_der_b64url: string;
  private_pkcs8_der_b64url: string;
  public_jwk: Record<string, string>;
  private_jwk: Record<string, string>;
}
const keys = e3dbVectors<{ keys: Record<string, KeyVector> }>("nist.json").keys;
const alice = keys.alice!;
const bob = keys.bob!;

function bigIntBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PEM

Deno.test("PEM: 64-character lines, \\n line ends, a trailing newline", () => {
  const der = Uint8Array.from({ length: 100 }, (_, i) => i);
  const pem = encodePem("PUBLIC KEY", der);
  const lines = pem.split("\n");
  assert.equal(lines[0], "-----BEGIN PUBLIC KEY-----");
  assert.deepEqual(lines.slice(1, 4).map((l) => l.length), [64, 64, 8]);
  assert.equal(lines[4], "-----END PUBLIC KEY-----");
  assert.equal(lines[5], "");
  assert.deepEqual(decodePem(pem, "PUBLIC KEY"), der);
  assert.deepEqual(decodePem(pem.replaceAll("\n", "\r\n"), "PUBLIC KEY"), der);
  assert.deepEqual(decodePem(pem.trimEnd(), "PUBLIC KEY"), der);
});

Deno.test("PEM: wrong label, missing lines, foreign text and bad base64 are refused", () => {
  const pem = encodePem("PUBLIC KEY", new Uint8Array([1, 2, 3, 4, 5]));
  assert.throws(() => decodePem(pem, "PRIVATE KEY"), /must start with/);
  assert.throws(() => decodePem(pem.replace("-----END PUBLIC KEY-----", ""), "PUBLIC KEY"), /end/);
  assert.throws(() => decodePem(`comment\n${pem}`, "PUBLIC KEY"), ValidationError);
  assert.throws(() => decodePem(`${pem}trailing\n`, "PUBLIC KEY"), ValidationError);
  assert.throws(() => decodePem(pem.replace("AQIDBAU=", "AQID*AU="), "PUBLIC KEY"), /not base64/);
  assert.throws(() => decodePem(pem.replace("AQIDBAU=", "AQIDBAU"), "PUBLIC KEY"), /truncated/);
  assert.throws(
    () => decodePem("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", "PUBLIC KEY"),
    ValidationError,
  );
  assert.throws(
    () => decodePem(pem.replace("AQIDBAU=", "AQ==\nAQIDBAU="), "PUBLIC KEY"),
    /not base64/,
  );
  assert.throws(() => decodePem(7 as unknown as string, "PUBLIC KEY"), /must be a string/);
  assert.throws(() => encodePem("public key", new Uint8Array(1)), /PEM label/);
  assert.throws(() => encodePem("PUBLIC KEY", new Uint8Array(0)), /non-empty/);
});

// ---------------------------------------------------------------------------------------------
// DER and ECDSA signatures

Deno.test("DER reader: long, indefinite and non-minimal lengths", () => {
  const long = new Uint8Array([0x04, 0x81, 0x80, ...new Uint8Array(0x80)]);
  assert.equal(readDer(long, 0, "x").content.length, 0x80);
  assert.throws(
    () => readDer(new Uint8Array([0x04, 0x81, 0x05, 1, 2, 3, 4, 5]), 0, "x"),
    /non-minimal/,
  );
  assert.throws(() => readDer(new Uint8Array([0x04, 0x82, 0x00, 0x80]), 0, "x"), /non-minimal/);
  assert.throws(() => readDer(new Uint8Array([0x30, 0x80, 0, 0]), 0, "x"), /indefinite/);
  assert.throws(() => readDer(new Uint8Array([0x04, 0x03, 1, 2]), 0, "x"), /truncated/);
  assert.throws(() => readDer(new Uint8Array([0x1f, 0x01, 0]), 0, "x"), /unsupported DER tag/);
  assert.equal(encodeDer(DER_TAG.OCTET_STRING, new Uint8Array(0x80))[1], 0x81);
});

function derSignature(r: number[], s: number[]): Uint8Array {
  return encodeDer(
    DER_TAG.SEQUENCE,
    encodeDer(DER_TAG.INTEGER, new Uint8Array(r)),
    encodeDer(DER_TAG.INTEGER, new Uint8Array(s)),
  );
}

Deno.test("ECDSA DER ⇄ P1363: minimal integers both ways", () => {
  const raw = new Uint8Array(96);
  raw[47] = 1; // r = 1
  raw[48] = 0x80; // s has its top bit set: DER needs a leading zero
  const der = ecdsaP1363ToDer(raw);
  assert.equal(encodeHex(der.subarray(0, 7)), "30360201010231");
  assert.equal(der[7], 0x00);
  assert.deepEqual(ecdsaDerToP1363(der), raw);
  assert.deepEqual(ecdsaDerToP1363(derSignature([0], [5])).subarray(0, 48), new Uint8Array(48));
});

Deno.test("ECDSA DER → P1363 refuses every non-DER encoding", () => {
  const good = derSignature([1], [2]);
  const cases: [string, Uint8Array][] = [
    ["negative r", derSignature([0x80], [1])],
    ["non-minimal r", derSignature([0, 1], [1])],
    ["empty s", derSignature([1], [])],
    ["r of 49 bytes", derSignature([1, ...new Uint8Array(48)], [1])],
    ["trailing byte", Uint8Array.of(...good, 0)],
    [
      "three integers",
      encodeDer(DER_TAG.SEQUENCE, good.subarray(2), encodeDer(2, new Uint8Array([3]))),
    ],
    ["one integer", encodeDer(DER_TAG.SEQUENCE, encodeDer(2, new Uint8Array([3])))],
    [
      "octet string inside",
      encodeDer(
        DER_TAG.SEQUENCE,
        encodeDer(4, new Uint8Array([1])),
        encodeDer(2, new Uint8Array([1])),
      ),
    ],
    ["not a sequence", encodeDer(DER_TAG.OCTET_STRING, good.subarray(2))],
    ["long-form length", new Uint8Array([0x30, 0x81, 0x06, ...good.subarray(2)])],
    ["indefinite length", new Uint8Array([0x30, 0x80, ...good.subarray(2), 0, 0])],
    ["empty", new Uint8Array(0)],
  ];
  for (const [name, bytes] of cases) {
    assert.throws(() => ecdsaDerToP1363(bytes), ValidationError, name);
  }
  assert.throws(() => ecdsaDerToP1363("30" as unknown as Uint8Array), ValidationError);
  assert.throws(() => ecdsaP1363ToDer(new Uint8Array(95)), /96 bytes/);
});

// ---------------------------------------------------------------------------------------------
// P-384 keys

Deno.test("P-384 keys: other PKCS#8 forms are parsed and made canonical", () => {
  const d = decodeHex(alice.d_hex);
  const point = p384PointFromScalar(d);
  const canonical = b64(alice.private_pkcs8_der_b64url);
  const algorithm = encodeDer(
    DER_TAG.SEQUENCE,
    decodeHex("06072a8648ce3d0201"),
    decodeHex("06052b81040022"),
  );
  const wrap = (ecPrivateKey: Uint8Array) =>
    encodeDer(
      DER_TAG.SEQUENCE,
      decodeHex("020100"),
      algorithm,
      encodeDer(DER_TAG.OCTET_STRING, ecPrivateKey),
    );
  const withoutPublic = wrap(
    encodeDer(DER_TAG.SEQUENCE, decodeHex("020101"), encodeDer(DER_TAG.OCTET_STRING, d)),
  );
  const withParameters = wrap(encodeDer(
    DER_TAG.SEQUENCE,
    decodeHex("020101"),
    encodeDer(DER_TAG.OCTET_STRING, d),
    encodeDer(DER_TAG.CONTEXT_0, decodeHex("06052b81040022")),
    encodeDer(DER_TAG.CONTEXT_1, encodeDer(DER_TAG.BIT_STRING, new Uint8Array([0]), point)),
  ));
  assert.equal(parseP384PrivateKey(withoutPublic).point, undefined);
  assert.deepEqual(canonicalP384PrivateKey(withoutPublic, "Key", false), canonical);
  assert.deepEqual(canonicalP384PrivateKey(withParameters, "Key", true), canonical);
  const wrongCurve = wrap(encodeDer(
    DER_TAG.SEQUENCE,
    decodeHex("020101"),
    encodeDer(DER_TAG.OCTET_STRING, d),
    encodeDer(DER_TAG.CONTEXT_0, decodeHex("06082a8648ce3d030107")),
  ));
  assert.throws(() => parseP384PrivateKey(wrongCurve), /other than P-384/);
  const withTrailingField = wrap(encodeDer(
    DER_TAG.SEQUENCE,
    decodeHex("020101"),
    encodeDer(DER_TAG.OCTET_STRING, d),
    decodeHex("020100"),
  ));
  assert.throws(() => parseP384PrivateKey(withTrailingField), /unexpected ECPrivateKey fields/);
  assert.throws(() => parseP384PrivateKey(Uint8Array.of(...canonical, 0)), /trailing bytes/);
  assert.throws(() => parseP384PrivateKey(b64(alice.public_spki_der_b64url)), ValidationError);
});

Deno.test("P-384 keys: compressed SPKI points are accepted and re-encoded uncompressed", () => {
  const uncompressed = parseP384PublicKey(b64(bob.public_spki_der_b64url));
  const compressed = new Uint8Array(49);
  compressed[0] = 0x02 | (uncompressed[96]! & 1);
  compressed.set(uncompressed.subarray(1, 49), 1);
  const spki = encodeDer(
    DER_TAG.SEQUENCE,
    b64(bob.public_spki_der_b64url).subarray(2, 20),
    encodeDer(DER_TAG.BIT_STRING, new Uint8Array([0]), compressed),
  );
  assert.deepEqual(parseP384PublicKey(spki), uncompressed);
  assert.deepEqual(encodeP384PublicKey(compressed), b64(bob.public_spki_der_b64url));
});

Deno.test("P-384 keys: scalars outside [1, n−1] and bad points are refused", () => {
  assert.throws(() => validateP384Scalar(new Uint8Array(48), "d"), /range/);
  assert.throws(() => validateP384Scalar(bigIntBytes(P384_ORDER, 48), "d"), /range/);
  assert.equal(validateP384Scalar(bigIntBytes(P384_ORDER - 1n, 48), "d").length, 48);
  assert.throws(() => validateP384Scalar(new Uint8Array(49).fill(1), "d"), /1 to 48 bytes/);
  assert.throws(() => encodeP384PrivateKey(new Uint8Array(48)), ValidationError);
  assert.throws(() => encodeP384PublicKey(new Uint8Array(97)), /97-byte uncompressed/);
  const offCurve = parseP384PublicKey(b64(alice.public_spki_der_b64url)).slice();
  offCurve[96]! ^= 1;
  assert.throws(() => encodeP384PublicKey(offCurve), /not a point on P-384/);
});

Deno.test("P-384 keys: JWKs of the wrong curve, size or with mismatched x/y are refused", () => {
  assert.throws(() => p384PublicKeyFromJwk({ ...alice.public_jwk, crv: "P-256" }), /P-384/);
  assert.throws(() => p384PublicKeyFromJwk({ ...alice.public_jwk, kty: "OKP" }), /kty "EC"/);
  assert.throws(() => p384PublicKeyFromJwk({ ...alice.public_jwk, x: "AAAA" }), /48 bytes/);
  assert.throws(() => p384PublicKeyFromJwk({ kty: "EC", crv: "P-384", x: 1 }), /"x" string/);
  assert.throws(() => p384PublicKeyFromJwk(null), /must be a JWK/);
  assert.throws(
    () => p384PrivateKeyFromJwk({ ...alice.private_jwk, x: bob.public_jwk.x, y: bob.public_jwk.y }),
    /do not match/,
  );
  assert.throws(() => p384PrivateKeyFromJwk(alice.public_jwk), /"d" string/);
});

Deno.test("P-384 seed scalars: (c mod (n−1)) + 1 stays in range at the edges", () => {
  assert.equal(encodeHex(p384ScalarFromBytes(new Uint8Array(56))), "00".repeat(47) + "01");
  const max = p384ScalarFromBytes(new Uint8Array(56).fill(0xff));
  const expected = ((1n << 448n) - 1n) % (P384_ORDER - 1n) + 1n;
  assert.deepEqual(max, bigIntBytes(expected, 48));
  assert.throws(() => p384ScalarFromBytes(new Uint8Array(55)), /at least 56 bytes/);
});
