/**
 * The SQLite {@linkcode ClientStore}.
 *
 * @module
 */
import type { ClientRow, ClientStore } from "../clients.ts";
import type { SqliteSession } from "./_session.ts";
import { clientParams, toClient } from "../_client_rows.ts";
import { SQLITE_FLAG } from "../_stored_flag.ts";

/**
 * The SQL of the client-lifecycle migration: the `disabled` flag, and indexes that make deleting
 * one client's rows cheap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLIENT_LIFECYCLE_MIGRATION_SQL } from "./_clients.ts";
 * assert.match(CLIENT_LIFECYCLE_MIGRATION_SQL, /ADD COLUMN disabled/);
 * ```
 */
export const CLIENT_LIFECYCLE_MIGRATION_SQL = `
ALTER TABLE clients ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX bearer_tokens_client ON bearer_tokens(client_id);
CREATE INDEX access_keys_reader ON access_keys(reader_id);
CREATE INDEX access_keys_authorizer ON access_keys(authorizer_id);
CREATE INDEX policies_writer ON policies(writer_id);
CREATE INDEX pending_files_writer ON pending_files(writer_id);
CREATE INDEX identities_client ON identities(client_id);
`;

/**
 * Clients in the `clients` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteClients } from "./_clients.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.clients instanceof SqliteClients);
 * await store.close();
 * ```
 */
export class SqliteClients implements ClientStore {
  readonly #sql: SqliteSession;

  /** The clients of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a client (its API key id must be unique). */
  create(client: ClientRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO clients (client_id, account_id, name, public_key_type, public_key," +
          " signing_key_type, signing_key, api_key_id, api_secret_hash, backup_client_id," +
          " backed_up, created, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ...clientParams(client, SQLITE_FLAG),
      );
    });
  }

  /** One client, or `undefined`. */
  get(clientId: string): Promise<ClientRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM clients WHERE client_id = ?", clientId);
      return row && toClient(row, SQLITE_FLAG);
    });
  }

  /** The client with this API key id, or `undefined`. */
  findByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM clients WHERE api_key_id = ?", apiKeyId);
      return row && toClient(row, SQLITE_FLAG);
    });
  }

  /** All clients, oldest first. */
  list(): Promise<ClientRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT * FROM clients ORDER BY created, client_id").map((row) =>
        toClient(row, SQLITE_FLAG)
      )
    );
  }

  /** Records that the client reported a credential backup at `at`. */
  markBackedUp(clientId: string, at: number): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run("UPDATE clients SET backed_up = ? WHERE client_id = ?", at, clientId);
    });
  }

  /** Disables or enables the client; false when there is no such client. */
  setDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run(
        "UPDATE clients SET disabled = ? WHERE client_id = ?",
        disabled ? 1 : 0,
        clientId,
      ) === 1
    );
  }

  /** Deletes the client row (its bearer tokens go with it); false when there was none. */
  delete(clientId: string): Promise<boolean> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM clients WHERE client_id = ?", clientId) === 1
    );
  }
}
