/**
 * The NIST cipher suite (E3DB's `CRYPTO_SUITE=NIST`, extended by Arca to signing, files and
 * notes): ECDH P-384 + HKDF-SHA384 + AES-256-GCM boxes, AES-256-GCM secret boxes, ECDSA P-384 /
 * SHA-384 (IEEE P1363), SHA-384, PBKDF2-SHA384 and an AES-256-GCM chunk stream — all through Web
 * Crypto, with `@noble/curves` for point validation and deriving public keys. Formats are in
 * `docs/nist.md`.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { concatBytes, decodeBase64Url, encodeBase64Url, fromUtf8, utf8 } from "./encoding.ts";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdsaP384Sign,
  ecdsaP384Verify,
  hkdfSha384,
  p384BoxKey,
  pbkdf2Sha384,
  sha384,
} from "./_nist_primitives.ts";
import {
  NIST_STREAM_CHUNK_OVERHEAD,
  NIST_STREAM_HEADER_BYTES,
  nistStreamPull,
  nistStreamPush,
} from "./_nist_stream.ts";
import {
  canonicalP384PrivateKey,
  encodeP384PrivateKey,
  encodeP384PublicKey,
  p384PointFromScalar,
  p384ScalarFromBytes,
  parseP384PrivateKey,
  parseP384PublicKey,
} from "./_p384_keys.ts";
import { decodePem, encodePem } from "./_pem.ts";
import type {
  CryptoSuite,
  KeyPair,
  PasswordKdfParams,
  StreamPuller,
  StreamPusher,
} from "./suite.ts";
import { randomBytes, requireBytes, requireUint8Array } from "./bytes.ts";

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
const SEED_BYTES = 32;
/** HKDF output reduced to a scalar: 384 + 64 bits, as FIPS 186-5 A.2.1 asks. */
const SEED_SCALAR_SOURCE_BYTES = 56;
const ENCRYPTION_SEED_INFO = utf8("arca p384 encryption key v1");
const SIGNING_SEED_INFO = utf8("arca p384 signing key v1");
/** PBKDF2-SHA384 cost: OWASP's 2023 floor for PBKDF2-HMAC-SHA256, the lower cost of the two. */
const PBKDF2_ITERATIONS = 600_000;
const PBKDF2_MAX_ITERATIONS = 10_000_000;
const PBKDF2_SALT_BYTES = 16;
const PBKDF2_MAX_SALT_BYTES = 1024;
const PUBLIC_PEM_LABEL = "PUBLIC KEY";
const PRIVATE_PEM_LABEL = "PRIVATE KEY";

/** A key pair in canonical form from a private scalar and (when known) its public point. */
function keyPairFromScalar(scalar: Uint8Array, point?: Uint8Array): KeyPair {
  const publicPoint = point ?? p384PointFromScalar(scalar);
  return {
    publicKey: encodeP384PublicKey(publicPoint),
    privateKey: encodeP384PrivateKey(scalar, publicPoint),
  };
}

async function generateKeyPair(name: "ECDH" | "ECDSA"): Promise<KeyPair> {
  const usages: KeyUsage[] = name === "ECDH" ? ["deriveBits"] : ["sign", "verify"];
  const pair = await crypto.subtle.generateKey({ name, namedCurve: "P-384" }, true, usages);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const { scalar, point } = parseP384PrivateKey(pkcs8, "Generated private key");
  return keyPairFromScalar(scalar, point);
}

/** Seed → key pair: d = (HKDF-SHA384(seed, salt = empty, info, 56 bytes) mod (n − 1)) + 1. */
async function keyPairFromSeed(seed: Uint8Array, info: Uint8Array): Promise<KeyPair> {
  requireBytes(seed, SEED_BYTES, "Key seed");
  const source = await hkdfSha384(seed, new Uint8Array(0), info, SEED_SCALAR_SOURCE_BYTES);
  return keyPairFromScalar(p384ScalarFromBytes(source));
}

function keyText(der: Uint8Array, label: string): string {
  return encodeBase64Url(utf8(encodePem(label, der)));
}

function keyDer(text: string, label: string, what: string): Uint8Array {
  if (typeof text !== "string") throw new ValidationError(`${what} must be a string`);
  const pem = fromUtf8(decodeBase64Url(text, what), `${what} PEM`);
  return decodePem(pem, label, `${what} PEM`);
}

function requirePasswordParams(params: PasswordKdfParams): Uint8Array {
  if (params === null || typeof params !== "object") {
    throw new ValidationError("Password KDF parameters must be an object");
  }
  if (params.algorithm !== "pbkdf2-sha384") {
    throw new ValidationError(`NIST suite cannot derive with "${params.algorithm}"`);
  }
  const salt = decodeBase64Url(params.salt, "KDF salt");
  if (salt.length < PBKDF2_SALT_BYTES || salt.length > PBKDF2_MAX_SALT_BYTES) {
    throw new ValidationError(
      `KDF salt must be ${PBKDF2_SALT_BYTES} to ${PBKDF2_MAX_SALT_BYTES} bytes, got ${salt.length}`,
    );
  }
  const iterations = params.iterations;
  if (
    !Number.isSafeInteger(iterations) || iterations < PBKDF2_ITERATIONS ||
    iterations > PBKDF2_MAX_ITERATIONS
  ) {
    throw new ValidationError(
      `PBKDF2 iterations must be ${PBKDF2_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS}, got ${iterations}`,
    );
  }
  if (params.memory !== 0) {
    throw new ValidationError(`PBKDF2 memory must be 0, got ${params.memory}`);
  }
  return salt;
}

/** The NIST suite: a {@linkcode CryptoSuite} whose `streamPush` also takes a fixed header. */
export interface NistSuite extends CryptoSuite {
  /** Starts an encrypting stream; `fixedHeader` (24 bytes) is for reproducing vectors only. */
  streamPush(key: Uint8Array, fixedHeader?: Uint8Array): Promise<StreamPusher>;
}

function createNistSuite(): NistSuite {
  return {
    name: "NIST",
    publicKeyType: "p384",
    signingKeyType: "p384",
    keyBytes: KEY_BYTES,
    nonceBytes: NONCE_BYTES,
    streamChunkOverhead: NIST_STREAM_CHUNK_OVERHEAD,
    streamHeaderBytes: NIST_STREAM_HEADER_BYTES,
    aeadNonceBytes: NONCE_BYTES,
    aeadTagBytes: GCM_TAG_BYTES,
    randomBytes,

    generateEncryptionKeyPair(): Promise<KeyPair> {
      return generateKeyPair("ECDH");
    },
    generateSigningKeyPair(): Promise<KeyPair> {
      return generateKeyPair("ECDSA");
    },
    encryptionKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair> {
      return keyPairFromSeed(seed, ENCRYPTION_SEED_INFO);
    },
    signingKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair> {
      return keyPairFromSeed(seed, SIGNING_SEED_INFO);
    },

    encodePublicKey(key: Uint8Array): string {
      return keyText(encodeP384PublicKey(parseP384PublicKey(key)), PUBLIC_PEM_LABEL);
    },
    decodePublicKey(text: string): Uint8Array {
      const der = keyDer(text, PUBLIC_PEM_LABEL, "Public key");
      return encodeP384PublicKey(parseP384PublicKey(der));
    },
    encodePrivateKey(key: Uint8Array): string {
      return keyText(canonicalP384PrivateKey(key, "Private key", false), PRIVATE_PEM_LABEL);
    },
    decodePrivateKey(text: string): Uint8Array {
      const der = keyDer(text, PRIVATE_PEM_LABEL, "Private key");
      return canonicalP384PrivateKey(der, "Private key", true);
    },

    async secretEncrypt(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array) {
      requireUint8Array(plaintext, "Plaintext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(key, KEY_BYTES, "Key");
      return await aesGcmEncrypt(key, nonce, plaintext);
    },
    async secretDecrypt(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array) {
      requireUint8Array(ciphertext, "Ciphertext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(key, KEY_BYTES, "Key");
      return await aesGcmDecrypt(key, nonce, ciphertext);
    },

    async aeadSeal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array) {
      requireBytes(key, KEY_BYTES, "AEAD key");
      requireUint8Array(plaintext, "Plaintext");
      requireUint8Array(associatedData, "Associated data");
      const nonce = randomBytes(NONCE_BYTES);
      return concatBytes(nonce, await aesGcmEncrypt(key, nonce, plaintext, associatedData));
    },
    async aeadOpen(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array) {
      requireBytes(key, KEY_BYTES, "AEAD key");
      requireUint8Array(sealed, "Sealed data");
      requireUint8Array(associatedData, "Associated data");
      if (sealed.length < NONCE_BYTES + GCM_TAG_BYTES) {
        throw new IntegrityError(
          `Sealed data of ${sealed.length} bytes is shorter than nonce and tag`,
        );
      }
      const nonce = sealed.subarray(0, NONCE_BYTES);
      return await aesGcmDecrypt(key, nonce, sealed.subarray(NONCE_BYTES), associatedData);
    },

    async boxEncrypt(plaintext, nonce, recipientPublicKey, senderPrivateKey) {
      requireUint8Array(plaintext, "Plaintext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      const key = await p384BoxKey(
        senderPrivateKey,
        recipientPublicKey,
        "Sender private key",
        "Recipient public key",
      );
      return aesGcmEncrypt(key, nonce, plaintext);
    },
    async boxDecrypt(ciphertext, nonce, senderPublicKey, recipientPrivateKey) {
      requireUint8Array(ciphertext, "Ciphertext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      const key = await p384BoxKey(
        recipientPrivateKey,
        senderPublicKey,
        "Recipient private key",
        "Sender public key",
      );
      try {
        return await aesGcmDecrypt(key, nonce, ciphertext);
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error;
        throw new IntegrityError("Ciphertext failed authentication (P-384 box)", { cause: error });
      }
    },

    async sign(message: Uint8Array, privateKey: Uint8Array) {
      requireUint8Array(message, "Message");
      return await ecdsaP384Sign(message, privateKey);
    },
    async verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) {
      requireUint8Array(message, "Message");
      return await ecdsaP384Verify(signature, message, publicKey);
    },
    async hash(message: Uint8Array) {
      requireUint8Array(message, "Message");
      return await sha384(message);
    },

    newPasswordKdfParams(): PasswordKdfParams {
      return {
        algorithm: "pbkdf2-sha384",
        salt: encodeBase64Url(randomBytes(PBKDF2_SALT_BYTES)),
        iterations: PBKDF2_ITERATIONS,
        memory: 0,
      };
    },
    async deriveKeyFromPassword(password: string, params: PasswordKdfParams) {
      if (typeof password !== "string" || password.length === 0) {
        throw new ValidationError("Password must be a non-empty string");
      }
      const salt = requirePasswordParams(params);
      return await pbkdf2Sha384(utf8(password), salt, params.iterations, KEY_BYTES);
    },

    async streamPush(key: Uint8Array, fixedHeader?: Uint8Array): Promise<StreamPusher> {
      return await nistStreamPush(key, fixedHeader);
    },
    async streamPull(header: Uint8Array, key: Uint8Array): Promise<StreamPuller> {
      return await nistStreamPull(header, key);
    },
  };
}

let suite: NistSuite | undefined;

/**
 * Returns the NIST suite (ECDH/ECDSA P-384, HKDF-SHA384, AES-256-GCM, SHA-384, PBKDF2-SHA384).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nistSuite } from "./nist.ts";
 * const suite = await nistSuite();
 * const alice = await suite.generateEncryptionKeyPair();
 * const bob = await suite.generateEncryptionKeyPair();
 * const nonce = suite.randomBytes(suite.nonceBytes);
 * const box = await suite.boxEncrypt(new Uint8Array([1, 2, 3]), nonce, bob.publicKey, alice.privateKey);
 * const opened = await suite.boxDecrypt(box, nonce, alice.publicKey, bob.privateKey);
 * assert.deepEqual(opened, new Uint8Array([1, 2, 3]));
 * ```
 */
export function nistSuite(): Promise<NistSuite> {
  suite ??= createNistSuite();
  return Promise.resolve(suite);
}
