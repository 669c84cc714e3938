/**
 * Users' key files (`/v1/arca/users`): a user is a client that uploaded a key file. The store
 * keeps the sealed key file as opaque bytes with its SHA-256 checksum, its 48-byte clear header,
 * the passphrase verifier (SHA-256 of the passphrase proof), the public reminder and download
 * counters; and every passphrase download attempt (by user id and by client address) for the
 * throttle, which housekeeping prunes once it is older than any window.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */

/** A stored key file. */
export interface KeyFileRow {
  /** The user's id: its client id. */
  clientId: string;
  /** The sealed key file, as uploaded. */
  keyFile: Uint8Array;
  /** Lower-case hex SHA-256 of `keyFile`. */
  checksum: string;
  /** The key file's first 48 bytes (KDF parameters and salts, in clear). */
  header: Uint8Array;
  /** SHA-256 of the passphrase proof (32 bytes). */
  verifier: Uint8Array;
  /** The public reminder of the passphrase. */
  reminder: string;
  /** First upload. */
  created: number;
  /** Last upload. */
  updated: number;
  /** Successful downloads by passphrase proof. */
  downloads: number;
  /** Downloads refused for a wrong proof. */
  failedDownloads: number;
}

/** What an upload writes: a key file without its creation time and counters. */
export type KeyFileWrite = Omit<KeyFileRow, "created" | "downloads" | "failedDownloads">;

/** One download attempt: whose key file was asked for, from which address, when. */
export interface KeyFileAttempt {
  /** The user id asked for (known or not). */
  userId: string;
  /** The caller's address key (see the server's client-address logic). */
  address: string;
  /** When. */
  time: number;
}

/** The attempts of one user id or of one address. */
export type KeyFileAttemptKey = { userId: string } | { address: string };

/**
 * The user methods of a store (`store.users`). Each is atomic on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * const clientId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * await store.clients.create({
 *   clientId, accountId, name: "alice", publicKeyType: "curve25519", publicKey: "pk",
 *   signingKeyType: null, signingKey: null, apiKeyId: "a1", apiSecretHash: "h",
 *   backupClientId: clientId, backedUp: null, created: 1,
 * });
 * const keyFile = new Uint8Array(100);
 * await store.users.save({
 *   clientId, keyFile, checksum: "c1", header: keyFile.slice(0, 48),
 *   verifier: new Uint8Array(32), reminder: "blue", updated: 5,
 * });
 * await store.users.countDownload(clientId, true);
 * const row = await store.users.get(clientId);
 * assert.equal(row?.created, 5);
 * assert.equal(row?.downloads, 1);
 * await store.users.addAttempt({ userId: clientId, address: "10.0.0.1", time: 7 });
 * assert.deepEqual(await store.users.recentAttempts({ address: "10.0.0.1" }, 0, 10), [7]);
 * assert.equal(await store.users.deleteAttemptsBefore(8), 1);
 * assert.equal(await store.users.delete(clientId), true);
 * await store.close();
 * ```
 */
export interface UserStore {
  /** The key file of a client, or `undefined` when it has none (it is not a user). */
  get(clientId: string): Promise<KeyFileRow | undefined>;
  /**
   * Stores a client's key file: the first one with `created = updated` and counters at 0; a
   * later one replaces the bytes, checksum, header, verifier, reminder and `updated`, keeping
   * `created` and the counters. Returns true when it was the first.
   */
  save(keyFile: KeyFileWrite): Promise<boolean>;
  /** Counts one download by passphrase proof, successful or not (nothing when there is none). */
  countDownload(clientId: string, succeeded: boolean): Promise<void>;
  /** Removes a client's key file; false when there was none. */
  delete(clientId: string): Promise<boolean>;
  /** Records one download attempt. */
  addAttempt(attempt: KeyFileAttempt): Promise<void>;
  /**
   * The times of the attempts of `key` made after `since`, newest first, at most `limit` of
   * them.
   */
  recentAttempts(key: KeyFileAttemptKey, since: number, limit: number): Promise<number[]>;
  /** Removes the attempts made before `time`; returns how many. */
  deleteAttemptsBefore(time: number): Promise<number>;
}
