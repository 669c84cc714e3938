/**
 * The PostgreSQL {@linkcode ClientStore}, and the client lifecycle migration (step 7).
 *
 * @module
 */
import type { ClientRow, ClientStore } from "../clients.ts";
import type { PostgresSession } from "./_session.ts";
import { clientParams, toClient } from "../_client_rows.ts";
import { POSTGRES_FLAG } from "../_stored_flag.ts";

/** Migration 7: the disabled flag and the per-client indexes client deletion walks. */
export const CLIENT_LIFECYCLE_MIGRATION_SQL_POSTGRES = `
ALTER TABLE clients ADD COLUMN disabled boolean NOT NULL DEFAULT false;
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
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.deepEqual(await store.clients.list(), []);
 * ```
 */
export class PostgresClients implements ClientStore {
  readonly #sql: PostgresSession;

  /** The clients of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds a client (its id and API key id must be new). */
  async create(client: ClientRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO clients (client_id, account_id, name, public_key_type, public_key," +
        " signing_key_type, signing_key, api_key_id, api_secret_hash, backup_client_id," +
        " backed_up, created, disabled)" +
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      ...clientParams(client, POSTGRES_FLAG),
    );
  }

  /** One client, or `undefined`. */
  async get(clientId: string): Promise<ClientRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM clients WHERE client_id = $1", clientId);
    return row && toClient(row, POSTGRES_FLAG);
  }

  /** The client with this API key id, or `undefined`. */
  async findByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM clients WHERE api_key_id = $1", apiKeyId);
    return row && toClient(row, POSTGRES_FLAG);
  }

  /** All clients, oldest first. */
  async list(): Promise<ClientRow[]> {
    return (await this.#sql.rows('SELECT * FROM clients ORDER BY created, client_id COLLATE "C"'))
      .map(
        (row) => toClient(row, POSTGRES_FLAG),
      );
  }

  /** Records when the client's key was backed up. */
  async markBackedUp(clientId: string, at: number): Promise<void> {
    await this.#sql.run("UPDATE clients SET backed_up = $1 WHERE client_id = $2", at, clientId);
  }

  /** Disables or re-enables a client; false when there is no such client. */
  async setDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    return await this.#sql.run(
      "UPDATE clients SET disabled = $1 WHERE client_id = $2",
      disabled,
      clientId,
    ) === 1;
  }

  /** Deletes the client row; false when there is no such client. */
  async delete(clientId: string): Promise<boolean> {
    return await this.#sql.run("DELETE FROM clients WHERE client_id = $1", clientId) === 1;
  }
}
