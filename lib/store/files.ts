/**
 * What the store keeps for large files (`/v1/storage/files`), and the methods every backend
 * implements for them. The bytes themselves live in a `BlobStore`; the store keeps:
 *
 * - pending files: uploads started with `POST` and not yet committed with `PATCH`;
 * - used capability tokens, so a signed file URL works once;
 * - blob deletions still to do, queued in the same transaction that drops the last reference
 *   (a record delete, an expired pending file), so a crash never leaks bytes.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */
import type { QuotaLimit } from "./usage.ts";

/** Where a pending file is: waiting for its bytes, receiving them, or holding them. */
export type PendingFileState = "pending" | "uploading" | "uploaded";

/** An upload that has not been committed yet. */
export interface PendingFileRow {
  /** UUID; also the `{id}` of `PATCH /v1/storage/files/{id}`. */
  pendingId: string;
  /** The client that started it (and alone may upload and commit it). */
  writerId: string;
  /** The record's user. */
  userId: string;
  /** The record's type. */
  type: string;
  /** The record's clear metadata. */
  plain: Record<string, string>;
  /** The record's encrypted fields (usually `{}`). */
  data: Record<string, string>;
  /** The record signature, if the writer sent one. */
  recSig: string | null;
  /**
   * Standard base64 MD5 of the bytes: announced by the client, else `null` until the upload
   * has measured it.
   */
  checksum: string | null;
  /** `raw`. */
  compression: string;
  /** Size in bytes: announced, else `null` until the upload has measured it. */
  size: number | null;
  /** Where the bytes go in the blob store (becomes `file_meta.file_name`). */
  blobKey: string;
  /** Upload progress. */
  state: PendingFileState;
  /** When it was started. */
  created: number;
  /** When it is swept if still not committed. */
  expires: number;
}

/**
 * The file methods of a store (`store.files`). Each is atomic on its own; group them with
 * `transaction`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.equal(await store.files.useCapability("token-1", 100), true);
 * assert.equal(await store.files.useCapability("token-1", 100), false); // single use
 * await store.files.queueBlobDeletion("blob-1");
 * assert.deepEqual(await store.files.listBlobDeletions(10), ["blob-1"]);
 * await store.files.finishBlobDeletion("blob-1");
 * assert.deepEqual(await store.files.listBlobDeletions(10), []);
 * await store.close();
 * ```
 */
export interface FileStore {
  /** Adds a pending file (its id and blob key must be new). */
  createPending(file: PendingFileRow): Promise<void>;
  /** One pending file, or `undefined`. */
  getPending(pendingId: string): Promise<PendingFileRow | undefined>;
  /** Moves a pending file from state `from` to `to`; false when it is not in `from` (or gone). */
  setPendingState(
    pendingId: string,
    from: PendingFileState,
    to: PendingFileState,
  ): Promise<boolean>;
  /**
   * Moves every `uploading` file back to `pending` (their uploads died with the process that ran
   * them); returns how many. Only for a store no running server uses yet (at startup).
   */
  resetInterruptedUploads(): Promise<number>;
  /**
   * Moves a pending file from `uploading` to `uploaded` and records the checksum and size the
   * upload measured; false when it is not `uploading` (or gone). The size counts in the writer's
   * usage (`usage.ts`) from then on; past `limit` it throws `QuotaExceededError` and changes
   * nothing.
   */
  markPendingUploaded(
    pendingId: string,
    measured: { checksum: string; size: number },
    limit?: QuotaLimit,
  ): Promise<boolean>;
  /**
   * Removes a pending file without touching its blob (freeing an uploaded file's size from the
   * usage); false when there was none.
   */
  deletePending(pendingId: string): Promise<boolean>;
  /**
   * Removes pending files with `expires <= nowMicros` (at most `limit`) and queues their blob
   * keys for deletion, atomically, freeing uploaded sizes; returns how many were removed.
   */
  expirePending(nowMicros: number, limit: number): Promise<number>;
  /**
   * Removes every pending file of the writer and queues their blob keys for deletion,
   * atomically; returns how many were removed.
   */
  deletePendingByWriter(writerId: string): Promise<number>;

  /** Queues a blob for deletion (idempotent). */
  queueBlobDeletion(blobKey: string): Promise<void>;
  /** Up to `limit` queued blob keys, oldest first. */
  listBlobDeletions(limit: number): Promise<string[]>;
  /** Marks a queued deletion done. */
  finishBlobDeletion(blobKey: string): Promise<void>;

  /**
   * Records that the capability token `tokenId` (valid until `expires`) has been used. True the
   * first time, false on every later call: this is what makes signed file URLs single-use.
   */
  useCapability(tokenId: string, expires: number): Promise<boolean>;
  /** Whether `useCapability(tokenId, …)` has been called (and not forgotten since). */
  capabilityUsed(tokenId: string): Promise<boolean>;
  /** Forgets used tokens with `expires <= nowMicros` (they fail their expiry check anyway). */
  deleteExpiredCapabilities(nowMicros: number): Promise<number>;
}
