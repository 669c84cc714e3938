/**
 * Large-file encryption, format version 3 (E3DB's `encrypt_file`), as Web Streams.
 *
 * ```
 * "3." b64url(edk) "." b64url(edkN) "."   ASCII header; edk = secretEncrypt(dk, edkN, AK)
 * stream header                          from streamPush(dk)
 * chunk*                                 65,536 plaintext bytes each, the last one shorter or equal
 * ```
 *
 * The last chunk carries the FINAL tag. Both suites use this framing; the length of `edkN` (24 bytes
 * Sodium, 12 bytes NIST) tells them apart. Memory use is constant: at most a few 64 KiB chunks are
 * held, whatever the size of the file.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { decodeBase64Url, encodeBase64Url } from "./encoding.ts";
import type { CryptoSuite, StreamPuller, StreamPusher } from "./suite.ts";
import { equalBytes, requireBytes } from "./bytes.ts";

/** Plaintext bytes in every chunk but the last (E3DB readers require exactly 64 KiB). */
export const FILE_CHUNK_BYTES = 65536;

const VERSION_PREFIX = "3.";
const HEADER_SEARCH_BYTES = 4096;
const DOT = 0x2e;
/** Both suites' secret AEAD (secretbox, AES-GCM) adds a 16-byte tag to the wrapped data key. */
const SECRET_TAG_BYTES = 16;
/** Queue bound on each side of the transforms: four chunks. */
const QUEUE_BYTES = 4 * FILE_CHUNK_BYTES;

/** What the encryptor and decryptor need of their output: a stream's controller, or a collector. */
type Controller = Pick<TransformStreamDefaultController<Uint8Array>, "enqueue">;

/** Fixed randomness for reproducing test vectors; never used in normal operation. */
interface FixedFileRandomness {
  dataKey: Uint8Array;
  dataKeyNonce: Uint8Array;
  streamHeader: Uint8Array;
}

/** A suite whose `streamPush` can take a fixed header (both of Arca's, for vectors). */
interface FixedHeaderPush {
  streamPush(key: Uint8Array, fixedHeader?: Uint8Array): Promise<StreamPusher>;
}

function requireSuite(suite: CryptoSuite): void {
  if (
    suite === null || typeof suite !== "object" || typeof suite.streamPush !== "function" ||
    typeof suite.streamPull !== "function" || typeof suite.secretEncrypt !== "function"
  ) {
    throw new ValidationError("Crypto suite must be a CryptoSuite");
  }
}

function requireChunk(chunk: unknown): asserts chunk is Uint8Array {
  if (!(chunk instanceof Uint8Array)) {
    const kind = chunk === null ? "null" : typeof chunk;
    throw new ValidationError(`File stream chunks must be Uint8Array, got ${kind}`);
  }
}

/** Counts queued bytes; a chunk that is not bytes still reaches the transform, which refuses it. */
function queues(): [QueuingStrategy<Uint8Array>, QueuingStrategy<Uint8Array>] {
  const size = (chunk: unknown) => chunk instanceof Uint8Array ? chunk.byteLength : 1;
  return [{ highWaterMark: QUEUE_BYTES, size }, { highWaterMark: QUEUE_BYTES, size }];
}

function asciiHeader(edk: Uint8Array, dataKeyNonce: Uint8Array): Uint8Array {
  const text = `${VERSION_PREFIX}${encodeBase64Url(edk)}.${encodeBase64Url(dataKeyNonce)}.`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Encrypts plaintext bytes into the v3 format, re-chunking them to exactly 64 KiB. */
class FileEncryptor {
  readonly #suite: CryptoSuite;
  readonly #accessKey: Uint8Array;
  readonly #fixed: FixedFileRandomness | undefined;
  #pusher: StreamPusher | undefined;
  /** Owned buffer being filled with plaintext. */
  #pending: Uint8Array = new Uint8Array(FILE_CHUNK_BYTES);
  #pendingLength = 0;
  /** A full owned chunk that may be the last one: pushed once we know whether more follows. */
  #held: Uint8Array | undefined;
  #spare: Uint8Array | undefined;

  constructor(suite: CryptoSuite, accessKey: Uint8Array, fixed: FixedFileRandomness | undefined) {
    this.#suite = suite;
    this.#accessKey = accessKey;
    this.#fixed = fixed;
  }

  async start(controller: Controller): Promise<void> {
    const suite = this.#suite;
    const dataKey = this.#fixed?.dataKey ?? suite.randomBytes(suite.keyBytes);
    const dataKeyNonce = this.#fixed?.dataKeyNonce ?? suite.randomBytes(suite.nonceBytes);
    const edk = await suite.secretEncrypt(dataKey, dataKeyNonce, this.#accessKey);
    const pusher = await this.#startPush(dataKey);
    if (this.#fixed === undefined) dataKey.fill(0);
    this.#pusher = pusher;
    const ascii = asciiHeader(edk, dataKeyNonce);
    const header = new Uint8Array(ascii.length + pusher.header.length);
    header.set(ascii);
    header.set(pusher.header, ascii.length);
    controller.enqueue(header);
  }

  async #startPush(dataKey: Uint8Array): Promise<StreamPusher> {
    const fixedHeader = this.#fixed?.streamHeader;
    if (fixedHeader === undefined) return await this.#suite.streamPush(dataKey);
    const pusher = await (this.#suite as FixedHeaderPush).streamPush(dataKey, fixedHeader);
    if (!equalBytes(pusher.header, fixedHeader)) {
      throw new ValidationError(`The ${this.#suite.name} suite cannot use a fixed stream header`);
    }
    return pusher;
  }

  async write(input: Uint8Array, controller: Controller): Promise<void> {
    requireChunk(input);
    let offset = 0;
    while (offset < input.length) {
      // Any byte after a full chunk proves that chunk is not the last.
      if (this.#held !== undefined) await this.#pushHeld(false, controller);
      const left = input.length - offset;
      if (this.#pendingLength === 0 && left > FILE_CHUNK_BYTES) {
        // A whole chunk with more bytes after it: encrypt it in place, no copy.
        const chunk = input.subarray(offset, offset + FILE_CHUNK_BYTES);
        controller.enqueue(await this.#pusher!.push(chunk, false));
        offset += FILE_CHUNK_BYTES;
        continue;
      }
      const take = Math.min(FILE_CHUNK_BYTES - this.#pendingLength, left);
      this.#pending.set(input.subarray(offset, offset + take), this.#pendingLength);
      this.#pendingLength += take;
      offset += take;
      if (this.#pendingLength === FILE_CHUNK_BYTES) {
        this.#held = this.#pending;
        this.#pending = this.#spare ?? new Uint8Array(FILE_CHUNK_BYTES);
        this.#spare = undefined;
        this.#pendingLength = 0;
      }
    }
  }

  async end(controller: Controller): Promise<void> {
    if (this.#held !== undefined) {
      // Canonical end of an exact multiple of 64 KiB: a full FINAL chunk.
      await this.#pushHeld(true, controller);
      return;
    }
    const last = this.#pending.subarray(0, this.#pendingLength);
    controller.enqueue(await this.#pusher!.push(last, true));
  }

  async #pushHeld(final: boolean, controller: Controller): Promise<void> {
    const held = this.#held!;
    this.#held = undefined;
    controller.enqueue(await this.#pusher!.push(held, final));
    this.#spare = held;
  }
}

/**
 * Returns a stream that encrypts a file into the v3 format under the record type's access key.
 * A fresh data key encrypts the chunks; the access key wraps it in the ASCII header. The output's
 * MD5 and size (see `ChecksumStream`) go into the file record's `file_meta`.
 *
 * The stream reads plaintext of any chunk sizes and writes the header, then one ciphertext
 * chunk per 64 KiB of plaintext. A file of an exact multiple of 64 KiB ends with a full FINAL
 * chunk; an empty file is one empty FINAL chunk.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encryptFileStream } from "./file_stream.ts";
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const encrypted = new Blob(["hello world"]).stream().pipeThrough(encryptFileStream(suite, ak));
 * assert.equal((await new Response(encrypted).bytes()).length, 152);
 * ```
 */
export function encryptFileStream(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  _fixed?: { dataKey: Uint8Array; dataKeyNonce: Uint8Array; streamHeader: Uint8Array },
): TransformStream<Uint8Array, Uint8Array> {
  requireSuite(suite);
  requireBytes(accessKey, suite.keyBytes, "Access key");
  if (_fixed !== undefined) {
    requireBytes(_fixed.dataKey, suite.keyBytes, "Fixed data key");
    requireBytes(_fixed.dataKeyNonce, suite.nonceBytes, "Fixed data key nonce");
    requireBytes(_fixed.streamHeader, suite.streamHeaderBytes, "Fixed stream header");
  }
  const encryptor = new FileEncryptor(suite, accessKey, _fixed);
  return new TransformStream<Uint8Array, Uint8Array>({
    start: (controller) => encryptor.start(controller),
    transform: (chunk, controller) => encryptor.write(chunk, controller),
    flush: (controller) => encryptor.end(controller),
  }, ...queues());
}

/** The chunks enqueued into it, joined. */
class Collector implements Controller {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  enqueue(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  bytes(): Uint8Array {
    const joined = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    return joined;
  }
}

/**
 * Encrypts bytes held in memory: the bytes {@linkcode encryptFileStream} makes of them, without
 * the cost of a stream (small content).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptFileBytes, encryptFileBytes } from "./file_stream.ts";
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const encrypted = await encryptFileBytes(suite, ak, new TextEncoder().encode("hello world"));
 * assert.equal(encrypted.length, 152);
 * assert.equal(new TextDecoder().decode(await decryptFileBytes(suite, ak, encrypted)), "hello world");
 * ```
 */
export async function encryptFileBytes(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  requireSuite(suite);
  requireBytes(accessKey, suite.keyBytes, "Access key");
  const encryptor = new FileEncryptor(suite, accessKey, undefined);
  const output = new Collector();
  await encryptor.start(output);
  await encryptor.write(plaintext, output);
  await encryptor.end(output);
  return output.bytes();
}

/**
 * Decrypts a v3 encryption held in memory, with every check of {@linkcode decryptFileStream}
 * ({@linkcode IntegrityError} on any failure; nothing is returned then).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptFileBytes, encryptFileBytes } from "./file_stream.ts";
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const encrypted = await encryptFileBytes(suite, randomKey(suite), new Uint8Array([1, 2]));
 * await assert.rejects(decryptFileBytes(suite, randomKey(suite), encrypted), {
 *   name: "IntegrityError",
 * });
 * ```
 */
export async function decryptFileBytes(
  suite: CryptoSuite,
  accessKey: Uint8Array,
  encrypted: Uint8Array,
): Promise<Uint8Array> {
  requireSuite(suite);
  requireBytes(accessKey, suite.keyBytes, "Access key");
  const decryptor = new FileDecryptor(suite, accessKey);
  const output = new Collector();
  await decryptor.write(encrypted, output);
  await decryptor.end(output);
  return output.bytes();
}

function describeNonceLength(length: number, suite: CryptoSuite): string {
  const hint = length === 24 ? " (a Sodium file?)" : length === 12 ? " (a NIST file?)" : "";
  return `File data key nonce is ${length} bytes, the ${suite.name} suite uses ${suite.nonceBytes}${hint}`;
}

function decodeHeaderPart(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return decodeBase64Url(String.fromCharCode(...bytes), what);
  } catch (error) {
    throw new IntegrityError(`File header ${what} is not valid base64url`, { cause: error });
  }
}

/** Parses the v3 header, then decrypts and checks each chunk in turn. */
class FileDecryptor {
  readonly #suite: CryptoSuite;
  readonly #accessKey: Uint8Array;
  readonly #chunkBytes: number;
  /** The bytes of the header while it is being read. */
  #prefix: Uint8Array;
  #prefixLength = 0;
  #dots: number[] = [];
  #scanned = 0;
  #puller: StreamPuller | undefined;
  #pending: Uint8Array | undefined;
  #pendingLength = 0;
  #finished = false;

  constructor(suite: CryptoSuite, accessKey: Uint8Array) {
    this.#suite = suite;
    this.#accessKey = accessKey;
    this.#chunkBytes = FILE_CHUNK_BYTES + suite.streamChunkOverhead;
    this.#prefix = new Uint8Array(HEADER_SEARCH_BYTES + suite.streamHeaderBytes);
  }

  async write(input: Uint8Array, controller: Controller): Promise<void> {
    requireChunk(input);
    if (this.#puller === undefined) {
      const take = Math.min(this.#prefix.length - this.#prefixLength, input.length);
      this.#prefix.set(input.subarray(0, take), this.#prefixLength);
      this.#prefixLength += take;
      const headerEnd = this.#findHeaderEnd();
      if (headerEnd === undefined) return;
      await this.#startPull(headerEnd);
      await this.#readChunks(this.#prefix.subarray(headerEnd, this.#prefixLength), controller);
      input = input.subarray(take);
    }
    await this.#readChunks(input, controller);
  }

  async end(controller: Controller): Promise<void> {
    if (this.#puller === undefined) throw new IntegrityError("File ends inside its header");
    if (this.#finished) return;
    if (this.#pendingLength === 0) {
      throw new IntegrityError("File is truncated: it has no final chunk");
    }
    if (this.#pendingLength < this.#suite.streamChunkOverhead) {
      throw new IntegrityError("File is truncated inside its last chunk");
    }
    await this.#pullChunk(this.#pending!.subarray(0, this.#pendingLength), controller);
    if (!this.#finished) {
      throw new IntegrityError("File is truncated: its last chunk is not marked final");
    }
  }

  /** The offset just past the stream header, once the whole header has arrived. */
  #findHeaderEnd(): number | undefined {
    const prefix = this.#prefix;
    if (this.#prefixLength === 0) return undefined;
    if (prefix[0] !== 0x33 || (this.#prefixLength > 1 && prefix[1] !== DOT)) {
      throw new IntegrityError('File does not start with the version 3 header "3."');
    }
    const limit = Math.min(this.#prefixLength, HEADER_SEARCH_BYTES);
    for (; this.#scanned < limit && this.#dots.length < 3; this.#scanned++) {
      if (prefix[this.#scanned] === DOT) this.#dots.push(this.#scanned);
    }
    const third = this.#dots[2];
    if (third === undefined) {
      if (limit === HEADER_SEARCH_BYTES) {
        throw new IntegrityError(`File header has no third "." in its first ${limit} bytes`);
      }
      return undefined;
    }
    const end = third + 1 + this.#suite.streamHeaderBytes;
    return this.#prefixLength >= end ? end : undefined;
  }

  async #startPull(headerEnd: number): Promise<void> {
    const suite = this.#suite;
    const [first, second, third] = this.#dots as [number, number, number];
    const prefix = this.#prefix;
    const edk = decodeHeaderPart(prefix.subarray(first + 1, second), "encrypted data key");
    const nonce = decodeHeaderPart(prefix.subarray(second + 1, third), "data key nonce");
    if (nonce.length !== suite.nonceBytes) {
      throw new IntegrityError(describeNonceLength(nonce.length, suite));
    }
    const dataKey = await suite.secretDecrypt(edk, nonce, this.#accessKey);
    if (dataKey.length !== suite.keyBytes) {
      throw new IntegrityError(`File data key is ${dataKey.length} bytes, not ${suite.keyBytes}`);
    }
    this.#puller = await suite.streamPull(prefix.slice(third + 1, headerEnd), dataKey);
    dataKey.fill(0);
  }

  async #readChunks(input: Uint8Array, controller: Controller): Promise<void> {
    const size = this.#chunkBytes;
    let offset = 0;
    while (offset < input.length) {
      if (this.#finished) throw new IntegrityError("File has data after its final chunk");
      const left = input.length - offset;
      if (this.#pendingLength === 0 && left >= size) {
        await this.#pullChunk(input.subarray(offset, offset + size), controller);
        offset += size;
        continue;
      }
      this.#pending ??= new Uint8Array(size);
      const take = Math.min(size - this.#pendingLength, left);
      this.#pending.set(input.subarray(offset, offset + take), this.#pendingLength);
      this.#pendingLength += take;
      offset += take;
      if (this.#pendingLength === size) {
        this.#pendingLength = 0;
        await this.#pullChunk(this.#pending, controller);
      }
    }
  }

  async #pullChunk(chunk: Uint8Array, controller: Controller): Promise<void> {
    const { message, final } = await this.#puller!.pull(chunk);
    if (final) this.#finished = true;
    if (message.length > 0) controller.enqueue(message);
  }
}

/**
 * Returns a stream that decrypts a v3 file written by {@linkcode encryptFileStream} (or any
 * E3DB SDK). Each chunk is authenticated before its plaintext is passed on; a bad header, a
 * failed MAC, a missing FINAL chunk, truncation or bytes after the FINAL chunk error the stream
 * with `IntegrityError`. Treat the output as untrusted until the stream closes cleanly (write it
 * to a temporary file, then rename).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptFileStream, encryptFileStream } from "./file_stream.ts";
 * import { randomKey } from "./fields.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const ak = randomKey(suite);
 * const plain = new Blob(["hello world"]).stream()
 *   .pipeThrough(encryptFileStream(suite, ak))
 *   .pipeThrough(decryptFileStream(suite, ak));
 * assert.equal(await new Response(plain).text(), "hello world");
 * ```
 */
export function decryptFileStream(
  suite: CryptoSuite,
  accessKey: Uint8Array,
): TransformStream<Uint8Array, Uint8Array> {
  requireSuite(suite);
  requireBytes(accessKey, suite.keyBytes, "Access key");
  const decryptor = new FileDecryptor(suite, accessKey);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, controller) => decryptor.write(chunk, controller),
    flush: (controller) => decryptor.end(controller),
  }, ...queues());
}

function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/**
 * The size of the v3 encryption of `plaintextSize` bytes in the given suite: the `size` of the
 * file record, known before encrypting (for `Content-Length`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encryptedSize } from "./file_stream.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * assert.equal(encryptedSize(11, await sodiumSuite()), 152);
 * ```
 */
export function encryptedSize(plaintextSize: number, suite: CryptoSuite): number {
  requireSuite(suite);
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) {
    throw new ValidationError(
      `Plaintext size must be a non-negative integer, got ${String(plaintextSize)}`,
    );
  }
  const ascii = VERSION_PREFIX.length + base64UrlLength(suite.keyBytes + SECRET_TAG_BYTES) + 1 +
    base64UrlLength(suite.nonceBytes) + 1;
  const chunks = Math.max(1, Math.ceil(plaintextSize / FILE_CHUNK_BYTES));
  return ascii + suite.streamHeaderBytes + plaintextSize + chunks * suite.streamChunkOverhead;
}
