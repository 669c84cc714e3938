/**
 * Client rows for both backends: a {@linkcode ClientRow}'s bound values, and a stored row
 * (column name → value) as a {@linkcode ClientRow}.
 *
 * @module
 */
import type { PublicKeyType, SigningKeyType } from "../protocol/keys.ts";
import type { ClientRow } from "./clients.ts";
import type { StoredFlag } from "./_stored_flag.ts";

type Columns = Record<string, unknown>;

/**
 * A client's values for `clients (client_id, account_id, name, public_key_type, public_key,
 * signing_key_type, signing_key, api_key_id, api_secret_hash, backup_client_id, backed_up,
 * created, disabled)`, in that order.
 */
export function clientParams<F extends number | boolean>(
  client: ClientRow,
  flag: StoredFlag<F>,
): Array<string | number | null | F> {
  return [
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
    flag.write(client.disabled === true),
  ];
}

/** A `clients` row as a {@linkcode ClientRow}. */
export function toClient(row: Columns, flag: StoredFlag<number | boolean>): ClientRow {
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
    disabled: flag.read(row.disabled),
  };
}
