/**
 * Turning container request bodies into writes: access entries (key blobs written by the
 * caller), inline content within `ARCA_CONTAINER_INLINE_BYTES`, announced uploads within
 * `ARCA_MAX_FILE_BYTES`, the `Arca-App-Name` of events, and the change an announced upload
 * carries until its bytes arrive.
 *
 * @module
 */
import type { Context } from "hono";
import { encodeHex } from "../crypto/encoding.ts";
import { randomBytes } from "../crypto/bytes.ts";
import {
  APP_NAME_HEADER,
  inlineContentBytes,
  MAX_APP_NAME_LENGTH,
  type ParsedAccessEntry,
} from "../protocol/containers.ts";
import type { AccessInput, ContainerChange, ContentInput } from "./_container_writes.ts";
import type { Deps } from "./env.ts";
import { deleteQueuedBlobs } from "./_file_sweep.ts";
import { HttpError } from "./_http_error.ts";
import { logFailure } from "./_log.ts";
import { DEFAULT_CONTAINER_INLINE_BYTES, maxFileBytes } from "./settings.ts";

/**
 * The request's `Arca-App-Name`, or `null` when absent, empty or longer than
 * {@linkcode MAX_APP_NAME_LENGTH}.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * const context = { now, actorId: clientId, appName: appNameOf(c) };
 * ```
 */
export function appNameOf(c: Context): string | null {
  const name = c.req.header(APP_NAME_HEADER)?.trim();
  return name === undefined || name === "" || name.length > MAX_APP_NAME_LENGTH ? null : name;
}

/**
 * The parsed access list as writes take it; every key blob must name the caller as its writer
 * (400 otherwise): readers check its signature against that writer's registered key.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * const access = accessInputs(body.access, clientId);
 * ```
 */
export function accessInputs(entries: ParsedAccessEntry[], callerId: string): AccessInput[] {
  return entries.map((entry) => {
    const blob = entry.key_blob ?? null;
    if (blob !== null && blob.writer_id.toLowerCase() !== callerId) {
      throw new HttpError(
        400,
        `access: the key_blob of user ${entry.user_id} must have the caller as writer_id`,
      );
    }
    return {
      userId: entry.user_id.toLowerCase(),
      permissions: entry.permissions,
      expiration: entry.expiration ?? null,
      keyBlob: blob === null ? null : JSON.stringify({
        writer_id: blob.writer_id.toLowerCase(),
        encrypted_key: blob.encrypted_key,
        signature: blob.signature,
      }),
    };
  });
}

/** The largest inline content under the server's settings. */
export function inlineLimit(deps: Deps): number {
  return deps.settings.containerInlineBytes ?? DEFAULT_CONTAINER_INLINE_BYTES;
}

/** The sealed parts of a request: inline content, or an announced size. */
export interface SealedParts {
  /** The new version. */
  version: number;
  /** Plaintext bytes. */
  length: number;
  /** The sealed header, or `null`/absent. */
  header?: string | null | undefined;
  /** Inline sealed content. */
  content?: string | undefined;
  /** Announced sealed size. */
  content_size?: number | undefined;
}

/**
 * The new version of a request: inline (413 past the inline limit) or announced (413 past
 * `ARCA_MAX_FILE_BYTES`; then `blobKey` is where its upload goes, fresh for every upload).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server.
 * const content = contentInput(deps, containerId, { version: 1, ...body });
 * ```
 */
export function contentInput(deps: Deps, containerId: string, parts: SealedParts): ContentInput {
  const header = parts.header ?? null;
  if (parts.content !== undefined) {
    const size = inlineContentBytes(parts.content);
    const limit = inlineLimit(deps);
    if (size > limit) {
      throw new HttpError(
        413,
        `content is ${size} bytes; inline content is limited to ${limit} bytes ` +
          "(ARCA_CONTAINER_INLINE_BYTES): send content_size and PUT the bytes",
      );
    }
    return {
      version: parts.version,
      length: parts.length,
      header,
      contentSize: size,
      inline: parts.content,
      blobKey: null,
    };
  }
  const size = parts.content_size ?? 0;
  const largest = maxFileBytes(deps.settings);
  if (size > largest) {
    throw new HttpError(
      413,
      `content_size ${size} is larger than this server's limit of ${largest} bytes ` +
        "(ARCA_MAX_FILE_BYTES)",
    );
  }
  if (deps.blobs === undefined) {
    throw new HttpError(501, "This server has no file storage configured: send content inline");
  }
  const blobKey = `ctr-${containerId}-${parts.version}-${encodeHex(randomBytes(8))}`;
  return {
    version: parts.version,
    length: parts.length,
    header,
    contentSize: size,
    inline: null,
    blobKey,
  };
}

/** What an announced upload applies once its bytes are in. */
export interface PendingChange {
  /** A new container (`type` is its type) or a change to one. */
  create: boolean;
  /** The change (for a creation: `type`, `content` and `access` are all set). */
  change: ContainerChange;
}

/**
 * A pending change as stored with its upload (JSON text), and back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingChangeFromText, pendingChangeText } from "./_container_requests.ts";
 * const pending = { create: false, change: { type: null } };
 * assert.deepEqual(pendingChangeFromText(pendingChangeText(pending)), pending);
 * ```
 */
export function pendingChangeText(pending: PendingChange): string {
  return JSON.stringify(pending);
}

/** The stored text of {@linkcode pendingChangeText} as a {@linkcode PendingChange}. */
export function pendingChangeFromText(text: string): PendingChange {
  return JSON.parse(text) as PendingChange;
}

/**
 * Deletes the blobs queued for deletion (replaced or dropped container content) now; a failure
 * is logged and left to the file sweep.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server, after a commit that queued blobs.
 * await deleteDroppedContent(deps);
 * ```
 */
export async function deleteDroppedContent(deps: Deps): Promise<void> {
  if (deps.blobs === undefined) return;
  await deleteQueuedBlobs(deps.store, deps.blobs).catch((error) =>
    logFailure(deps.log, "Deleting container bytes failed (the sweep will retry)", error)
  );
}
