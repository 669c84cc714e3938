/**
 * A pass-through stream stage that measures an encrypted file (MD5 and size, as in `file_meta`)
 * and checks it against what is expected of it: it errors as soon as more bytes arrive than
 * expected, and at the end unless the size and the MD5 match. Either expectation may be left
 * out (an upload whose checksum is only known once it has been sent); the measurement is
 * always available at the end. The server puts it between an upload and the blob store, the
 * SDK between a download and the decryptor, so a bad file never completes on either side.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { ChecksumStream, type FileChecksum } from "./file_checksum.ts";

const MD5_BASE64_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/** What a file must match; a missing field is not checked. */
export interface ExpectedFile {
  /** Standard padded base64 of the MD5 digest. */
  checksum?: string | undefined;
  /** Size in bytes. */
  size?: number | undefined;
  /** When `size` is not given: the most bytes accepted. */
  maxSize?: number | undefined;
}

/** A verifying stream stage and, once its readable side has ended, what it measured. */
export interface FileVerifierStage {
  /** Write the file's bytes here. */
  writable: WritableStream<Uint8Array>;
  /** The same bytes come out here; it errors on a mismatch. */
  readable: ReadableStream<Uint8Array>;
  /** The MD5 and size of everything that passed; throws until the stream has ended. */
  result(): FileChecksum;
}

function requireExpected(expected: ExpectedFile): void {
  if (typeof expected !== "object" || expected === null) {
    throw new ValidationError("Expected file must be an object");
  }
  for (const key of ["size", "maxSize"] as const) {
    const value = expected[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new ValidationError(`Expected file ${key} must be a non-negative integer`);
    }
  }
  if (
    expected.checksum !== undefined &&
    (typeof expected.checksum !== "string" || !MD5_BASE64_PATTERN.test(expected.checksum))
  ) {
    throw new ValidationError("Expected file checksum must be the base64 of an MD5 digest");
  }
}

/**
 * A stream stage that passes bytes through, measures them, and errors with
 * {@linkcode IntegrityError} unless they match `expected`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyFileStream } from "./file_verifier.ts";
 * const stage = verifyFileStream({ checksum: "XUFAKrxLKna5cZ2REBfFkg==", size: 5 });
 * const checked = new Blob(["hello"]).stream().pipeThrough(stage);
 * assert.equal(await new Response(checked).text(), "hello");
 * assert.equal(stage.result().size, 5);
 * ```
 */
export function verifyFileStream(expected: ExpectedFile): FileVerifierStage {
  requireExpected(expected);
  const limit = expected.size ?? expected.maxSize ?? Number.MAX_SAFE_INTEGER;
  const what = expected.size === undefined ? "the limit of" : "its recorded";
  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.length;
      if (received > limit) {
        throw new IntegrityError(`File is longer than ${what} ${limit} bytes`);
      }
      controller.enqueue(chunk);
    },
  });
  const checksum = new ChecksumStream();
  const check = new TransformStream<Uint8Array, Uint8Array>({
    flush() {
      const result = checksum.result;
      if (expected.size !== undefined && result.size !== expected.size) {
        throw new IntegrityError(
          `File is truncated: got ${result.size} of its recorded ${expected.size} bytes`,
        );
      }
      if (expected.checksum !== undefined && result.checksum !== expected.checksum) {
        throw new IntegrityError("File does not match its MD5 checksum");
      }
    },
  });
  return {
    writable: counter.writable,
    readable: counter.readable.pipeThrough(checksum).pipeThrough(check),
    result: () => checksum.result,
  };
}
