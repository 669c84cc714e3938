/**
 * What writing a container version takes: the access list with a key blob for every user who
 * may decrypt, and the content sealed — inline when small, else as a stream to upload. A stream
 * of unknown length is sealed to a temporary file first, so memory stays constant.
 *
 * @module
 */
import { encodeBase64Url } from "../../crypto/encoding.ts";
import { ForbiddenError, ValidationError } from "../../errors.ts";
import type { ContainerAccessInput } from "../../protocol/containers.ts";
import { CONTAINER_DECRYPT } from "../../protocol/permissions.ts";
import type { ClientContext } from "../context.ts";
import type { AccessGrant } from "./_access_input.ts";
import type { ContentInput, TransferProgress } from "./container_types.ts";
import {
  type KeyScope,
  sealContent,
  sealContentBytes,
  sealedContentSize,
  sealKeyBlob,
} from "./_sealing.ts";
import { spool } from "./_spool.ts";
import { progressStage } from "../_transfer_progress.ts";
import { announcedLength, bytesStream } from "./_transfer.ts";

/**
 * Sealed content of at most this many bytes travels inline in the JSON request; larger content
 * is uploaded as a stream (`PUT .../content/{version}`). The server's default inline limit.
 */
export const INLINE_CONTENT_BYTES = 1024 * 1024;

/** Content ready to send. */
export interface SealedContent {
  /** Plaintext bytes. */
  length: number;
  /** Sealed bytes. */
  size: number;
  /** The sealed bytes when small enough to go inline. */
  inline: Uint8Array | undefined;
  /** The sealed stream to upload (when not inline). */
  upload: (() => ReadableStream<Uint8Array>) | undefined;
  /** The plaintext, when it was given in memory. */
  plaintext: Uint8Array | undefined;
  /** Removes a temporary file, if one was made. */
  cleanup: () => Promise<void>;
}

/** The signing keys of a writer; a client without them cannot write containers. */
function writerKeys(context: ClientContext) {
  if (context.signingKeys === undefined) {
    throw new ValidationError("Writing containers needs a client with signing keys");
  }
  return { encryptionKeys: context.encryptionKeys, signingKeys: context.signingKeys };
}

/**
 * The access list as sent: every grant, with a key blob of `key` for those that may decrypt
 * (and `needsBlob` says so; kept entries of an access-only change keep theirs).
 *
 * @example
 * ```ts ignore
 * // Needs a client context.
 * const access = await accessWithKeyBlobs(context, key, scope, grants, () => true);
 * ```
 */
export async function accessWithKeyBlobs(
  context: ClientContext,
  key: Uint8Array | undefined,
  scope: KeyScope,
  grants: readonly AccessGrant[],
  needsBlob: (grant: AccessGrant) => boolean,
): Promise<ContainerAccessInput[]> {
  return await Promise.all(grants.map(async (grant) => {
    const entry: ContainerAccessInput = {
      user_id: grant.userId,
      permissions: grant.permissions,
      expiration: grant.expiration,
    };
    if ((grant.permissions & CONTAINER_DECRYPT) === 0 || !needsBlob(grant)) return entry;
    if (key === undefined) {
      throw new ForbiddenError(
        `Giving user ${grant.userId} container.decrypt needs the container key, which needs ` +
          "container.decrypt",
      );
    }
    const recipientKey = grant.userId === context.clientId
      ? context.encryptionKeys.publicKey
      : await context.directory.publicKey(grant.userId);
    const blob = await sealKeyBlob(
      context.suite,
      key,
      { ...scope, recipientId: grant.userId, writerId: context.clientId },
      recipientKey,
      writerKeys(context),
    );
    entry.key_blob = {
      writer_id: blob.writerId,
      encrypted_key: blob.encryptedKey,
      signature: blob.signature,
    };
    return entry;
  }));
}

/** Options of {@linkcode sealContentInput}. */
export interface SealOptions {
  /** The plaintext length of a stream, when known. */
  length?: number | undefined;
  /** Upload progress. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Where temporary files go. */
  tempDir: string;
}

const noCleanup = () => Promise.resolve();

async function sealInMemory(
  context: ClientContext,
  key: Uint8Array,
  scope: KeyScope,
  plaintext: ReadableStream<Uint8Array>,
): Promise<Uint8Array> {
  return await new Response(plaintext.pipeThrough(await sealContent(context.suite, key, scope)))
    .bytes();
}

/**
 * Seals content for a version: small content inline, larger content as a stream to upload.
 *
 * @example
 * ```ts ignore
 * // Needs a client context.
 * const sealed = await sealContentInput(context, key, scope, "hello", { tempDir: "." });
 * ```
 */
export async function sealContentInput(
  context: ClientContext,
  key: Uint8Array,
  scope: KeyScope,
  input: ContentInput,
  options: SealOptions,
): Promise<SealedContent> {
  const { suite } = context;
  if (typeof input === "string" || input instanceof Uint8Array) {
    const plaintext = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const size = sealedContentSize(suite, plaintext.length);
    const source = () => bytesStream(plaintext);
    if (size <= INLINE_CONTENT_BYTES) {
      const inline = await sealContentBytes(suite, key, scope, plaintext);
      return {
        length: plaintext.length,
        size,
        inline,
        upload: undefined,
        plaintext,
        cleanup: noCleanup,
      };
    }
    const sealer = await sealContent(suite, key, scope);
    const upload = () =>
      source().pipeThrough(sealer).pipeThrough(progressStage("upload", size, options.onProgress));
    return {
      length: plaintext.length,
      size,
      inline: undefined,
      upload,
      plaintext,
      cleanup: noCleanup,
    };
  }
  if (!(input instanceof ReadableStream)) {
    throw new ValidationError("Content must be a Uint8Array, a string or a ReadableStream");
  }
  if (options.length !== undefined) {
    return await sealKnownLength(context, key, scope, input, options);
  }
  return await sealToSpool(context, key, scope, input, options);
}

async function sealKnownLength(
  context: ClientContext,
  key: Uint8Array,
  scope: KeyScope,
  input: ReadableStream<Uint8Array>,
  options: SealOptions,
): Promise<SealedContent> {
  const length = options.length!;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new ValidationError("length must be a non-negative integer");
  }
  const size = sealedContentSize(context.suite, length);
  const plaintext = input.pipeThrough(announcedLength(length));
  if (size <= INLINE_CONTENT_BYTES) {
    const inline = await sealInMemory(context, key, scope, plaintext);
    return { length, size, inline, upload: undefined, plaintext: undefined, cleanup: noCleanup };
  }
  const sealer = await sealContent(context.suite, key, scope);
  const upload = () =>
    plaintext.pipeThrough(sealer).pipeThrough(progressStage("upload", size, options.onProgress));
  return { length, size, inline: undefined, upload, plaintext: undefined, cleanup: noCleanup };
}

async function sealToSpool(
  context: ClientContext,
  key: Uint8Array,
  scope: KeyScope,
  input: ReadableStream<Uint8Array>,
  options: SealOptions,
): Promise<SealedContent> {
  let length = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      length += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const sealer = await sealContent(context.suite, key, scope);
  const kept = await spool(options.tempDir, input.pipeThrough(counter).pipeThrough(sealer));
  const size = kept.size;
  try {
    if (size <= INLINE_CONTENT_BYTES) {
      const inline = await kept.bytes();
      await kept.remove();
      return { length, size, inline, upload: undefined, plaintext: undefined, cleanup: noCleanup };
    }
  } catch (error) {
    await kept.remove();
    throw error;
  }
  const upload = () => kept.stream().pipeThrough(progressStage("upload", size, options.onProgress));
  return { length, size, inline: undefined, upload, plaintext: undefined, cleanup: kept.remove };
}

/**
 * The body fields of a version's content: inline, or its size (then uploaded with a PUT).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contentFields } from "./_container_writer.ts";
 * const sealed = { length: 1, size: 2, inline: new Uint8Array([1, 2]) };
 * assert.deepEqual(contentFields(sealed), { length: 1, content: "AQI" });
 * ```
 */
export function contentFields(
  sealed: Pick<SealedContent, "length" | "size" | "inline">,
): { length: number; content: string } | { length: number; content_size: number } {
  return sealed.inline === undefined
    ? { length: sealed.length, content_size: sealed.size }
    : { length: sealed.length, content: encodeBase64Url(sealed.inline) };
}
