/**
 * The `Store` interface: everything the server persists, behind async methods so that SQLite
 * (embedded) and PostgreSQL (scale-out) implement the same shape. Every backend must pass
 * `tests/store_conformance.ts`.
 *
 * Times are integer microseconds since the Unix epoch. Secrets are stored only as SHA-256 hex
 * digests (`*Hash` fields). Ids are lower-case UUIDs.
 *
 * @module
 */
import type { FileStore } from "./file_store.ts";
import type { IdentityStore } from "./identity_store.ts";
import type { NoteStore } from "./note_store.ts";
import type { SearchPage, SearchQuery } from "./search/search_query.ts";
import type { PlainFilter } from "../protocol/query.ts";
import type { PublicKeyType, SigningKeyType } from "../protocol/keys.ts";

/** An account: the owner of registration tokens and the clients registered with them. */
export interface AccountRow {
  /** UUID. */
  accountId: string;
  /** Display name. */
  name: string;
  /** Creation time. */
  created: number;
}

/** A registration token, stored hashed. */
export interface RegistrationTokenRow {
  /** Public id (UUID) used by the admin API; the token itself is never stored. */
  tokenId: string;
  /** SHA-256 hex of the token text. */
  tokenHash: string;
  /** The account clients registered with it join. */
  accountId: string;
  /** Label chosen by the admin. */
  name: string;
  /** One-time tokens register one client; reusable tokens any number. */
  oneTime: boolean;
  /** How many clients registered with it. */
  uses: number;
  /** Revoked tokens register nobody. */
  revoked: boolean;
  /** Creation time. */
  created: number;
}

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
}

/** A bearer token, stored hashed. */
export interface BearerTokenRow {
  /** SHA-256 hex of the token text. */
  tokenHash: string;
  /** The client it authenticates. */
  clientId: string;
  /** Expiry time. */
  expires: number;
}

/** A stored record. `plain`, `data` and `fileMeta` are parsed JSON. */
export interface RecordRow {
  /** Monotonic sequence number: the v1 query `after_index`/`last_index`. */
  seq: number;
  /** UUID. */
  recordId: string;
  /** The client that wrote it (the only one that may change it). */
  writerId: string;
  /** The subject of the record (E3DB clients set it to the writer). */
  userId: string;
  /** Record type; sharing is per type. */
  type: string;
  /** Clear, searchable metadata. */
  plain: Record<string, string>;
  /** Encrypted fields (opaque to the server). */
  data: Record<string, string>;
  /** The writer's record signature, if it sent one. */
  recSig: string | null;
  /** File metadata for file records, else `null`. */
  fileMeta: Record<string, unknown> | null;
  /** Creation time (strictly increasing across writes). */
  created: number;
  /** Last update time. */
  lastModified: number;
  /** Opaque version (UUID), new on every update. */
  version: string;
}

/** What a new record needs; the store assigns `seq`. */
export type NewRecord = Omit<RecordRow, "seq">;

/** The replaceable parts of a record on update. */
export interface RecordChanges {
  /** New clear metadata. */
  plain: Record<string, string>;
  /** New encrypted fields. */
  data: Record<string, string>;
  /** New record signature, or `null`. */
  recSig: string | null;
  /** Update time. */
  lastModified: number;
  /** The new version. */
  version: string;
}

/** The outcome of a versioned update or delete. */
export type VersionedOutcome<T> =
  | { status: "ok"; value: T }
  | { status: "missing" }
  | { status: "conflict" };

/** The key of an access key or a policy: who wrote, about whom, for whom, which type. */
export interface GrantKey {
  /** The writer whose records it concerns. */
  writerId: string;
  /** The user (subject) of those records. */
  userId: string;
  /** The client it is for. */
  readerId: string;
  /** The record type. */
  type: string;
}

/** An encrypted access key and the client that put it. */
export interface AccessKeyRow extends GrantKey {
  /** `ct.nonce`, opaque to the server. */
  eak: string;
  /** The client that put (and encrypted) it. */
  authorizerId: string;
  /** When it was put. */
  created: number;
}

/** A sharing policy: what `readerId` may do with `writerId`'s records of `type`. */
export interface PolicyRow extends GrantKey {
  /** May read the records. */
  canRead: boolean;
  /** May share and revoke read on the writer's behalf. */
  canAuthorize: boolean;
  /** May edit (stored for E3DB compatibility; not enforced yet). */
  canEdit: boolean;
  /** The client whose PUT last changed this policy. */
  authorizedBy: string;
  /** When it last changed. */
  updated: number;
}

/** Which policies to list; every given field must match. */
export interface PolicyFilter {
  /** Only this writer's policies. */
  writerId?: string;
  /** Only policies for this reader. */
  readerId?: string;
  /** Only policies with this read flag. */
  canRead?: boolean;
  /** Only policies with this authorizer flag. */
  canAuthorize?: boolean;
}

/**
 * A v1 query as the store runs it. Rows come back in `seq` order, after `afterSeq`, at most
 * `limit`. Empty lists mean "no filter".
 */
export interface RecordQuery {
  /** The client asking. */
  callerId: string;
  /**
   * `"own"`: records written by `callerId`; `"readable"`: also records another writer shares
   * with `callerId` through a current allow-read policy.
   */
  scope: "own" | "readable";
  /** Only rows with `seq` greater than this. */
  afterSeq: number;
  /** At most this many rows. */
  limit: number;
  /** Only these writers. */
  writerIds: string[];
  /** Only these users. */
  userIds: string[];
  /** Only these records. */
  recordIds: string[];
  /** Only these types. */
  types: string[];
  /** A `plain` filter, or `null`. */
  plain: PlainFilter | null;
}

/** A persistent store. Methods are atomic on their own; group several with `transaction`. */
export interface Store extends NoteStore, IdentityStore, FileStore {
  /** The applied schema version (the highest migration). */
  schemaVersion(): Promise<number>;
  /**
   * Runs `fn` in one serialisable write transaction, committed when it resolves and rolled
   * back when it throws. Inside, use only the `tx` store it is given. A `tx` call that fails in
   * the database fails the whole transaction, even if `fn` catches its error (as in PostgreSQL).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Releases the store. */
  close(): Promise<void>;

  /** A timestamp `>= nowMicros` and strictly greater than every timestamp issued before. */
  issueTimestamp(nowMicros: number): Promise<number>;

  /** Adds an account. */
  createAccount(account: AccountRow): Promise<void>;
  /** One account, or `undefined`. */
  getAccount(accountId: string): Promise<AccountRow | undefined>;
  /** All accounts, oldest first. */
  listAccounts(): Promise<AccountRow[]>;

  /** Adds a registration token (its hash must be unique). */
  createRegistrationToken(token: RegistrationTokenRow): Promise<void>;
  /** The token with this hash, or `undefined`. */
  findRegistrationToken(tokenHash: string): Promise<RegistrationTokenRow | undefined>;
  /** Counts one use if the token is usable (not revoked; one-time and unused); false otherwise. */
  useRegistrationToken(tokenId: string): Promise<boolean>;
  /** All tokens, oldest first. */
  listRegistrationTokens(): Promise<RegistrationTokenRow[]>;
  /** Marks a token revoked; false when there is no such token. */
  revokeRegistrationToken(tokenId: string): Promise<boolean>;

  /** Adds a client (its API key id must be unique). */
  createClient(client: ClientRow): Promise<void>;
  /** One client, or `undefined`. */
  getClient(clientId: string): Promise<ClientRow | undefined>;
  /** The client with this API key id, or `undefined`. */
  findClientByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined>;
  /** All clients, oldest first. */
  listClients(): Promise<ClientRow[]>;
  /** Records that the client reported a credential backup at `at`. */
  markClientBackedUp(clientId: string, at: number): Promise<void>;

  /** Adds a bearer token. */
  createBearerToken(token: BearerTokenRow): Promise<void>;
  /** The token with this hash (expired or not), or `undefined`. */
  findBearerToken(tokenHash: string): Promise<BearerTokenRow | undefined>;
  /** Deletes tokens with `expires <= nowMicros`; returns how many. */
  deleteExpiredBearerTokens(nowMicros: number): Promise<number>;

  /** Adds a record and returns it with its sequence number. */
  insertRecord(record: NewRecord): Promise<RecordRow>;
  /** One record, or `undefined`. */
  getRecord(recordId: string): Promise<RecordRow | undefined>;
  /** Replaces `plain`, `data` and signature if the record is at `expectedVersion`. */
  updateRecord(
    recordId: string,
    expectedVersion: string,
    changes: RecordChanges,
  ): Promise<VersionedOutcome<RecordRow>>;
  /** Deletes the record if it is at `expectedVersion`. */
  deleteRecord(recordId: string, expectedVersion: string): Promise<VersionedOutcome<true>>;
  /** Runs a v1 query. */
  queryRecords(query: RecordQuery): Promise<RecordRow[]>;
  /** Runs a v2 search (`lib/store/search/`): one page of matching records and the total. */
  searchRecords(query: SearchQuery): Promise<SearchPage>;

  /** Inserts or replaces the EAK at its key. */
  putAccessKey(accessKey: AccessKeyRow): Promise<void>;
  /** The EAK at this key, or `undefined`. */
  getAccessKey(key: GrantKey): Promise<AccessKeyRow | undefined>;
  /** Deletes the EAK at this key; false when there was none. */
  deleteAccessKey(key: GrantKey): Promise<boolean>;

  /** The policy at this key, or `undefined`. */
  getPolicy(key: GrantKey): Promise<PolicyRow | undefined>;
  /** Inserts or replaces the policy at its key. */
  putPolicy(policy: PolicyRow): Promise<void>;
  /** Clears `canAuthorize` on every type for (user, writer, reader); returns rows changed. */
  removeAuthorizer(userId: string, writerId: string, readerId: string): Promise<number>;
  /** Policies matching the filter, ordered by writer, reader, type. */
  listPolicies(filter: PolicyFilter): Promise<PolicyRow[]>;
}
