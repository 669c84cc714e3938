/**
 * The Sodium cipher suite (Arca's default, E3DB's default): X25519 `crypto_box`,
 * XSalsa20-Poly1305 `secretbox`, Ed25519, BLAKE2b-256, XChaCha20-Poly1305 secretstream, Argon2id.
 * The box's shared keys are memoised per key pair (`_box_shared_keys.ts`): same bytes, no
 * repeated X25519 for a party boxed to before.
 *
 * @module
 */
import sodium from "libsodium-wrappers-sumo";
import type { StateAddress } from "libsodium-wrappers-sumo";
import { IntegrityError, ValidationError } from "../errors.ts";
import { concatBytes, decodeBase64Url, encodeBase64Url } from "./encoding.ts";
import type {
  CryptoSuite,
  KeyPair,
  PasswordKdfParams,
  StreamPuller,
  StreamPusher,
} from "./suite.ts";
import { randomBytes, requireByteLengths, requireBytes, requireUint8Array } from "./bytes.ts";
import { chachaPolyDecrypt, chachaPolyEncrypt } from "./_sodium_primitives.ts";
import { BoxSharedKeys } from "./_box_shared_keys.ts";

const KEY_BYTES = 32;
/** The box shared keys of this process's Sodium suite (see `_box_shared_keys.ts`). */
const sharedKeys = new BoxSharedKeys();
const NONCE_BYTES = 24;
const STREAM_HEADER_BYTES = 24;
const STREAM_OVERHEAD = 17;
const AEAD_TAG_BYTES = 16;
const TAG_MESSAGE = 0;
const TAG_FINAL = 3;
/** Argon2id defaults: libsodium's "moderate" profile (3 passes, 256 MiB). */
const ARGON2_OPS = 3;
const ARGON2_MEMORY = 256 * 1024 * 1024;

function decodeKey(text: string, length: number, what: string): Uint8Array {
  const bytes = decodeBase64Url(text, what);
  if (bytes.length !== length) {
    throw new ValidationError(`${what} must decode to ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function secretboxOpen(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  try {
    return sodium.crypto_secretbox_open_easy(ciphertext, nonce, key);
  } catch {
    throw new IntegrityError("Ciphertext failed authentication (secretbox)");
  }
}

class SodiumPusher implements StreamPusher {
  readonly header: Uint8Array;
  readonly #state: StateAddress;

  constructor(key: Uint8Array, fixedHeader?: Uint8Array) {
    if (fixedHeader === undefined) {
      const started = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      this.header = started.header;
      this.#state = started.state;
    } else {
      // init_push is a random header followed by exactly init_pull's state set-up.
      requireBytes(fixedHeader, STREAM_HEADER_BYTES, "Stream header");
      this.header = fixedHeader;
      this.#state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(fixedHeader, key);
    }
  }

  push(chunk: Uint8Array, final: boolean): Promise<Uint8Array> {
    requireUint8Array(chunk, "Stream chunk");
    return Promise.resolve(
      sodium.crypto_secretstream_xchacha20poly1305_push(
        this.#state,
        chunk,
        null,
        final ? TAG_FINAL : TAG_MESSAGE,
      ),
    );
  }
}

class SodiumPuller implements StreamPuller {
  readonly #state: StateAddress;

  constructor(header: Uint8Array, key: Uint8Array) {
    this.#state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  }

  pull(chunk: Uint8Array): Promise<{ message: Uint8Array; final: boolean }> {
    requireUint8Array(chunk, "Stream chunk");
    if (chunk.length < STREAM_OVERHEAD) {
      throw new IntegrityError(`Stream chunk of ${chunk.length} bytes is shorter than its MAC`);
    }
    const result = sodium.crypto_secretstream_xchacha20poly1305_pull(this.#state, chunk, null);
    if (!result) throw new IntegrityError("Stream chunk failed authentication");
    if (result.tag !== TAG_MESSAGE && result.tag !== TAG_FINAL) {
      throw new IntegrityError(`Stream chunk has an unexpected tag ${result.tag}`);
    }
    return Promise.resolve({ message: result.message, final: result.tag === TAG_FINAL });
  }
}

/** The Sodium suite; its `streamPush` also takes a fixed header (for reproducing vectors). */
export interface SodiumSuite extends CryptoSuite {
  /** Starts an encrypting secretstream; `fixedHeader` only for reproducing test vectors. */
  streamPush(key: Uint8Array, fixedHeader?: Uint8Array): Promise<StreamPusher>;
}

function createSodiumSuite(): SodiumSuite {
  return {
    name: "Sodium",
    publicKeyType: "curve25519",
    signingKeyType: "ed25519",
    keyBytes: KEY_BYTES,
    nonceBytes: NONCE_BYTES,
    streamChunkOverhead: STREAM_OVERHEAD,
    streamHeaderBytes: STREAM_HEADER_BYTES,
    aeadNonceBytes: NONCE_BYTES,
    aeadTagBytes: AEAD_TAG_BYTES,
    randomBytes,

    generateEncryptionKeyPair(): Promise<KeyPair> {
      return this.encryptionKeyPairFromSeed(randomBytes(32));
    },
    generateSigningKeyPair(): Promise<KeyPair> {
      return this.signingKeyPairFromSeed(randomBytes(32));
    },
    encryptionKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair> {
      requireBytes(seed, 32, "Key seed");
      const pair = sodium.crypto_box_seed_keypair(seed);
      return Promise.resolve({ publicKey: pair.publicKey, privateKey: pair.privateKey });
    },
    signingKeyPairFromSeed(seed: Uint8Array): Promise<KeyPair> {
      requireBytes(seed, 32, "Key seed");
      const pair = sodium.crypto_sign_seed_keypair(seed);
      return Promise.resolve({ publicKey: pair.publicKey, privateKey: pair.privateKey });
    },

    encodePublicKey(key: Uint8Array): string {
      requireBytes(key, 32, "Public key");
      return encodeBase64Url(key);
    },
    decodePublicKey(text: string): Uint8Array {
      return decodeKey(text, 32, "Public key");
    },
    encodePrivateKey(key: Uint8Array): string {
      requireByteLengths(key, [32, 64], "Private key");
      return encodeBase64Url(key);
    },
    decodePrivateKey(text: string): Uint8Array {
      const bytes = decodeBase64Url(text, "Private key");
      if (bytes.length !== 32 && bytes.length !== 64) {
        throw new ValidationError(`Private key must decode to 32 or 64 bytes, got ${bytes.length}`);
      }
      return bytes;
    },

    secretEncrypt(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array) {
      requireUint8Array(plaintext, "Plaintext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(key, KEY_BYTES, "Key");
      return Promise.resolve(sodium.crypto_secretbox_easy(plaintext, nonce, key));
    },
    secretDecrypt(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array) {
      requireUint8Array(ciphertext, "Ciphertext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(key, KEY_BYTES, "Key");
      return Promise.resolve(secretboxOpen(ciphertext, nonce, key));
    },

    // async: every failure is a rejected promise, as in the NIST suite.
    async aeadSeal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array) {
      const nonce = randomBytes(NONCE_BYTES);
      const sealed = chachaPolyEncrypt("xchacha20", plaintext, associatedData, nonce, key);
      return await Promise.resolve(concatBytes(nonce, sealed));
    },
    async aeadOpen(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array) {
      requireUint8Array(sealed, "Sealed data");
      if (sealed.length < NONCE_BYTES + AEAD_TAG_BYTES) {
        throw new IntegrityError(
          `Sealed data of ${sealed.length} bytes is shorter than nonce and tag`,
        );
      }
      const nonce = sealed.subarray(0, NONCE_BYTES);
      const body = sealed.subarray(NONCE_BYTES);
      return await Promise.resolve(
        chachaPolyDecrypt("xchacha20", body, associatedData, nonce, key),
      );
    },

    boxEncrypt(plaintext, nonce, recipientPublicKey, senderPrivateKey) {
      requireUint8Array(plaintext, "Plaintext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(recipientPublicKey, 32, "Recipient public key");
      requireBytes(senderPrivateKey, 32, "Sender private key");
      try {
        const shared = sharedKeys.get(
          recipientPublicKey,
          senderPrivateKey,
          () => sodium.crypto_box_beforenm(recipientPublicKey, senderPrivateKey),
        );
        return Promise.resolve(sodium.crypto_box_easy_afternm(plaintext, nonce, shared));
      } catch {
        throw new ValidationError("Recipient public key is a low-order point");
      }
    },
    boxDecrypt(ciphertext, nonce, senderPublicKey, recipientPrivateKey) {
      requireUint8Array(ciphertext, "Ciphertext");
      requireBytes(nonce, NONCE_BYTES, "Nonce");
      requireBytes(senderPublicKey, 32, "Sender public key");
      requireBytes(recipientPrivateKey, 32, "Recipient private key");
      try {
        const shared = sharedKeys.get(
          senderPublicKey,
          recipientPrivateKey,
          () => sodium.crypto_box_beforenm(senderPublicKey, recipientPrivateKey),
        );
        return Promise.resolve(sodium.crypto_box_open_easy_afternm(ciphertext, nonce, shared));
      } catch {
        throw new IntegrityError("Ciphertext failed authentication (box)");
      }
    },

    sign(message: Uint8Array, privateKey: Uint8Array) {
      requireUint8Array(message, "Message");
      requireBytes(privateKey, 64, "Signing private key");
      return Promise.resolve(sodium.crypto_sign_detached(message, privateKey));
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) {
      requireUint8Array(message, "Message");
      requireBytes(publicKey, 32, "Signing public key");
      if (!(signature instanceof Uint8Array) || signature.length !== 64) {
        return Promise.resolve(false);
      }
      try {
        return Promise.resolve(sodium.crypto_sign_verify_detached(signature, message, publicKey));
      } catch {
        return Promise.resolve(false);
      }
    },
    hash(message: Uint8Array) {
      requireUint8Array(message, "Message");
      return Promise.resolve(sodium.crypto_generichash(32, message, null));
    },

    newPasswordKdfParams(): PasswordKdfParams {
      return {
        algorithm: "argon2id",
        salt: encodeBase64Url(randomBytes(16)),
        iterations: ARGON2_OPS,
        memory: ARGON2_MEMORY,
      };
    },
    deriveKeyFromPassword(password: string, params: PasswordKdfParams) {
      if (typeof password !== "string" || password.length === 0) {
        throw new ValidationError("Password must be a non-empty string");
      }
      if (params.algorithm !== "argon2id") {
        throw new ValidationError(`Sodium suite cannot derive with "${params.algorithm}"`);
      }
      const salt = decodeKey(params.salt, 16, "KDF salt");
      if (!Number.isSafeInteger(params.iterations) || params.iterations < 1) {
        throw new ValidationError(`Argon2id ops limit must be ≥ 1, got ${params.iterations}`);
      }
      if (!Number.isSafeInteger(params.memory) || params.memory < 8192) {
        throw new ValidationError(`Argon2id memory must be ≥ 8192 bytes, got ${params.memory}`);
      }
      return Promise.resolve(
        sodium.crypto_pwhash(
          KEY_BYTES,
          password,
          salt,
          params.iterations,
          params.memory,
          sodium.crypto_pwhash_ALG_ARGON2ID13,
        ),
      );
    },

    streamPush(key: Uint8Array, fixedHeader?: Uint8Array) {
      requireBytes(key, KEY_BYTES, "Stream key");
      return Promise.resolve(new SodiumPusher(key, fixedHeader));
    },
    streamPull(header: Uint8Array, key: Uint8Array) {
      requireBytes(key, KEY_BYTES, "Stream key");
      if (!(header instanceof Uint8Array) || header.length !== STREAM_HEADER_BYTES) {
        throw new IntegrityError(`Stream header must be ${STREAM_HEADER_BYTES} bytes`);
      }
      return Promise.resolve(new SodiumPuller(header, key));
    },
  };
}

let suite: SodiumSuite | undefined;

/**
 * Returns the Sodium suite, loading libsodium's WebAssembly on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const keys = await suite.generateEncryptionKeyPair();
 * assert.equal(keys.publicKey.length, 32);
 * ```
 */
export async function sodiumSuite(): Promise<SodiumSuite> {
  if (suite === undefined) {
    await sodium.ready;
    suite = createSodiumSuite();
  }
  return suite;
}
