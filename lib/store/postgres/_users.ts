/**
 * The PostgreSQL {@linkcode UserStore}: key files in `key_files`, download attempts in
 * `key_file_attempts`, as in SQLite (binary columns as `bytea`). A replace keeps `created` and
 * the counters; the counters move in single `UPDATE`s, so concurrent downloads on several
 * instances all count.
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
import type { PostgresSession } from "./_session.ts";
import { toKeyFile } from "../_key_file_rows.ts";

/** Migration 9: the users' key files and the download attempts. */
export const USERS_MIGRATION_SQL_POSTGRES = `
CREATE TABLE key_files (
  client_id text PRIMARY KEY REFERENCES clients(client_id) ON DELETE CASCADE,
  key_file bytea NOT NULL,
  checksum text NOT NULL,
  header bytea NOT NULL,
  verifier bytea NOT NULL,
  reminder text NOT NULL,
  created bigint NOT NULL,
  updated bigint NOT NULL,
  downloads bigint NOT NULL DEFAULT 0,
  failed_downloads bigint NOT NULL DEFAULT 0
);
CREATE TABLE key_file_attempts (
  user_id text NOT NULL,
  address text NOT NULL,
  time bigint NOT NULL
);
CREATE INDEX key_file_attempts_user ON key_file_attempts(user_id, time);
CREATE INDEX key_file_attempts_address ON key_file_attempts(address, time);
CREATE INDEX key_file_attempts_time ON key_file_attempts(time);
`;

const SAVE_SQL = `INSERT INTO key_files AS k (client_id, key_file, checksum, header, verifier,
    reminder, created, updated, downloads, failed_downloads)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0, 0)
  ON CONFLICT (client_id) DO UPDATE SET key_file = excluded.key_file,
    checksum = excluded.checksum, header = excluded.header, verifier = excluded.verifier,
    reminder = excluded.reminder, updated = excluded.updated
  RETURNING (xmax = 0) AS inserted`;

/**
 * Key files and download attempts of a PostgreSQL store.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.users.get(crypto.randomUUID()), undefined);
 * ```
 */
export class PostgresUsers implements UserStore {
  readonly #sql: PostgresSession;

  /** The users of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** The key file of a client, or `undefined`. */
  async get(clientId: string): Promise<KeyFileRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM key_files WHERE client_id = $1", clientId);
    return row && toKeyFile(row);
  }

  /** Stores the first key file or replaces it, keeping `created` and the counters. */
  async save(keyFile: KeyFileWrite): Promise<boolean> {
    const row = await this.#sql.row(
      SAVE_SQL,
      keyFile.clientId,
      keyFile.keyFile,
      keyFile.checksum,
      keyFile.header,
      keyFile.verifier,
      keyFile.reminder,
      keyFile.updated,
    );
    return row?.inserted === true;
  }

  /** Counts one download, successful or not. */
  async countDownload(clientId: string, succeeded: boolean): Promise<void> {
    await this.#sql.run(
      succeeded
        ? "UPDATE key_files SET downloads = downloads + 1 WHERE client_id = $1"
        : "UPDATE key_files SET failed_downloads = failed_downloads + 1 WHERE client_id = $1",
      clientId,
    );
  }

  /** Removes a client's key file. */
  async delete(clientId: string): Promise<boolean> {
    return await this.#sql.run("DELETE FROM key_files WHERE client_id = $1", clientId) > 0;
  }

  /** Records one download attempt. */
  async addAttempt(attempt: KeyFileAttempt): Promise<void> {
    await this.#sql.run(
      "INSERT INTO key_file_attempts (user_id, address, time) VALUES ($1, $2, $3)",
      attempt.userId,
      attempt.address,
      attempt.time,
    );
  }

  /** The times of `key`'s attempts after `since`, newest first, at most `limit`. */
  async recentAttempts(key: KeyFileAttemptKey, since: number, limit: number): Promise<number[]> {
    const [column, value] = "userId" in key ? ["user_id", key.userId] : ["address", key.address];
    const rows = await this.#sql.rows(
      `SELECT time FROM key_file_attempts WHERE ${column} = $1 AND time > $2
       ORDER BY time DESC LIMIT $3`,
      value,
      since,
      limit,
    );
    return rows.map((row) => Number(row.time));
  }

  /** Removes the attempts made before `time`. */
  async deleteAttemptsBefore(time: number): Promise<number> {
    return await this.#sql.run("DELETE FROM key_file_attempts WHERE time < $1", time);
  }
}
