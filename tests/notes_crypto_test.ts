import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { decodeBase64Url } from "../lib/crypto/encoding.ts";
import { encryptField } from "../lib/crypto/fields.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { decryptNote, encryptNote, type NoteCryptoFields } from "../lib/crypto/note_crypto.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import type { CryptoSuite, KeyPair } from "../lib/crypto/suite.ts";
import { signField, TFSP1_NIST_VERSION, verifyField } from "../lib/crypto/tfsp1.ts";

interface NoteKeys {
  x25519_sk_b64url?: string;
  x25519_pk_b64url?: string;
  ed25519_sk64_b64url: string;
  ed25519_pk_b64url: string;
}
interface PerField {
  dk_b64url: string;
  efN_b64url: string;
  edkN_b64url: string;
}
interface NoteVector {
  id: string;
  inputs: {
    writer: string;
    recipient: string;
    recipient_x25519_pk_b64url?: string;
    recipient_ed25519_pk_b64url?: string;
    ak_b64url: string;
    eak_nonce_b64url: string;
    object_salt: string;
    signature_salt: string;
    data: Record<string, string>;
    field_order: string[];
    per_field: Record<string, PerField>;
  };
  intermediate: {
    signature_field_plaintext: string;
    signed_field_plaintexts: Record<string, string>;
  };
  note: NoteCryptoFields;
  decrypt_with: { recipient_x25519_sk_b64url: string };
  expected_decrypted: { object_salt: string; data: Record<string, string> };
}
interface NoteMustFail {
  id: string;
  note: NoteCryptoFields;
  decrypt_with: { recipient_x25519_sk_b64url: string };
}
interface NotesFile {
  keys: Record<string, NoteKeys>;
  vectors: NoteVector[];
  must_fail: NoteMustFail[];
}

const file: NotesFile = JSON.parse(
  await Deno.readTextFile(new URL("./vectors/notes.json", import.meta.url)),
);
const sodium = await sodiumSuite();
const nist = await nistSuite();
const b = (text: string) => decodeBase64Url(text);

function keys(reference: string): NoteKeys {
  const found = file.keys[reference.replace(/^keys\./, "")];
  assert.ok(found, `unknown key ${reference}`);
  return found;
}

function writerKeys(reference: string): { encryption: KeyPair; signing: KeyPair } {
  const k = keys(reference);
  return {
    encryption: { publicKey: b(k.x25519_pk_b64url!), privateKey: b(k.x25519_sk_b64url!) },
    signing: { publicKey: b(k.ed25519_pk_b64url), privateKey: b(k.ed25519_sk64_b64url) },
  };
}

function recipientPublicKeys(v: NoteVector): { encryption: string; signing: string } {
  if (v.inputs.recipient_x25519_pk_b64url !== undefined) {
    return {
      encryption: v.inputs.recipient_x25519_pk_b64url,
      signing: v.inputs.recipient_ed25519_pk_b64url!,
    };
  }
  const k = keys(v.inputs.recipient);
  return { encryption: k.x25519_pk_b64url!, signing: k.ed25519_pk_b64url };
}

for (const v of file.vectors) {
  Deno.test(`notes vector ${v.id}: encryptNote reproduces the wire note`, async () => {
    const writer = writerKeys(v.inputs.writer);
    const recipient = recipientPublicKeys(v);
    const data = Object.fromEntries(v.inputs.field_order.map((k) => [k, v.inputs.data[k]!]));
    const fields = Object.fromEntries(
      Object.entries(v.inputs.per_field).map(([k, f]) => [k, {
        dataKey: b(f.dk_b64url),
        fieldNonce: b(f.efN_b64url),
        dataKeyNonce: b(f.edkN_b64url),
      }]),
    );
    const note = await encryptNote(sodium, {
      data,
      recipientEncryptionKey: b(recipient.encryption),
      recipientSigningKey: b(recipient.signing),
      writerKeys: writer,
      fixed: {
        accessKey: b(v.inputs.ak_b64url),
        accessKeyNonce: b(v.inputs.eak_nonce_b64url),
        objectSalt: v.inputs.object_salt,
        signatureSalt: v.inputs.signature_salt,
        fields,
      },
    });
    assert.deepEqual(note, v.note);
    assert.deepEqual(Object.keys(note.data), v.inputs.field_order);
  });

  Deno.test(`notes vector ${v.id}: intermediate TFSP1 plaintexts`, async () => {
    const writer = writerKeys(v.inputs.writer);
    const signature = await signField(
      sodium,
      "signature",
      v.inputs.object_salt,
      writer.signing.privateKey,
      v.inputs.signature_salt,
    );
    assert.equal(signature, v.intermediate.signature_field_plaintext);
    for (const [k, value] of Object.entries(v.inputs.data)) {
      const signed = await signField(
        sodium,
        k,
        value,
        writer.signing.privateKey,
        v.inputs.object_salt,
      );
      assert.equal(signed, v.intermediate.signed_field_plaintexts[k]);
    }
    const objectSalt = await verifyField(
      sodium,
      "signature",
      v.note.signature,
      writer.signing.publicKey,
    );
    assert.equal(objectSalt, v.expected_decrypted.object_salt);
  });

  Deno.test(`notes vector ${v.id}: decryptNote returns the data`, async () => {
    const data = await decryptNote(sodium, v.note, b(v.decrypt_with.recipient_x25519_sk_b64url));
    assert.deepEqual(data, v.expected_decrypted.data);
  });
}

for (const v of file.must_fail) {
  Deno.test(`notes must_fail ${v.id}`, async () => {
    await assert.rejects(
      decryptNote(sodium, v.note, b(v.decrypt_with.recipient_x25519_sk_b64url)),
      IntegrityError,
    );
  });
}

// ---- behaviour beyond the vectors ---------------------------------------------------------------

async function freshParties(suite: CryptoSuite) {
  return {
    writer: {
      encryption: await suite.generateEncryptionKeyPair(),
      signing: await suite.generateSigningKeyPair(),
    },
    recipient: await suite.generateEncryptionKeyPair(),
    recipientSigning: await suite.generateSigningKeyPair(),
  };
}

Deno.test("notes Python's lower-case mode is accepted; a foreign mode is refused", async () => {
  const v = file.vectors[0]!;
  const sk = b(v.decrypt_with.recipient_x25519_sk_b64url);
  const data = await decryptNote(sodium, { ...v.note, mode: "sodium" }, sk);
  assert.deepEqual(data, v.expected_decrypted.data);
  await assert.rejects(decryptNote(sodium, { ...v.note, mode: "NIST" }, sk), ValidationError);
});

Deno.test("notes a field that decrypts but is not TFSP1-signed fails", async () => {
  const v = file.vectors[0]!;
  const unsigned = await encryptField(sodium, b(v.inputs.ak_b64url), "data");
  const note = { ...v.note, data: { ...v.note.data, secret: unsigned } };
  await assert.rejects(
    decryptNote(sodium, note, b(v.decrypt_with.recipient_x25519_sk_b64url)),
    IntegrityError,
  );
});

Deno.test("notes malformed notes are ValidationErrors", async () => {
  const v = file.vectors[0]!;
  const sk = b(v.decrypt_with.recipient_x25519_sk_b64url);
  const bad = [
    null,
    { ...v.note, writer_signing_key: 5 },
    { ...v.note, writer_signing_key: "AAAA" },
    { ...v.note, data: null },
    { ...v.note, mode: undefined },
  ] as unknown as NoteCryptoFields[];
  for (const note of bad) await assert.rejects(decryptNote(sodium, note, sk), ValidationError);
});

Deno.test("notes encryptNote validates its inputs", async () => {
  const p = await freshParties(sodium);
  const base = {
    data: { a: "1" },
    recipientEncryptionKey: p.recipient.publicKey,
    writerKeys: p.writer,
  };
  const bad = [
    { ...base, data: { a: 1 } },
    { ...base, data: null },
    { ...base, recipientEncryptionKey: new Uint8Array(31) },
    { ...base, writerKeys: { encryption: p.writer.encryption } },
    { ...base, writerKeys: { ...p.writer, signing: { publicKey: new Uint8Array(32) } } },
  ] as unknown as Parameters<typeof encryptNote>[1][];
  for (const input of bad) await assert.rejects(encryptNote(sodium, input), ValidationError);
});

for (const suite of [sodium, nist]) {
  Deno.test(`notes ${suite.name}: random round trip, fresh salts each time`, async () => {
    const p = await freshParties(suite);
    const input = {
      data: { secret: "data", empty: "", unicode: "Grüße 👋", "10": "integer-like key" },
      recipientEncryptionKey: p.recipient.publicKey,
      recipientSigningKey: p.recipientSigning.publicKey,
      writerKeys: p.writer,
    };
    const a = await encryptNote(suite, input);
    const b2 = await encryptNote(suite, input);
    assert.equal(a.mode, suite.name);
    assert.equal(a.recipient_signing_key, suite.encodePublicKey(p.recipientSigning.publicKey));
    assert.notEqual(a.signature, b2.signature);
    assert.deepEqual(await decryptNote(suite, a, p.recipient.privateKey), input.data);
    const { recipientSigningKey: _, ...anonymousInput } = input;
    const withoutRecipientKey = await encryptNote(suite, anonymousInput);
    assert.equal("recipient_signing_key" in withoutRecipientKey, false);
  });

  Deno.test(`notes ${suite.name}: tampering fails as IntegrityError`, async () => {
    const p = await freshParties(suite);
    const stranger = await freshParties(suite);
    const note = await encryptNote(suite, {
      data: { secret: "data", other: "x" },
      recipientEncryptionKey: p.recipient.publicKey,
      writerKeys: p.writer,
    });
    const sk = p.recipient.privateKey;
    const tampered: NoteCryptoFields[] = [
      { ...note, signature: "" },
      {
        ...note,
        signature: note.signature.slice(0, -1) + (note.signature.endsWith("0") ? "1" : "0"),
      },
      { ...note, data: { secret: note.data.other!, other: note.data.secret! } },
      { ...note, writer_signing_key: suite.encodePublicKey(stranger.writer.signing.publicKey) },
      {
        ...note,
        writer_encryption_key: suite.encodePublicKey(stranger.writer.encryption.publicKey),
      },
    ];
    for (const t of tampered) await assert.rejects(decryptNote(suite, t, sk), IntegrityError);
    await assert.rejects(decryptNote(suite, note, stranger.recipient.privateKey), IntegrityError);
  });
}

Deno.test("notes NIST: fields are signed under the NIST TFSP1 version", async () => {
  const p = await freshParties(nist);
  const note = await encryptNote(nist, {
    data: { a: "1" },
    recipientEncryptionKey: p.recipient.publicKey,
    writerKeys: p.writer,
  });
  assert.ok(note.signature.startsWith(`${TFSP1_NIST_VERSION};`));
  await assert.rejects(decryptNote(sodium, note, new Uint8Array(32)), ValidationError);
});
