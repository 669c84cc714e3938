/**
 * The `Store` interface: everything the server persists, as one small composition of
 * per-resource stores (`store.records`, `store.policies`, ...) plus the transaction and timestamp
 * core. Every method is async, so SQLite (embedded, `sqlite/store.ts`) and a scale-out database
 * implement the same shape; every backend must pass the conformance suite
 * (`tests/store_conformance/`).
 *
 * Times are integer microseconds since the Unix epoch. Secrets are stored only as SHA-256 hex
 * digests (`*Hash` fields). Ids are lower-case UUIDs.
 *
 * Adding a resource takes one interface file here (its rows and its `XStore`), one
 * implementation file per backend (`sqlite/x.ts`), one field below and one section of the
 * conformance suite.
 *
 * @module
 */
import type { AccessKeyStore } from "./access_keys.ts";
import type { AccountStore } from "./accounts.ts";
import type { BearerTokenStore } from "./bearer_tokens.ts";
import type { ClientStore } from "./clients.ts";
import type { FileStore } from "./files.ts";
import type { IdentityStore } from "./identity.ts";
import type { LoginFailureStore } from "./login_failures.ts";
import type { NoteStore } from "./notes.ts";
import type { PolicyStore } from "./policies.ts";
import type { RecordStore } from "./records.ts";
import type { RegistrationTokenStore } from "./registration_tokens.ts";
import type { ReplayNonceStore } from "./replay_nonces.ts";
import type { RevocationStore } from "./revocations.ts";
import type { SearchStore } from "./search.ts";
import type { StoreRuntimeStats } from "./runtime_stats.ts";
import type { UsageStore } from "./usage.ts";
import type { UserStore } from "./users.ts";
import type { ContainerStore } from "./containers.ts";
import type { EventStore } from "./events.ts";

/** Options of {@linkcode Store.transaction}. */
export interface TransactionOptions {
  /** A large operation: never grouped with other transactions (default `false`). */
  bulk?: boolean;
}

/**
 * A persistent store. Each method of each resource is atomic on its own; group several with
 * `transaction`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const account = { accountId: crypto.randomUUID(), name: "acme", created: 1 };
 * await store.transaction(async (tx) => {
 *   await tx.accounts.create(account);
 * });
 * assert.deepEqual(await store.accounts.list(), [account]);
 * await store.close();
 * ```
 */
export interface Store {
  /** Accounts: the owners of registration tokens and clients. */
  readonly accounts: AccountStore;
  /** Registration tokens (hashed), which register clients into an account. */
  readonly registrationTokens: RegistrationTokenStore;
  /** Registered clients. */
  readonly clients: ClientStore;
  /** Bearer tokens (hashed) issued to clients. */
  readonly bearerTokens: BearerTokenStore;
  /** Records and the v1 query. */
  readonly records: RecordStore;
  /** The v2 search over records. */
  readonly search: SearchStore;
  /** Encrypted access keys. */
  readonly accessKeys: AccessKeyStore;
  /** Sharing policies. */
  readonly policies: PolicyStore;
  /** One-way encrypted notes. */
  readonly notes: NoteStore;
  /** Large files: pending uploads, used file URLs, blob deletions. */
  readonly files: FileStore;
  /** Identity login: realms, identities, login sessions, identity tokens. */
  readonly identity: IdentityStore;
  /** Storage used per client (kept by the record and file writes; see `usage.ts`). */
  readonly usage: UsageStore;
  /** Users' key files and the download attempts of the throttle. */
  readonly users: UserStore;
  /** TSV1 nonces already used, shared by every server instance of the store. */
  readonly replayNonces: ReplayNonceStore;
  /** Failed login attempts, counted for every server instance of the store. */
  readonly loginFailures: LoginFailureStore;
  /** The revocation generation that keeps every instance's bearer cache honest. */
  readonly revocations: RevocationStore;
  /** Containers: metadata, sealed header and content pointers, access entries, uploads. */
  readonly containers: ContainerStore;
  /** Container and key-file events, per recipient. */
  readonly events: EventStore;

  /**
   * The store's queue, write batches and record cache counters, for the server's metrics
   * (optional: a backend reports what it has).
   */
  runtimeStats?(): StoreRuntimeStats;

  /** The applied schema version (the highest migration). */
  schemaVersion(): Promise<number>;
  /**
   * Runs `fn` in one serialisable write transaction, committed when it resolves and rolled
   * back when it throws. Inside, use only the `tx` store it is given. A `tx` call that fails in
   * the database fails the whole transaction, even if `fn` catches its error (as in PostgreSQL).
   * Pass `{ bulk: true }` for a large operation (an import, a mass delete): a backend that groups
   * concurrent transactions then runs it on its own.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** A timestamp `>= nowMicros` and strictly greater than every timestamp issued before. */
  issueTimestamp(nowMicros: number): Promise<number>;
  /** Releases the store. */
  close(): Promise<void>;
}
