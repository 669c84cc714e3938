/**
 * Note encryption: a one-way message from a writer to a recipient's key pair, every field
 * TFSP1-signed and then sealed as a dotted quad under a fresh access key.
 *
 * ```
 * encrypted_access_key = box(AK, nonce, recipient_pk, writer_sk) as "ct.nonce"
 * signature            = signField("signature", objectSalt, writer_signing_sk)   // own random salt
 * data[k]              = encryptField(signField(k, v, writer_signing_sk, objectSalt), AK)
 * ```
 *
 * Decryption verifies the note signature first, then opens the access key, then decrypts and
 * verifies every field under the object salt; any failure throws {@linkcode IntegrityError}.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { unwrapAccessKey, wrapAccessKey } from "./access_key.ts";
import { equalBytes } from "./bytes.ts";
import { decryptField, encryptField, type FieldRandomness } from "./fields.ts";
import type { CryptoSuite, KeyPair } from "./suite.ts";
import { isSignedField, signField, verifyField } from "./tfsp1.ts";
import { randomUuid } from "./uuid.ts";

/** The crypto-relevant fields of a note on the wire (server fields such as `note_id` omitted). */
export interface NoteCryptoFields {
  /** The cipher suite: `Sodium` or `NIST` (Python sends lower-case `sodium`). */
  mode: string;
  /** The writer's encryption public key (wire text). */
  writer_encryption_key: string;
  /** The writer's signing public key (wire text). */
  writer_signing_key: string;
  /** The recipient's signing public key (wire text); the server lets its holder read the note. */
  recipient_signing_key?: string;
  /** The access key boxed from the writer to the recipient, `ct.nonce`. */
  encrypted_access_key: string;
  /** The TFSP1-signed object salt. */
  signature: string;
  /** Field name → dotted quad of the TFSP1-signed value. */
  data: Record<string, string>;
}

/** Options of {@linkcode decryptNote}. */
export interface DecryptNoteOptions {
  /**
   * The signing key the writer must have: the note's own `writer_signing_key` must be this key,
   * and every signature is checked against it. Without it the note is checked against the key
   * it names, which proves only that the note is intact, not who wrote it.
   */
  writerSigningKey?: Uint8Array | undefined;
}

/** Fixed inputs for reproducing vectors; never used in normal operation. */
export interface NoteRandomness {
  /** The access key. */
  accessKey: Uint8Array;
  /** The nonce of the encrypted access key. */
  accessKeyNonce: Uint8Array;
  /** The salt every field is signed under. */
  objectSalt: string;
  /** The salt of the note signature itself. */
  signatureSalt: string;
  /** Per-field data keys and nonces. */
  fields: Record<string, FieldRandomness>;
}

/** What {@linkcode encryptNote} seals. */
export interface EncryptNoteInput {
  /** Field name → plaintext value. */
  data: Record<string, string>;
  /** The recipient's encryption public key. */
  recipientEncryptionKey: Uint8Array;
  /** The recipient's signing public key, sent as `recipient_signing_key` when given. */
  recipientSigningKey?: Uint8Array;
  /** The writer's encryption and signing key pairs. */
  writerKeys: { encryption: KeyPair; signing: KeyPair };
  /** Fixed randomness, for tests against vectors only. */
  fixed?: NoteRandomness;
}

function requireData(data: Record<string, string>): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError("Note data must be an object of strings");
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") {
      throw new ValidationError(`Note field "${key}" must be a string`);
    }
  }
}

function requireKeyPair(pair: KeyPair, what: string): void {
  if (
    pair === null || typeof pair !== "object" || !(pair.publicKey instanceof Uint8Array) ||
    !(pair.privateKey instanceof Uint8Array)
  ) {
    throw new ValidationError(`${what} must be a key pair of Uint8Arrays`);
  }
}

/**
 * Encrypts and signs a note for a recipient; returns its wire fields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptNote, encryptNote } from "./note_crypto.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const writerKeys = {
 *   encryption: await suite.generateEncryptionKeyPair(),
 *   signing: await suite.generateSigningKeyPair(),
 * };
 * const recipient = await suite.generateEncryptionKeyPair();
 * const note = await encryptNote(suite, {
 *   data: { secret: "data" },
 *   recipientEncryptionKey: recipient.publicKey,
 *   writerKeys,
 * });
 * assert.equal((await decryptNote(suite, note, recipient.privateKey)).secret, "data");
 * ```
 */
export async function encryptNote(
  suite: CryptoSuite,
  input: EncryptNoteInput,
): Promise<NoteCryptoFields> {
  requireData(input.data);
  requireKeyPair(input.writerKeys?.encryption, "Writer encryption keys");
  requireKeyPair(input.writerKeys?.signing, "Writer signing keys");
  const { fixed } = input;
  const signingKey = input.writerKeys.signing.privateKey;
  const accessKey = fixed?.accessKey ?? suite.randomBytes(suite.keyBytes);
  const objectSalt = fixed?.objectSalt ?? randomUuid();
  const encryptedAccessKey = await wrapAccessKey(
    suite,
    accessKey,
    input.recipientEncryptionKey,
    input.writerKeys.encryption.privateKey,
    fixed?.accessKeyNonce,
  );
  const signature = await signField(
    suite,
    "signature",
    objectSalt,
    signingKey,
    fixed?.signatureSalt ?? randomUuid(),
  );
  const data: [string, string][] = [];
  for (const [key, value] of Object.entries(input.data)) {
    const signed = await signField(suite, key, value, signingKey, objectSalt);
    data.push([key, await encryptField(suite, accessKey, signed, fixed?.fields[key])]);
  }
  return {
    mode: suite.name,
    writer_encryption_key: suite.encodePublicKey(input.writerKeys.encryption.publicKey),
    writer_signing_key: suite.encodePublicKey(input.writerKeys.signing.publicKey),
    ...(input.recipientSigningKey === undefined
      ? {}
      : { recipient_signing_key: suite.encodePublicKey(input.recipientSigningKey) }),
    encrypted_access_key: encryptedAccessKey,
    signature,
    data: Object.fromEntries(data),
  };
}

function requireNote(suite: CryptoSuite, note: NoteCryptoFields): void {
  if (note === null || typeof note !== "object") {
    throw new ValidationError("Note must be an object");
  }
  for (
    const name of [
      "mode",
      "writer_encryption_key",
      "writer_signing_key",
      "encrypted_access_key",
    ] as const
  ) {
    if (typeof note[name] !== "string") {
      throw new ValidationError(`Note "${name}" must be a string`);
    }
  }
  if (note.mode.toLowerCase() !== suite.name.toLowerCase()) {
    throw new ValidationError(`Note mode "${note.mode}" does not match the ${suite.name} suite`);
  }
  if (note.data === null || typeof note.data !== "object" || Array.isArray(note.data)) {
    throw new ValidationError("Note data must be an object");
  }
}

/** The key to verify with: the pinned key, which the note must name, or else the note's own. */
function pinnedSigningKey(
  suite: CryptoSuite,
  note: NoteCryptoFields,
  expected: Uint8Array | undefined,
): Uint8Array {
  const named = suite.decodePublicKey(note.writer_signing_key);
  if (expected === undefined) return named;
  if (!(expected instanceof Uint8Array)) {
    throw new ValidationError("Expected writer signing key must be a Uint8Array");
  }
  if (!equalBytes(named, expected)) {
    throw new IntegrityError("Note is signed by another key than the expected writer's");
  }
  return expected;
}

async function verifyNoteSignature(
  suite: CryptoSuite,
  signature: unknown,
  writerSigningKey: Uint8Array,
): Promise<string> {
  if (typeof signature !== "string" || !isSignedField(suite, signature)) {
    throw new IntegrityError("Note signature is missing or not a TFSP1 signature");
  }
  return await verifyField(suite, "signature", signature, writerSigningKey);
}

/**
 * Decrypts a note with the recipient's private encryption key, verifying the note signature and
 * every field's TFSP1 signature. An empty or unsigned signature, an unsigned field, a field signed
 * under another object salt, any failed MAC or signature, or (with `options.writerSigningKey`) a
 * note naming another writer signing key throws {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptNote, encryptNote } from "./note_crypto.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const writerKeys = {
 *   encryption: await suite.generateEncryptionKeyPair(),
 *   signing: await suite.generateSigningKeyPair(),
 * };
 * const recipient = await suite.generateEncryptionKeyPair();
 * const note = await encryptNote(suite, {
 *   data: { a: "1" },
 *   recipientEncryptionKey: recipient.publicKey,
 *   writerKeys,
 * });
 * note.signature = "";
 * await assert.rejects(decryptNote(suite, note, recipient.privateKey), { name: "IntegrityError" });
 * ```
 */
export async function decryptNote(
  suite: CryptoSuite,
  note: NoteCryptoFields,
  recipientPrivateEncryptionKey: Uint8Array,
  options: DecryptNoteOptions = {},
): Promise<Record<string, string>> {
  requireNote(suite, note);
  const writerSigningKey = pinnedSigningKey(suite, note, options.writerSigningKey);
  const writerEncryptionKey = suite.decodePublicKey(note.writer_encryption_key);
  const objectSalt = await verifyNoteSignature(suite, note.signature, writerSigningKey);
  const accessKey = await unwrapAccessKey(
    suite,
    note.encrypted_access_key,
    writerEncryptionKey,
    recipientPrivateEncryptionKey,
  );
  const data: [string, string][] = [];
  for (const [key, quad] of Object.entries(note.data)) {
    const signed = await decryptField(suite, accessKey, quad, key);
    if (!isSignedField(suite, signed)) {
      throw new IntegrityError(`Note field "${key}" is not TFSP1-signed`);
    }
    data.push([key, await verifyField(suite, key, signed, writerSigningKey, objectSalt)]);
  }
  return Object.fromEntries(data);
}
