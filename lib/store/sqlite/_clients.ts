/**
 * The SQLite {@linkcode ClientStore}.
 *
 * @module
 */
import type { PublicKeyType, SigningKeyType } from "../../protocol/keys.ts";
import type { ClientRow, ClientStore } from "../clients.ts";
import type { SqliteSession, SqlRow } from "./_session.ts";

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
        client.clientId,
        client.accountId,
        client.name,
        client.publicKeyType,
        client.publicKey,
        client.signingKeyType,
        client.signingKey,
        client.apiKeyId,
        client.apiSecretHash,
        client.backupClientId,
        client.backedUp,
        client.created,
        client.disabled === true ? 1 : 0,
      );
    });
  }

  /** One client, or `undefined`. */
  get(clientId: string): Promise<ClientRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM clients WHERE client_id = ?", clientId);
      return row && toClient(row);
    });
  }

  /** The client with this API key id, or `undefined`. */
  findByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM clients WHERE api_key_id = ?", apiKeyId);
      return row && toClient(row);
    });
  }

  /** All clients, oldest first. */
  list(): Promise<ClientRow[]> {
    return this.#sql.exec(() =>
      this.#sql.all("SELECT * FROM clients ORDER BY created, client_id").map(toClient)
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

function toClient(row: SqlRow): ClientRow {
  return {
    clientId: String(row.client_id),
    accountId: String(row.account_id),
    name: String(row.name),
    publicKeyType: String(row.public_key_type) as PublicKeyType,
    publicKey: String(row.public_key),
    signingKeyType: row.signing_key_type === null ? null : String(row.signing_key_type) as (
      SigningKeyType
    ),
    signingKey: row.signing_key === null ? null : String(row.signing_key),
    apiKeyId: String(row.api_key_id),
    apiSecretHash: String(row.api_secret_hash),
    backupClientId: String(row.backup_client_id),
    backedUp: row.backed_up === null ? null : Number(row.backed_up),
    created: Number(row.created),
    disabled: row.disabled === 1,
  };
}
