/**
 * The embedded {@linkcode Store}: SQLite through `node:sqlite` (`DatabaseSync`), one file, WAL,
 * foreign keys on, prepared statements cached, write transactions with `BEGIN IMMEDIATE`.
 *
 * This file is the core: it opens the connection (pragmas, migrations, file lock, background
 * checkpoints), owns the queue and the group commit, issues timestamps, and builds the
 * {@linkcode Store} from one resource store per file (`accounts.ts`, `records.ts`, ...), each
 * running its SQL through a {@linkcode SqliteSession}.
 *
 * `DatabaseSync` is synchronous, so each call runs without yielding. Calls are queued one at a
 * time (a call made while the queue is idle runs at once), and a `transaction(fn)` holds the
 * queue until `fn` settles, so no other request can slip a statement into an open transaction.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { ValidationError } from "../../errors.ts";
import type { AccessKeyStore } from "../access_keys.ts";
import type { AccountStore } from "../accounts.ts";
import type { BearerTokenStore } from "../bearer_tokens.ts";
import type { ClientStore } from "../clients.ts";
import type { FileStore } from "../files.ts";
import type { IdentityStore } from "../identity.ts";
import type { LoginFailureStore } from "../login_failures.ts";
import type { NoteStore } from "../notes.ts";
import type { PolicyStore } from "../policies.ts";
import type { RecordStore } from "../records.ts";
import type { RegistrationTokenStore } from "../registration_tokens.ts";
import type { ReplayNonceStore } from "../replay_nonces.ts";
import type { RevocationStore } from "../revocations.ts";
import type { SearchStore } from "../search.ts";
import { SearchIdCache } from "../search/search_id_cache.ts";
import { prepareSearchIndex } from "../search/sqlite_index.ts";
import type { Store, TransactionOptions } from "../store.ts";
import type { UsageStore } from "../usage.ts";
import type { UserStore } from "../users.ts";
import type { ContainerStore } from "../containers.ts";
import type { EventStore } from "../events.ts";
import { SqliteAccessKeys } from "./_access_keys.ts";
import { SqliteAccounts } from "./_accounts.ts";
import { SqliteBearerTokens } from "./_bearer_tokens.ts";
import { SqliteCheckpointer } from "./_checkpointer.ts";
import { SqliteClients } from "./_clients.ts";
import { lockDatabaseFile } from "./_database_lock.ts";
import { SqliteFiles } from "./_files.ts";
import { SqliteIdentity } from "./_identity.ts";
import { SqliteLoginFailures } from "./_login_failures.ts";
import { applyMigrations, type Migration, SQLITE_MIGRATIONS } from "./migrations.ts";
import { NonceCache } from "./_nonce_cache.ts";
import { SqliteNotes } from "./_notes.ts";
import { SqlitePolicies } from "./_policies.ts";
import {
  applyPragmas,
  AUTOCHECKPOINT_PAGES,
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  DEFAULT_CACHE_KIB,
} from "./_pragmas.ts";
import type { StoreRuntimeStats } from "../runtime_stats.ts";
import { RecordCache } from "./_record_cache.ts";
import { SqliteRecords } from "./_records.ts";
import { SqliteRegistrationTokens } from "./_registration_tokens.ts";
import { SqliteReplayNonces } from "./_replay_nonces.ts";
import { SqliteRevocations } from "./_revocations.ts";
import { SqliteSearch } from "./_search.ts";
import { SerialQueue } from "./_serial_queue.ts";
import { SqliteUsage } from "./_usage.ts";
import { SqliteUsers } from "./_users.ts";
import { SqliteContainers } from "./_containers.ts";
import { SqliteEvents } from "./_events.ts";
import { type SqliteConnection, SqliteSession } from "./_session.ts";
import { SqliteWriteBatcher } from "./_write_batcher.ts";

/** Options of {@linkcode openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Migrations to apply (default: {@linkcode SQLITE_MIGRATIONS}); for tests of the migrator. */
  migrations?: readonly Migration[];
  /** Page cache size in KiB (default 16000); bulk loads run faster with more. */
  cacheKib?: number;
  /**
   * Checkpoint the WAL from a worker thread (default `true`; ignored for `":memory:"`), so
   * checkpoints never block the event loop. `false` leaves them to SQLite's automatic one.
   */
  backgroundCheckpoints?: boolean;
  /** Bytes of recently read records kept in memory (default 32 MiB; 0 turns the cache off). */
  recordCacheBytes?: number;
  /**
   * `"normal"` (default: `synchronous = NORMAL`, a commit survives a process crash) or `"full"`
   * (`synchronous = FULL`, a commit also survives a power loss; slower commits).
   */
  sync?: "normal" | "full";
}

/**
 * Opens (creating if needed) a SQLite store at `path` (`":memory:"` for a throwaway one) and
 * applies pending migrations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./store.ts";
 * import { SQLITE_MIGRATIONS } from "./migrations.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.equal(await store.schemaVersion(), SQLITE_MIGRATIONS.at(-1)!.version);
 * await store.close();
 * ```
 */
export async function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = {},
): Promise<Store> {
  if (typeof path !== "string" || path.length === 0) {
    throw new ValidationError("SQLite path must be a non-empty string");
  }
  const cacheKib = options.cacheKib;
  if (cacheKib !== undefined && (!Number.isSafeInteger(cacheKib) || cacheKib < 1)) {
    throw new ValidationError(`SQLite cacheKib must be a positive integer, got ${cacheKib}`);
  }
  const records = new RecordCache(options.recordCacheBytes);
  const lock = path === ":memory:" ? undefined : lockDatabaseFile(path);
  let db: DatabaseSync | undefined;
  let checkpointer: SqliteCheckpointer | undefined;
  try {
    db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
    applyPragmas(db, path, cacheKib ?? DEFAULT_CACHE_KIB, options.sync ?? "normal");
    applyMigrations(db, options.migrations ?? SQLITE_MIGRATIONS);
    prepareSearchIndex(db);
    if (path !== ":memory:" && options.backgroundCheckpoints !== false) {
      const connection = db;
      checkpointer = await SqliteCheckpointer.start(path, (message) => {
        console.error(`Background WAL checkpoints stopped (${message}); SQLite checkpoints again`);
        if (!shared.closed) {
          connection.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        }
      });
      db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    }
  } catch (error) {
    db?.close();
    lock?.release();
    throw error;
  }
  const queue = new SerialQueue();
  const shared: SqliteConnection = {
    db,
    statements: new Map(),
    queue,
    batcher: new SqliteWriteBatcher(db, queue, {
      assertOpen: () => {
        if (shared.closed) throw new Error("Store is closed");
      },
      beforeCommit: () => saveBatchTimestamp(session),
      afterBatch: () => shared.batchTimestamp = undefined,
      onRollback: () => shared.searchIds.clear(),
    }),
    checkpointer,
    lock,
    records,
    nonces: new NonceCache(),
    loginThrottles: new Map(),
    revocationGeneration: 0,
    searchIds: new SearchIdCache(),
    operationFailure: undefined,
    batchTimestamp: undefined,
    closed: false,
  };
  const session = new SqliteSession(shared, false);
  return await Promise.resolve(new SqliteStore(session));
}

/** Writes the batch's last timestamp back to its counter (the batch holds the write lock). */
function saveBatchTimestamp(session: SqliteSession): void {
  const last = session.connection.batchTimestamp;
  if (last === undefined) return;
  session.statement("UPDATE counters SET value = ? WHERE name = 'last_timestamp'").run(last);
}

/** The store: one resource store per field, all on the same session, and the core methods. */
class SqliteStore implements Store {
  readonly accounts: AccountStore;
  readonly registrationTokens: RegistrationTokenStore;
  readonly clients: ClientStore;
  readonly bearerTokens: BearerTokenStore;
  readonly records: RecordStore;
  readonly search: SearchStore;
  readonly accessKeys: AccessKeyStore;
  readonly policies: PolicyStore;
  readonly notes: NoteStore;
  readonly files: FileStore;
  readonly identity: IdentityStore;
  readonly usage: UsageStore;
  readonly users: UserStore;
  readonly replayNonces: ReplayNonceStore;
  readonly loginFailures: LoginFailureStore;
  readonly revocations: RevocationStore;
  readonly containers: ContainerStore;
  readonly events: EventStore;
  readonly #session: SqliteSession;

  constructor(session: SqliteSession) {
    this.#session = session;
    this.accounts = new SqliteAccounts(session);
    this.registrationTokens = new SqliteRegistrationTokens(session);
    this.clients = new SqliteClients(session);
    this.bearerTokens = new SqliteBearerTokens(session);
    this.records = new SqliteRecords(session);
    this.search = new SqliteSearch(session);
    this.accessKeys = new SqliteAccessKeys(session);
    this.policies = new SqlitePolicies(session);
    this.notes = new SqliteNotes(session);
    this.files = new SqliteFiles(session);
    this.identity = new SqliteIdentity(session);
    this.usage = new SqliteUsage(session);
    this.users = new SqliteUsers(session);
    this.replayNonces = new SqliteReplayNonces(session);
    this.loginFailures = new SqliteLoginFailures(session);
    this.revocations = new SqliteRevocations(session);
    this.containers = new SqliteContainers(session);
    this.events = new SqliteEvents(session);
  }

  schemaVersion(): Promise<number> {
    const session = this.#session;
    return session.exec(() =>
      Number(session.get("SELECT max(version) AS v FROM schema_migrations")?.v ?? 0)
    );
  }

  transaction<T>(fn: (tx: Store) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (typeof fn !== "function") {
      return Promise.reject(new ValidationError("transaction needs a function"));
    }
    if (this.#session.inTransaction) return fn(this);
    // Group commit: concurrent transactions share one SQLite transaction, a savepoint each.
    return this.#session.batched(
      (session) => fn(new SqliteStore(session)),
      options.bulk === true,
    );
  }

  runtimeStats(): StoreRuntimeStats {
    const shared = this.#session.connection;
    const batches = shared.batcher.stats();
    return {
      queueDepth: shared.queue.pending,
      writeBatches: batches.batches,
      batchedWrites: batches.operations,
      batchSizeBuckets: batches.buckets,
      recordCacheHits: shared.records.hits,
      recordCacheMisses: shared.records.misses,
    };
  }

  close(): Promise<void> {
    if (this.#session.inTransaction) {
      return Promise.reject(new Error("Cannot close inside a transaction"));
    }
    const shared = this.#session.connection;
    shared.batcher.flush();
    return shared.queue.run(async () => {
      if (shared.closed) return;
      shared.closed = true;
      // The worker's connection closes first, so the store's is the last: SQLite then checkpoints
      // the whole WAL and removes it.
      await shared.checkpointer?.stop();
      shared.statements.clear();
      shared.records.clear();
      shared.db.close();
      shared.lock?.release();
    });
  }

  issueTimestamp(nowMicros: number): Promise<number> {
    if (!Number.isSafeInteger(nowMicros) || nowMicros < 0) {
      return Promise.reject(new ValidationError(`Timestamp must be whole microseconds`));
    }
    const session = this.#session;
    if (session.inTransaction) {
      // In a batch transaction the counter is read once and kept in memory until the commit.
      return session.exec(() => session.batchTimestamp(nowMicros));
    }
    return session.exec(() => {
      const row = session.get(
        "UPDATE counters SET value = max(value + 1, ?) WHERE name = 'last_timestamp' RETURNING value",
        nowMicros,
      );
      return Number(row?.value);
    });
  }
}
