/**
 * The PostgreSQL {@linkcode ClientStore}, and the client lifecycle migration (step 7).
 *
 * @module
 */
import type { PublicKeyType, SigningKeyType } from "../../protocol/keys.ts";
import type { ClientRow, ClientStore } from "../clients.ts";
import type { PgRow, PostgresSession } from "./_session.ts";

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
      client.disabled === true,
    );
  }

  /** One client, or `undefined`. */
  async get(clientId: string): Promise<ClientRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM clients WHERE client_id = $1", clientId);
    return row && toClient(row);
  }

  /** The client with this API key id, or `undefined`. */
  async findByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined> {
    const row = await this.#sql.row("SELECT * FROM clients WHERE api_key_id = $1", apiKeyId);
    return row && toClient(row);
  }

  /** All clients, oldest first. */
  async list(): Promise<ClientRow[]> {
    return (await this.#sql.rows('SELECT * FROM clients ORDER BY created, client_id COLLATE "C"'))
      .map(
        toClient,
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

function toClient(row: PgRow): ClientRow {
  return {
    clientId: String(row.client_id),
    accountId: String(row.account_id),
    name: String(row.name),
    publicKeyType: String(row.public_key_type) as PublicKeyType,
    publicKey: String(row.public_key),
    signingKeyType: row.signing_key_type === null
      ? null
      : String(row.signing_key_type) as SigningKeyType,
    signingKey: row.signing_key === null ? null : String(row.signing_key),
    apiKeyId: String(row.api_key_id),
    apiSecretHash: String(row.api_secret_hash),
    backupClientId: String(row.backup_client_id),
    backedUp: row.backed_up === null ? null : Number(row.backed_up),
    created: Number(row.created),
    disabled: row.disabled === true,
  };
}
