import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { decodeBase64Url } from "../lib/crypto/encoding.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import {
  isSignedField,
  signField,
  TFSP1_NAMESPACE,
  TFSP1_NIST_VERSION,
  TFSP1_SODIUM_VERSION,
  tfsp1Version,
  verifyField,
} from "../lib/crypto/tfsp1.ts";
import { isUuid, uuidV5 } from "../lib/crypto/uuid.ts";

interface Tfsp1Key {
  ed25519_sk64_b64url: string;
  ed25519_pk_b64url: string;
}
interface SignVector {
  id: string;
  key: string;
  value: string;
  salt: string;
  signing_key: string;
  expected: { signed_field: string; signature_b64url: string };
}
interface VerifyVector {
  id: string;
  must_fail: boolean;
  key: string;
  field: string;
  public_key: string;
  expected_salt: string | null;
  expected_value?: string;
}
interface Tfsp1File {
  constants: { namespace: string; name: string; version: string };
  keys: Record<string, Tfsp1Key>;
  sign: SignVector[];
  verify: VerifyVector[];
}

const file: Tfsp1File = JSON.parse(
  await Deno.readTextFile(new URL("./vectors/tfsp1.json", import.meta.url)),
);
const sodium = await sodiumSuite();
const nist = await nistSuite();

function key(reference: string): Tfsp1Key {
  const found = file.keys[reference.replace(/^keys\./, "")];
  assert.ok(found, `unknown key ${reference}`);
  return found;
}
const privateKey = (reference: string) => decodeBase64Url(key(reference).ed25519_sk64_b64url);
const publicKey = (reference: string) => decodeBase64Url(key(reference).ed25519_pk_b64url);

Deno.test("tfsp1 version constants are the UUIDv5s they claim to be", async () => {
  assert.equal(TFSP1_NAMESPACE, file.constants.namespace);
  assert.equal(TFSP1_SODIUM_VERSION, file.constants.version);
  assert.equal(await uuidV5(TFSP1_NAMESPACE, file.constants.name), TFSP1_SODIUM_VERSION);
  assert.equal(await uuidV5(TFSP1_NAMESPACE, "TFSP1;ECDSA-P384;SHA384"), TFSP1_NIST_VERSION);
  assert.equal(tfsp1Version(sodium), TFSP1_SODIUM_VERSION);
  assert.equal(tfsp1Version(nist), TFSP1_NIST_VERSION);
  await assert.rejects(uuidV5("not-a-uuid", "x"), ValidationError);
});

for (const v of file.sign) {
  Deno.test(`tfsp1 sign ${v.id}: signField reproduces the field and verifies`, async () => {
    const signed = await signField(sodium, v.key, v.value, privateKey(v.signing_key), v.salt);
    assert.equal(signed, v.expected.signed_field);
    assert.equal(
      await verifyField(sodium, v.key, v.expected.signed_field, publicKey(v.signing_key), v.salt),
      v.value,
    );
  });
}

for (const v of file.verify) {
  Deno.test(`tfsp1 verify ${v.id}`, async () => {
    const verifying = verifyField(
      sodium,
      v.key,
      v.field,
      publicKey(v.public_key),
      v.expected_salt ?? undefined,
    );
    if (v.must_fail) {
      await assert.rejects(verifying, IntegrityError);
    } else {
      assert.equal(await verifying, v.expected_value);
    }
  });
}

Deno.test("tfsp1 signField without a salt uses a fresh random UUID", async () => {
  const a = await signField(sodium, "k", "v", privateKey("keys.signer"));
  const b = await signField(sodium, "k", "v", privateKey("keys.signer"));
  const saltA = a.split(";")[1]!;
  assert.ok(isUuid(saltA));
  assert.notEqual(saltA, b.split(";")[1]);
  assert.equal(await verifyField(sodium, "k", a, publicKey("keys.signer"), saltA), "v");
});

Deno.test("tfsp1 isSignedField compares the first part exactly", () => {
  assert.equal(isSignedField(sodium, `${TFSP1_SODIUM_VERSION};x;86;`), true);
  assert.equal(isSignedField(sodium, TFSP1_SODIUM_VERSION), true);
  assert.equal(isSignedField(sodium, TFSP1_SODIUM_VERSION.toUpperCase()), false);
  assert.equal(isSignedField(sodium, `${TFSP1_SODIUM_VERSION}x;a;86;`), false);
  assert.equal(isSignedField(nist, `${TFSP1_SODIUM_VERSION};x;86;`), false);
  assert.equal(isSignedField(nist, `${TFSP1_NIST_VERSION};x;128;`), true);
  assert.throws(() => isSignedField(sodium, 1 as unknown as string), ValidationError);
});

Deno.test("tfsp1 rejects bad inputs with ValidationError", async () => {
  const sk = privateKey("keys.signer");
  const pk = publicKey("keys.signer");
  await assert.rejects(signField(sodium, "k", "v", sk, "a;b"), ValidationError);
  await assert.rejects(signField(sodium, "k", "v", sk, ""), ValidationError);
  await assert.rejects(signField(sodium, "k", 5 as unknown as string, sk), ValidationError);
  await assert.rejects(signField(sodium, null as unknown as string, "v", sk), ValidationError);
  await assert.rejects(signField(sodium, "k", "v", new Uint8Array(32)), ValidationError);
  await assert.rejects(verifyField(sodium, "k", 5 as unknown as string, pk), ValidationError);
  const signed = file.sign[0]!.expected.signed_field;
  await assert.rejects(verifyField(sodium, "k", signed, new Uint8Array(3)), ValidationError);
  await assert.rejects(
    verifyField(sodium, "k", "x", "pk" as unknown as Uint8Array),
    ValidationError,
  );
  await assert.rejects(verifyField(sodium, "k", "x", pk, 7 as unknown as string), ValidationError);
});

Deno.test("tfsp1 a signature that is not base64url fails as IntegrityError", async () => {
  const field = `${TFSP1_SODIUM_VERSION};00000000-0000-4000-8000-0000000000a1;4;!!!!v`;
  await assert.rejects(verifyField(sodium, "k", field, publicKey("keys.signer")), IntegrityError);
});

// ---- NIST (Arca's own version) ------------------------------------------------------------------

Deno.test("tfsp1 NIST: round trip under the NIST version", async () => {
  const keys = await nist.generateSigningKeyPair();
  const salt = "00000000-0000-4000-8000-0000000000a1";
  const signed = await signField(nist, "greeting", "Grüße;", keys.privateKey, salt);
  assert.ok(signed.startsWith(`${TFSP1_NIST_VERSION};${salt};128;`));
  assert.ok(signed.endsWith("Grüße;"));
  assert.equal(await verifyField(nist, "greeting", signed, keys.publicKey, salt), "Grüße;");
  assert.equal(await verifyField(nist, "greeting", signed, keys.publicKey), "Grüße;");
});

Deno.test("tfsp1 NIST: tampering, wrong key, wrong salt and wrong name fail", async () => {
  const keys = await nist.generateSigningKeyPair();
  const other = await nist.generateSigningKeyPair();
  const salt = "00000000-0000-4000-8000-0000000000a1";
  const signed = await signField(nist, "k", "value", keys.privateKey, salt);
  const pk = keys.publicKey;
  await assert.rejects(verifyField(nist, "k", signed + "x", pk, salt), IntegrityError);
  await assert.rejects(verifyField(nist, "k", signed, other.publicKey, salt), IntegrityError);
  await assert.rejects(
    verifyField(nist, "k", signed, pk, "00000000-0000-4000-8000-0000000000a2"),
    IntegrityError,
  );
  await assert.rejects(verifyField(nist, "other", signed, pk, salt), IntegrityError);
  const edited = signed.replace(";128;", ";127;");
  await assert.rejects(verifyField(nist, "k", edited, pk, salt), IntegrityError);
});

Deno.test("tfsp1 the two suites never accept each other's fields as signed", async () => {
  const nistKeys = await nist.generateSigningKeyPair();
  const nistSigned = await signField(nist, "k", "v", nistKeys.privateKey);
  const sodiumSigned = await signField(sodium, "k", "v", privateKey("keys.signer"));
  // Under the other suite the version does not match, so the text is not a signed field at all.
  assert.equal(isSignedField(sodium, nistSigned), false);
  assert.equal(isSignedField(nist, sodiumSigned), false);
  assert.equal(await verifyField(nist, "k", sodiumSigned, nistKeys.publicKey), sodiumSigned);
});
