/**
 * The checksum of an encrypted file: E3DB's `file_meta.checksum` (standard padded base64 of the
 * MD5 of the encrypted bytes, also sent as `Content-MD5`) and `file_meta.size`.
 *
 * MD5 is not in Web Crypto, so this uses `node:crypto`. It is an integrity check against
 * transport errors, not a security boundary: the v3 format's MACs are.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { ArcaError, ValidationError } from "../errors.ts";
import { requireUint8Array } from "./bytes.ts";

/** The MD5 checksum and byte size of an encrypted file. */
export interface FileChecksum {
  /** Standard padded base64 of the MD5 digest, e.g. `eukGDjeQfTPiWlWkidVV4A==`. */
  checksum: string;
  /** Length in bytes. */
  size: number;
}

function requireChunk(chunk: unknown): asserts chunk is Uint8Array {
  if (!(chunk instanceof Uint8Array)) {
    const kind = chunk === null ? "null" : typeof chunk;
    throw new ValidationError(`Checksum stream chunks must be Uint8Array, got ${kind}`);
  }
}

interface ChecksumState {
  hash: Hash;
  size: number;
  result: FileChecksum | undefined;
}

/**
 * A pass-through stream that computes the MD5 checksum and size of the bytes flowing through it.
 * Read {@linkcode ChecksumStream.result} once the stream has closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChecksumStream } from "./file_checksum.ts";
 * const checksum = new ChecksumStream();
 * await new Blob(["hello"]).stream().pipeThrough(checksum).pipeTo(new WritableStream());
 * assert.deepEqual(checksum.result, { checksum: "XUFAKrxLKna5cZ2REBfFkg==", size: 5 });
 * ```
 */
export class ChecksumStream extends TransformStream<Uint8Array, Uint8Array> {
  readonly #state: ChecksumState;

  /**
   * Creates a checksum stream.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ChecksumStream } from "./file_checksum.ts";
   * const checksum = new ChecksumStream();
   * assert.throws(() => checksum.result); // not known until the stream has closed
   * ```
   */
  constructor() {
    const state: ChecksumState = { hash: createHash("md5"), size: 0, result: undefined };
    super({
      transform(chunk, controller) {
        requireChunk(chunk);
        state.hash.update(chunk);
        state.size += chunk.length;
        controller.enqueue(chunk);
      },
      flush() {
        state.result = { checksum: state.hash.digest("base64"), size: state.size };
      },
    });
    this.#state = state;
  }

  /**
   * The checksum and size of everything that passed; throws until the stream has closed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ChecksumStream } from "./file_checksum.ts";
   * const checksum = new ChecksumStream();
   * await new Blob([]).stream().pipeThrough(checksum).pipeTo(new WritableStream());
   * assert.equal(checksum.result.size, 0);
   * ```
   */
  get result(): FileChecksum {
    const result = this.#state.result;
    if (result === undefined) {
      throw new ArcaError("The checksum is not known until the stream has closed");
    }
    return { ...result };
  }
}

/**
 * The MD5 checksum and size of bytes already in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileChecksum } from "./file_checksum.ts";
 * assert.equal(fileChecksum(new Uint8Array(0)).checksum, "1B2M2Y8AsgTpgAmY7PhCfg==");
 * ```
 */
export function fileChecksum(bytes: Uint8Array): FileChecksum {
  requireUint8Array(bytes, "File bytes");
  return { checksum: createHash("md5").update(bytes).digest("base64"), size: bytes.length };
}
