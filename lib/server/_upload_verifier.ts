/**
 * The check on an uploaded file's bytes, between the request body and the blob store: the size
 * and MD5 check of `file_verifier.ts` against what the client announced (if it did), with every
 * failure turned into a 400. A blob store keeps nothing from a stream that errors, so a bad
 * upload leaves no bytes behind.
 *
 * @module
 */
import type { FileChecksum } from "../crypto/file_checksum.ts";
import { verifyFileStream } from "../crypto/file_verifier.ts";
import { ArcaError, IntegrityError, ValidationError } from "../errors.ts";
import { MAX_FILE_BYTES } from "../protocol/files.ts";

/** What the client announced about the upload; `null` is "not announced". */
export interface AnnouncedUpload {
  /** Standard padded base64 MD5, or `null`. */
  checksum: string | null;
  /** Size in bytes, or `null` (then at most {@linkcode MAX_FILE_BYTES}). */
  size: number | null;
}

/** The checked body, and what it measured once it has ended. */
export interface VerifiedUpload {
  /** The body's bytes; the stream errors (with a 400) on a mismatch. */
  body: ReadableStream<Uint8Array>;
  /** MD5 and size of the body; throws until `body` has ended. */
  measured(): FileChecksum;
}

/**
 * Pipes `body` through the size and MD5 check. The returned stream errors with an
 * {@linkcode IntegrityError} of status 400 on a mismatch: at once when the body runs past the
 * size, at its end when it is short or its MD5 differs; with a 413 {@linkcode ArcaError} at once
 * when it runs past the server's `limit` (the largest file, the writer's quota). A body that fails to read (a dropped
 * connection) errors it with a 400 {@linkcode ArcaError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyUpload } from "./_upload_verifier.ts";
 * const upload = verifyUpload(new Blob(["hello"]).stream(), {
 *   checksum: "XUFAKrxLKna5cZ2REBfFkg==",
 *   size: 5,
 * });
 * assert.equal(await new Response(upload.body).text(), "hello");
 * assert.equal(upload.measured().size, 5);
 * ```
 */
export function verifyUpload(
  body: ReadableStream<Uint8Array>,
  announced: AnnouncedUpload,
  limit?: UploadLimit,
): VerifiedUpload {
  if (!(body instanceof ReadableStream)) {
    throw new ValidationError("Upload body must be a ReadableStream");
  }
  const stage = verifyFileStream({
    checksum: announced.checksum ?? undefined,
    size: announced.size ?? undefined,
    maxSize: MAX_FILE_BYTES,
  });
  const limited = limit === undefined ? body : body.pipeThrough(limitStage(limit));
  return { body: asClientErrors(limited.pipeThrough(stage)), measured: stage.result };
}

/** A server limit on an upload's size, and the 413 message for a body that passes it. */
export interface UploadLimit {
  /** Most bytes accepted. */
  bytes: number;
  /** The error message when the body runs past `bytes`. */
  message: string;
}

/** Passes chunks on until more than `limit.bytes` have passed: then errors with a 413. */
function limitStage(limit: UploadLimit): TransformStream<Uint8Array, Uint8Array> {
  let received = 0;
  return new TransformStream({
    transform(chunk, controller) {
      received += chunk.length;
      if (received > limit.bytes) throw new ArcaError(limit.message, { status: 413 });
      controller.enqueue(chunk);
    },
  });
}

function clientError(error: unknown): ArcaError {
  if (error instanceof IntegrityError) {
    return new IntegrityError(`Upload rejected: ${error.message}`, { status: 400, cause: error });
  }
  if (error instanceof ArcaError && error.status === undefined) {
    return new ArcaError(`Upload rejected: ${error.message}`, { status: 400, cause: error });
  }
  if (error instanceof ArcaError) return error;
  return new ArcaError("Upload was interrupted", { status: 400, cause: error });
}

/** Passes `stream` on; whatever errors it becomes a 400 error. */
function asClientErrors(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        controller.error(clientError(error));
        return;
      }
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
