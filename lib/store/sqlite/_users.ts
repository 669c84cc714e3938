/**
 * The SQLite {@linkcode UserStore}: key files in `key_files`, download attempts in
 * `key_file_attempts`. The SQL is plain enough for any SQL database (`ON CONFLICT ... DO
 * UPDATE`, `LIMIT`), so other backends can follow it.
 *
 * @module
 */
import type {
  KeyFileAttempt,
  KeyFileAttemptKey,
  KeyFileRow,
  KeyFileWrite,
  UserStore,
} from "../users.ts";
import type { SqliteSession } from "./_session.ts";
import { toKeyFile } from "../_key_file_rows.ts";

/** The migration that adds the users' key files and the download attempts. */
export const USERS_MIGRATION_SQL = `
CREATE TABLE key_files (
  client_id TEXT PRIMARY KEY REFERENCES clients(client_id) ON DELETE CASCADE,
  key_file BLOB NOT NULL,
  checksum TEXT NOT NULL,
  header BLOB NOT NULL,
  verifier BLOB NOT NULL,
  reminder TEXT NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0,
  failed_downloads INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE key_file_attempts (
  user_id TEXT NOT NULL,
  address TEXT NOT NULL,
  time INTEGER NOT NULL
) STRICT;
CREATE INDEX key_file_attempts_user ON key_file_attempts(user_id, time);
CREATE INDEX key_file_attempts_address ON key_file_attempts(address, time);
CREATE INDEX key_file_attempts_time ON key_file_attempts(time);
`;

/**
 * Key files and download attempts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteUsers } from "./_users.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.users instanceof SqliteUsers);
 * await store.close();
 * ```
 */
export class SqliteUsers implements UserStore {
  readonly #sql: SqliteSession;

  /** The users of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** The key file of a client, or `undefined`. */
  get(clientId: string): Promise<KeyFileRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM key_files WHERE client_id = ?", clientId);
      return row && toKeyFile(row);
    });
  }

  /** Stores the first key file or replaces it, keeping `created` and the counters. */
  save(keyFile: KeyFileWrite): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.atomic(() => {
        const existed = this.#sql.get(
          "SELECT 1 AS found FROM key_files WHERE client_id = ?",
          keyFile.clientId,
        ) !== undefined;
        this.#sql.run(
          `INSERT INTO key_files (client_id, key_file, checksum, header, verifier, reminder,
             created, updated, downloads, failed_downloads)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)
           ON CONFLICT (client_id) DO UPDATE SET key_file = excluded.key_file,
             checksum = excluded.checksum, header = excluded.header,
             verifier = excluded.verifier, reminder = excluded.reminder,
             updated = excluded.updated`,
          keyFile.clientId,
          keyFile.keyFile,
          keyFile.checksum,
          keyFile.header,
          keyFile.verifier,
          keyFile.reminder,
          keyFile.updated,
          keyFile.updated,
        );
        return !existed;
      })
    );
  }

  /** Counts one download, successful or not. */
  countDownload(clientId: string, succeeded: boolean): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        succeeded
          ? "UPDATE key_files SET downloads = downloads + 1 WHERE client_id = ?"
          : "UPDATE key_files SET failed_downloads = failed_downloads + 1 WHERE client_id = ?",
        clientId,
      );
    });
  }

  /** Removes a client's key file. */
  delete(clientId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM key_files WHERE client_id = ?", clientId) > 0
    );
  }

  /** Records one download attempt. */
  addAttempt(attempt: KeyFileAttempt): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO key_file_attempts (user_id, address, time) VALUES (?, ?, ?)",
        attempt.userId,
        attempt.address,
        attempt.time,
      );
    });
  }

  /** The times of `key`'s attempts after `since`, newest first, at most `limit`. */
  recentAttempts(key: KeyFileAttemptKey, since: number, limit: number): Promise<number[]> {
    const [column, value] = "userId" in key ? ["user_id", key.userId] : ["address", key.address];
    return this.#sql.exec(() =>
      this.#sql.all(
        `SELECT time FROM key_file_attempts WHERE ${column} = ? AND time > ?
         ORDER BY time DESC LIMIT ?`,
        value,
        since,
        limit,
      ).map((row) => Number(row.time))
    );
  }

  /** Removes the attempts made before `time`. */
  deleteAttemptsBefore(time: number): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM key_file_attempts WHERE time < ?", time)
    );
  }
}
