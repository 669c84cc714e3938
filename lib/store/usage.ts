/**
 * Storage used per client, and the quota on it. A client's usage is the bytes of its records
 * (their stored `plain`, `data`, signature and `file_meta` JSON, UTF-8) plus the bytes of its
 * files: committed ones, and uploaded ones not committed yet. The store keeps it in step with
 * every write in the same atomic step: the methods that add bytes (`records.insert`,
 * `records.update`, `files.markPendingUploaded`) take a quota and throw
 * {@linkcode QuotaExceededError} instead of passing it, and deletes free what they drop.
 *
 * @module
 */
import { ArcaError } from "../errors.ts";

/** A quota on a write: at most `quotaBytes` in all for its client (0 or absent: no limit). */
export interface QuotaLimit {
  /** The client's quota in bytes; 0 means unlimited. */
  quotaBytes?: number | undefined;
}

/**
 * A write would take its client past its storage quota (the server answers 413).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuotaExceededError } from "./usage.ts";
 * const error = new QuotaExceededError(100, 90, 20);
 * assert.match(error.message, /quota of 100 bytes/);
 * ```
 */
export class QuotaExceededError extends ArcaError {
  /** The refused write needed `neededBytes` more, with `usedBytes` of `quotaBytes` used. */
  constructor(quotaBytes: number, usedBytes: number, neededBytes: number) {
    super(
      `Storage quota exceeded: this write needs ${neededBytes} more bytes, and the client ` +
        `uses ${usedBytes} of its quota of ${quotaBytes} bytes (ARCA_CLIENT_QUOTA_BYTES)`,
    );
  }
}

/**
 * The usage methods of a store (`store.usage`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.equal(await store.usage.bytes(crypto.randomUUID()), 0);
 * await store.close();
 * ```
 */
export interface UsageStore {
  /** The bytes a client uses (0 for a client that stores nothing). */
  bytes(clientId: string): Promise<number>;
  /** Drops a client's usage (when the client is deleted); false when it had none. */
  forget(clientId: string): Promise<boolean>;
}
