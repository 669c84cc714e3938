import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { encodeBase64Url, encodeHex } from "../lib/crypto/encoding.ts";
import { deriveNoteCredentials } from "../lib/crypto/identity_credentials.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";

interface IdentityVector {
  id: string;
  username: string;
  realm_name: string;
  password: string;
  expected: {
    name_seed: string;
    note_name: string;
    x25519_seed_hex: string;
    x25519_pk_b64url: string;
    x25519_sk_b64url: string;
    signing_salt: string;
    ed25519_seed_hex: string;
    ed25519_pk_b64url: string;
    ed25519_sk64_b64url: string;
  };
}

const file: { vectors: IdentityVector[] } = JSON.parse(
  await Deno.readTextFile(new URL("./vectors/identity_derive.json", import.meta.url)),
);
const sodium = await sodiumSuite();
const nist = await nistSuite();

for (const v of file.vectors) {
  Deno.test(`identity vector ${v.id}: note name and key pairs`, async () => {
    const creds = await deriveNoteCredentials(sodium, v.username, v.password, v.realm_name);
    const e = v.expected;
    assert.equal(creds.nameSeed, e.name_seed);
    assert.equal(creds.noteName, e.note_name);
    assert.equal(encodeBase64Url(creds.encryptionKeys.publicKey), e.x25519_pk_b64url);
    assert.equal(encodeBase64Url(creds.encryptionKeys.privateKey), e.x25519_sk_b64url);
    assert.equal(e.signing_salt, e.x25519_pk_b64url + e.x25519_sk_b64url);
    assert.equal(encodeBase64Url(creds.signingKeys.publicKey), e.ed25519_pk_b64url);
    assert.equal(encodeBase64Url(creds.signingKeys.privateKey), e.ed25519_sk64_b64url);
    assert.equal(encodeHex(creds.signingKeys.privateKey.slice(0, 32)), e.ed25519_seed_hex);
  });
}

Deno.test("identity spec §3.9 vector (FRED / IntegrationTest)", async () => {
  const creds = await deriveNoteCredentials(
    sodium,
    "FRED",
    "correcthorsebatterystaple",
    "IntegrationTest",
  );
  assert.equal(creds.nameSeed, "fred@realm:IntegrationTest");
  assert.equal(creds.noteName, "h7ybsbRZfkmvt8Xib2I9RbOLOX1igfHHgey7rH_SZRM");
  assert.equal(
    encodeBase64Url(creds.encryptionKeys.publicKey),
    "Ei8BaVIoaEXSJ_LCfWyDquEUYzGzFLDh1dSnVLEYRTE",
  );
  assert.equal(
    encodeBase64Url(creds.encryptionKeys.privateKey),
    "UE4LcHTiGySNgvRkfftLyBCEepMJpLAA1XsBz1g4yGw",
  );
  assert.equal(
    encodeBase64Url(creds.signingKeys.publicKey),
    "SFIFdByyg7T-YVnZ2I7k1hOhA5ZZhOLSdjlkxA0xzA0",
  );
  assert.equal(
    encodeBase64Url(creds.signingKeys.privateKey),
    "TAUD9JVnwTu5r9_bCWPw0h8Fa3_k6tqlodfeS1QI-VVIUgV0HLKDtP5hWdnYjuTWE6EDllmE4tJ2OWTEDTHMDQ",
  );
});

Deno.test("identity the realm name is not lower-cased; the username is", async () => {
  const a = await deriveNoteCredentials(sodium, "alice", "pw", "ArcaRealm");
  const upper = await deriveNoteCredentials(sodium, "ALICE", "pw", "ArcaRealm");
  const realm = await deriveNoteCredentials(sodium, "alice", "pw", "arcarealm");
  assert.equal(upper.noteName, a.noteName);
  assert.deepEqual(upper.signingKeys, a.signingKeys);
  assert.notEqual(realm.noteName, a.noteName);
});

Deno.test("identity rejects empty or non-string inputs", async () => {
  const bad: [string, string, string][] = [
    ["", "pw", "Realm"],
    ["alice", "", "Realm"],
    ["alice", "pw", ""],
    [null as unknown as string, "pw", "Realm"],
    ["alice", 5 as unknown as string, "Realm"],
  ];
  for (const [user, password, realm] of bad) {
    await assert.rejects(deriveNoteCredentials(sodium, user, password, realm), ValidationError);
  }
});

Deno.test("identity NIST: deterministic, password-bound, SHA-384 note name", async () => {
  const a = await deriveNoteCredentials(nist, "Alice", "pw", "ArcaRealm");
  const again = await deriveNoteCredentials(nist, "alice", "pw", "ArcaRealm");
  const other = await deriveNoteCredentials(nist, "alice", "pw2", "ArcaRealm");
  const sodiumCreds = await deriveNoteCredentials(sodium, "alice", "pw", "ArcaRealm");
  assert.equal(a.noteName.length, 64);
  assert.equal(a.noteName, again.noteName);
  assert.deepEqual(a.encryptionKeys, again.encryptionKeys);
  assert.deepEqual(a.signingKeys, again.signingKeys);
  assert.equal(other.noteName, a.noteName);
  assert.notDeepEqual(other.signingKeys.publicKey, a.signingKeys.publicKey);
  assert.notDeepEqual(other.encryptionKeys.publicKey, a.encryptionKeys.publicKey);
  assert.notEqual(a.noteName, sodiumCreds.noteName);
  const message = new TextEncoder().encode("login");
  const signature = await nist.sign(message, a.signingKeys.privateKey);
  assert.equal(await nist.verify(signature, message, again.signingKeys.publicKey), true);
});
