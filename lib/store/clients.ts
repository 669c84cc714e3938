/**
 * Registered clients: their public keys and API credentials (the secret stored hashed).
 *
 * @module
 */
import type { PublicKeyType, SigningKeyType } from "../protocol/keys.ts";

/** A registered client. */
export interface ClientRow {
  /** UUID. */
  clientId: string;
  /** The account of the token it registered with. */
  accountId: string;
  /** Name given at registration. */
  name: string;
  /** `curve25519` or `p384`. */
  publicKeyType: PublicKeyType;
  /** Encryption public key, wire text. */
  publicKey: string;
  /** `ed25519`, `p384`, or `null` when it registered no signing key. */
  signingKeyType: SigningKeyType | null;
  /** Signing public key, wire text, or `null`. */
  signingKey: string | null;
  /** Basic-auth user name for `/v1/auth/token` (hex). */
  apiKeyId: string;
  /** SHA-256 hex of the API secret. */
  apiSecretHash: string;
  /** The id sent as `X-Backup-Client`. */
  backupClientId: string;
  /** When the client last reported a credential backup, or `null`. */
  backedUp: number | null;
  /** Registration time. */
  created: number;
  /**
   * Whether an admin disabled it (then it cannot authenticate). Rows read from a store always
   * carry it; `create` treats it as `false` when absent.
   */
  disabled?: boolean;
}

/**
 * The client methods of a store (`store.clients`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * const clientId = crypto.randomUUID();
 * await store.clients.create({
 *   clientId, accountId, name: "laptop", publicKeyType: "curve25519", publicKey: "pk",
 *   signingKeyType: null, signingKey: null, apiKeyId: "a1", apiSecretHash: "h",
 *   backupClientId: clientId, backedUp: null, created: 1,
 * });
 * assert.equal((await store.clients.findByApiKeyId("a1"))?.clientId, clientId);
 * await store.clients.markBackedUp(clientId, 5);
 * assert.equal((await store.clients.get(clientId))?.backedUp, 5);
 * assert.equal(await store.clients.setDisabled(clientId, true), true);
 * assert.equal((await store.clients.get(clientId))?.disabled, true);
 * assert.equal(await store.clients.delete(clientId), true);
 * assert.equal(await store.clients.get(clientId), undefined);
 * await store.close();
 * ```
 */
export interface ClientStore {
  /** Adds a client (its API key id must be unique). */
  create(client: ClientRow): Promise<void>;
  /** One client, or `undefined`. */
  get(clientId: string): Promise<ClientRow | undefined>;
  /** The client with this API key id, or `undefined`. */
  findByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined>;
  /** All clients, oldest first. */
  list(): Promise<ClientRow[]>;
  /** Records that the client reported a credential backup at `at`. */
  markBackedUp(clientId: string, at: number): Promise<void>;
  /** Disables or enables the client; false when there is no such client. */
  setDisabled(clientId: string, disabled: boolean): Promise<boolean>;
  /**
   * Deletes the client row (and its bearer tokens); false when there was none. Everything else
   * that names it (records, access keys, policies, pending files, identities) must be deleted
   * first, in the same transaction.
   */
  delete(clientId: string): Promise<boolean>;
}
