/**
 * The NIST suite's authenticated chunk stream, Arca's AES-256-GCM analogue of libsodium's
 * secretstream (see `docs/nist.md`):
 *
 * ```
 * header     = 24 random bytes
 * stream key = HKDF-SHA384(ikm = key, salt = header, info = "arca stream v1", 32 bytes)
 * nonce i    = I2OSP(i, 11) ‖ flag        flag = 0x00, or 0x01 for the final chunk; i < 2^32
 * chunk i    = AES-256-GCM(stream key, nonce i, plaintext i, no AAD) = ciphertext ‖ 16-byte tag
 * ```
 *
 * The counter binds every chunk to its position and the flag binds the end, so reordering,
 * dropping, truncating or appending after the final chunk all fail authentication or are refused.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { utf8 } from "./encoding.ts";
import { aesGcmOpen, aesGcmSeal, hkdfSha384, importAesGcmKey } from "./_nist_primitives.ts";
import type { StreamPuller, StreamPusher } from "./suite.ts";
import { randomBytes, requireBytes, requireUint8Array } from "./bytes.ts";

/** Stream header length in bytes. */
export const NIST_STREAM_HEADER_BYTES = 24;
/** Bytes a chunk grows by: the GCM tag. */
export const NIST_STREAM_CHUNK_OVERHEAD = 16;
/** The most chunks one stream may hold. */
export const NIST_STREAM_MAX_CHUNKS = 2 ** 32;

const STREAM_INFO = utf8("arca stream v1");
const KEY_BYTES = 32;
const COUNTER_BYTES = 11;
const FLAG_MESSAGE = 0x00;
const FLAG_FINAL = 0x01;

/** The 12-byte nonce of chunk `index`: an 11-byte big-endian counter, then the final flag. */
function chunkNonce(index: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(COUNTER_BYTES + 1);
  let rest = index;
  for (let i = COUNTER_BYTES - 1; i >= 0 && rest > 0; i--) {
    nonce[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  nonce[COUNTER_BYTES] = final ? FLAG_FINAL : FLAG_MESSAGE;
  return nonce;
}

async function streamKey(key: Uint8Array, header: Uint8Array): Promise<CryptoKey> {
  return importAesGcmKey(await hkdfSha384(key, header, STREAM_INFO, KEY_BYTES));
}

class NistPusher implements StreamPusher {
  readonly header: Uint8Array;
  readonly #key: CryptoKey;
  #next = 0;
  #ended = false;

  constructor(header: Uint8Array, key: CryptoKey) {
    this.header = header;
    this.#key = key;
  }

  push(chunk: Uint8Array, final: boolean): Promise<Uint8Array> {
    if (!(chunk instanceof Uint8Array)) {
      return Promise.reject(new ValidationError("Stream chunk must be a Uint8Array"));
    }
    if (this.#ended) {
      return Promise.reject(new ValidationError("Stream already ended with a final chunk"));
    }
    if (this.#next >= NIST_STREAM_MAX_CHUNKS) {
      return Promise.reject(new ValidationError("Stream cannot hold more than 2^32 chunks"));
    }
    const index = this.#next++;
    if (final) this.#ended = true;
    return aesGcmSeal(this.#key, chunkNonce(index, final), chunk);
  }
}

class NistPuller implements StreamPuller {
  readonly #key: CryptoKey;
  #next = 0;
  #ended = false;
  #failed = false;

  constructor(key: CryptoKey) {
    this.#key = key;
  }

  async pull(chunk: Uint8Array): Promise<{ message: Uint8Array; final: boolean }> {
    requireUint8Array(chunk, "Stream chunk");
    if (this.#failed) throw new IntegrityError("Stream already failed authentication");
    if (this.#ended) throw new IntegrityError("Stream has a chunk after its final chunk");
    if (this.#next >= NIST_STREAM_MAX_CHUNKS) {
      throw new IntegrityError("Stream has more than 2^32 chunks");
    }
    if (chunk.length < NIST_STREAM_CHUNK_OVERHEAD) {
      this.#failed = true;
      throw new IntegrityError(`Stream chunk of ${chunk.length} bytes is shorter than its tag`);
    }
    const index = this.#next++;
    for (const final of [false, true]) {
      try {
        const message = await aesGcmOpen(this.#key, chunkNonce(index, final), chunk);
        if (final) this.#ended = true;
        return { message, final };
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error;
      }
    }
    this.#failed = true;
    throw new IntegrityError(`Stream chunk ${index} failed authentication`);
  }
}

/**
 * Starts an encrypting stream under a 32-byte key. `fixedHeader` (24 bytes) exists only to
 * reproduce test vectors: reusing a header with the same key reuses GCM nonces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nistStreamPull, nistStreamPush } from "./_nist_stream.ts";
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const pusher = await nistStreamPush(key);
 * const chunk = await pusher.push(new Uint8Array([1, 2]), true);
 * const puller = await nistStreamPull(pusher.header, key);
 * assert.equal((await puller.pull(chunk)).final, true);
 * ```
 */
export async function nistStreamPush(
  key: Uint8Array,
  fixedHeader?: Uint8Array,
): Promise<StreamPusher> {
  requireBytes(key, KEY_BYTES, "Stream key");
  let header: Uint8Array;
  if (fixedHeader === undefined) {
    header = randomBytes(NIST_STREAM_HEADER_BYTES);
  } else {
    requireBytes(fixedHeader, NIST_STREAM_HEADER_BYTES, "Stream header");
    header = fixedHeader.slice();
  }
  return new NistPusher(header, await streamKey(key, header));
}

/**
 * Starts a decrypting stream from its 24-byte header and the 32-byte key. A header of the wrong
 * length is an {@linkcode IntegrityError} (it was read from the data).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nistStreamPull } from "./_nist_stream.ts";
 * const puller = await nistStreamPull(new Uint8Array(24), new Uint8Array(32));
 * await assert.rejects(puller.pull(new Uint8Array(16)), { name: "IntegrityError" });
 * ```
 */
export async function nistStreamPull(header: Uint8Array, key: Uint8Array): Promise<StreamPuller> {
  requireBytes(key, KEY_BYTES, "Stream key");
  if (!(header instanceof Uint8Array) || header.length !== NIST_STREAM_HEADER_BYTES) {
    throw new IntegrityError(`Stream header must be ${NIST_STREAM_HEADER_BYTES} bytes`);
  }
  return new NistPuller(await streamKey(key, header));
}
