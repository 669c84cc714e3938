/**
 * The embedded {@linkcode Store}: SQLite through `node:sqlite` (`DatabaseSync`), one file, WAL,
 * foreign keys on, prepared statements cached, write transactions with `BEGIN IMMEDIATE`.
 *
 * `DatabaseSync` is synchronous, so each call runs without yielding. Calls are queued one at a
 * time (a call made while the queue is idle runs at once), and a `transaction(fn)` holds the
 * queue until `fn` settles, so no other request can slip a statement into an open transaction.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ValidationError } from "../errors.ts";
import type { PublicKeyType, SigningKeyType } from "../protocol/keys.ts";
import { type Migration, SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";
import { compileRecordQuery } from "./sqlite_query.ts";
import type { IdentityRow, IdentityTokenRow, LoginSessionRow, RealmRow } from "./identity_store.ts";
import type { NoteRef, NoteRow } from "./note_store.ts";
import type { PendingFileRow, PendingFileState } from "./file_store.ts";
import { sqliteFiles } from "./sqlite_files.ts";
import { sqliteIdentity } from "./sqlite_identity.ts";
import { sqliteNotes } from "./sqlite_notes.ts";
import type { SqlRunner } from "./sqlite_runner.ts";
import { SerialQueue } from "./serial_queue.ts";
import { SqliteCheckpointer } from "./sqlite_checkpointer.ts";
import { type DatabaseLock, lockDatabaseFile } from "./database_lock.ts";
import { RecordCache } from "./record_cache.ts";
import { SqliteWriteBatcher } from "./sqlite_write_batcher.ts";
import type { SearchPage, SearchQuery } from "./search/search_query.ts";
import { inReadTransaction, searchSql } from "./search/search_sql.ts";
import { indexRecord, prepareSearchIndex, unindexRecord } from "./search/sqlite_index.ts";
import { SearchIdCache } from "./search/search_id_cache.ts";
import { runSqliteSearch } from "./search/sqlite_search.ts";
import type {
  AccessKeyRow,
  AccountRow,
  BearerTokenRow,
  ClientRow,
  GrantKey,
  NewRecord,
  PolicyFilter,
  PolicyRow,
  RecordChanges,
  RecordQuery,
  RecordRow,
  RegistrationTokenRow,
  Store,
  VersionedOutcome,
} from "./store.ts";

type Row = Record<string, unknown>;
type Param = string | number | null;

interface Shared {
  db: DatabaseSync;
  statements: Map<string, StatementSync>;
  queue: SerialQueue;
  batcher: SqliteWriteBatcher;
  checkpointer: SqliteCheckpointer | undefined;
  lock: DatabaseLock | undefined;
  records: RecordCache;
  /** Search dictionary ids already looked up; cleared at every rollback. */
  searchIds: SearchIdCache;
  /** Set when a step of the running `transaction(fn)` operation failed; the operation fails. */
  operationFailure: { error: unknown } | undefined;
  /** The last timestamp issued in the open batch transaction, saved just before its commit. */
  batchTimestamp: number | undefined;
  closed: boolean;
}

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
}

/**
 * Opens (creating if needed) a SQLite store at `path` (`":memory:"` for a throwaway one) and
 * applies pending migrations.
 *
 * @example
 * ```ts
 * import { openSqliteStore } from "./sqlite_store.ts";
 * const store = await openSqliteStore(":memory:");
 * console.log(await store.schemaVersion()); // 1
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
    applyPragmas(db, path, cacheKib ?? DEFAULT_CACHE_KIB);
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
  const shared: Shared = {
    db,
    statements: new Map(),
    queue,
    batcher: new SqliteWriteBatcher(db, queue, {
      assertOpen: () => {
        if (shared.closed) throw new Error("Store is closed");
      },
      beforeCommit: () => saveBatchTimestamp(shared),
      afterBatch: () => shared.batchTimestamp = undefined,
      onRollback: () => shared.searchIds.clear(),
    }),
    checkpointer,
    lock,
    records,
    searchIds: new SearchIdCache(),
    operationFailure: undefined,
    batchTimestamp: undefined,
    closed: false,
  };
  return await Promise.resolve(new SqliteStore(shared, false));
}

/** Writes the batch's last timestamp back to its counter (the batch holds the write lock). */
function saveBatchTimestamp(shared: Shared): void {
  if (shared.batchTimestamp === undefined) return;
  cachedStatement(shared, "UPDATE counters SET value = ? WHERE name = 'last_timestamp'")
    .run(shared.batchTimestamp);
}

/** The connection's prepared statement for `sql`, prepared on first use. */
function cachedStatement(shared: Shared, sql: string): StatementSync {
  let statement = shared.statements.get(sql);
  if (statement === undefined) {
    statement = shared.db.prepare(sql);
    shared.statements.set(sql, statement);
  }
  return statement;
}

const DEFAULT_CACHE_KIB = 16_000;
/** SQLite's automatic checkpoint threshold in WAL pages, when it does the checkpoints. */
const AUTOCHECKPOINT_PAGES = 4000;
/** The threshold while a worker checkpoints: a backstop the worker normally keeps far from. */
const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_000;

/**
 * Connection settings. WAL with `synchronous = NORMAL` (the standard pairing): a commit survives
 * a crash of the process, and the WAL is synced at every checkpoint; a power loss can lose the
 * last commits but never corrupts the database. When SQLite checkpoints by itself (no background
 * checkpointer), it does so every 4000 pages (~16 MiB) rather than every 1000: a checkpoint's
 * syncs then block the event loop (`node:sqlite` is synchronous), so they come four times less
 * often. After a checkpoint the WAL file is cut back to 64 MiB.
 *
 * `temp_store` stays at SQLite's default (files): with `MEMORY`, a savepoint's statement journal
 * is an in-memory journal, and one large operation in a batch savepoint on a non-empty database
 * slowed down super-linearly (the second 100,000-record seeding transaction of the search bench
 * did not finish in minutes). A file-backed journal spills past 64 KiB and stays linear.
 */
function applyPragmas(db: DatabaseSync, path: string, cacheKib: number): void {
  db.exec("PRAGMA busy_timeout = 5000");
  if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  db.exec("PRAGMA journal_size_limit = 67108864");
  db.exec(`PRAGMA cache_size = -${cacheKib}`);
}

function applyMigrations(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL," +
      " applied INTEGER NOT NULL) STRICT",
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  db.exec("BEGIN IMMEDIATE");
  try {
    const row = db.prepare("SELECT max(version) AS version FROM schema_migrations").get() as Row;
    const current = Number(row.version ?? 0);
    for (const migration of sorted) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)")
        .run(migration.version, migration.name, Date.now() * 1000);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

class SqliteStore implements Store {
  readonly #shared: Shared;
  readonly #inTransaction: boolean;
  #finished = false;

  constructor(shared: Shared, inTransaction: boolean) {
    this.#shared = shared;
    this.#inTransaction = inTransaction;
  }

  // ---- plumbing ----

  #exec<T>(job: () => T): Promise<T> {
    if (this.#inTransaction) {
      if (this.#finished) {
        return Promise.reject(new Error("Transaction store used after its transaction ended"));
      }
      try {
        return Promise.resolve(job());
      } catch (error) {
        // Its statements may have left partial changes: the whole operation is rolled back.
        this.#shared.operationFailure ??= { error };
        return Promise.reject(error);
      }
    }
    return this.#shared.queue.runSync(() => {
      if (this.#shared.closed) throw new Error("Store is closed");
      return job();
    });
  }

  #statement(sql: string): StatementSync {
    return cachedStatement(this.#shared, sql);
  }

  #run(sql: string, ...params: Param[]): number {
    return Number(this.#statement(sql).run(...params).changes);
  }

  #get(sql: string, ...params: Param[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  #all(sql: string, ...params: Param[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  /**
   * Runs several statements atomically, so a failure leaves none of them behind: in a transaction
   * of their own; inside an open one, in a savepoint; inside a `transaction(fn)` operation, which
   * the group commit already runs in a savepoint, by failing the whole operation: any failed call
   * of a transaction store rolls its operation back, even if `fn` catches the error, as a failed
   * statement aborts a PostgreSQL transaction.
   */
  #atomic<T>(job: () => T): T {
    const db = this.#shared.db;
    if (this.#inTransaction) return job(); // a failure fails the operation (see #exec)
    if (db.isTransaction) {
      db.exec("SAVEPOINT arca_atomic");
      try {
        const result = job();
        db.exec("RELEASE arca_atomic");
        return result;
      } catch (error) {
        if (db.isTransaction) {
          db.exec("ROLLBACK TO arca_atomic");
          db.exec("RELEASE arca_atomic");
        }
        this.#shared.searchIds.clear();
        throw error;
      }
    }
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = job();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      this.#shared.searchIds.clear();
      throw error;
    }
  }

  // ---- lifecycle ----

  schemaVersion(): Promise<number> {
    return this.#exec(() =>
      Number(this.#get("SELECT max(version) AS v FROM schema_migrations")?.v ?? 0)
    );
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (typeof fn !== "function") {
      return Promise.reject(new ValidationError("transaction needs a function"));
    }
    if (this.#inTransaction) return fn(this);
    // Group commit: concurrent transactions share one SQLite transaction, a savepoint each.
    return this.#shared.batcher.submit(async () => {
      const tx = new SqliteStore(this.#shared, true);
      const timestampBefore = this.#shared.batchTimestamp;
      this.#shared.operationFailure = undefined;
      try {
        const value = await fn(tx);
        // A failed step left partial changes that only the operation's rollback removes.
        const failure = this.#shared.operationFailure as { error: unknown } | undefined;
        if (failure !== undefined) throw failure.error;
        return value;
      } catch (error) {
        // The batcher rolls this operation back to its savepoint; its timestamps go with it.
        this.#shared.batchTimestamp = timestampBefore;
        throw error;
      } finally {
        tx.#finished = true;
      }
    });
  }

  close(): Promise<void> {
    if (this.#inTransaction) return Promise.reject(new Error("Cannot close inside a transaction"));
    this.#shared.batcher.flush();
    return this.#shared.queue.run(async () => {
      if (this.#shared.closed) return;
      this.#shared.closed = true;
      // The worker's connection closes first, so the store's is the last: SQLite then checkpoints
      // the whole WAL and removes it.
      await this.#shared.checkpointer?.stop();
      this.#shared.statements.clear();
      this.#shared.records.clear();
      this.#shared.db.close();
      this.#shared.lock?.release();
    });
  }

  issueTimestamp(nowMicros: number): Promise<number> {
    if (!Number.isSafeInteger(nowMicros) || nowMicros < 0) {
      return Promise.reject(new ValidationError(`Timestamp must be whole microseconds`));
    }
    if (this.#inTransaction) {
      // In a batch transaction the counter is read once and kept in memory until the commit.
      return this.#exec(() => {
        const last = this.#shared.batchTimestamp ??
          Number(this.#get("SELECT value FROM counters WHERE name = 'last_timestamp'")!.value);
        this.#shared.batchTimestamp = Math.max(last + 1, nowMicros);
        return this.#shared.batchTimestamp;
      });
    }
    return this.#exec(() => {
      const row = this.#get(
        "UPDATE counters SET value = max(value + 1, ?) WHERE name = 'last_timestamp' RETURNING value",
        nowMicros,
      );
      return Number(row?.value);
    });
  }

  // ---- accounts ----

  createAccount(account: AccountRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO accounts (account_id, name, created) VALUES (?, ?, ?)",
        account.accountId,
        account.name,
        account.created,
      );
    });
  }

  getAccount(accountId: string): Promise<AccountRow | undefined> {
    return this.#exec(() => {
      const row = this.#get("SELECT * FROM accounts WHERE account_id = ?", accountId);
      return row && toAccount(row);
    });
  }

  listAccounts(): Promise<AccountRow[]> {
    return this.#exec(() =>
      this.#all("SELECT * FROM accounts ORDER BY created, account_id").map(toAccount)
    );
  }

  // ---- registration tokens ----

  createRegistrationToken(token: RegistrationTokenRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO registration_tokens (token_id, token_hash, account_id, name, one_time, uses," +
          " revoked, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        token.tokenId,
        token.tokenHash,
        token.accountId,
        token.name,
        token.oneTime ? 1 : 0,
        token.uses,
        token.revoked ? 1 : 0,
        token.created,
      );
    });
  }

  findRegistrationToken(tokenHash: string): Promise<RegistrationTokenRow | undefined> {
    return this.#exec(() => {
      const row = this.#get("SELECT * FROM registration_tokens WHERE token_hash = ?", tokenHash);
      return row && toRegistrationToken(row);
    });
  }

  useRegistrationToken(tokenId: string): Promise<boolean> {
    return this.#exec(() =>
      this.#run(
        "UPDATE registration_tokens SET uses = uses + 1 WHERE token_id = ? AND revoked = 0" +
          " AND (one_time = 0 OR uses = 0)",
        tokenId,
      ) === 1
    );
  }

  listRegistrationTokens(): Promise<RegistrationTokenRow[]> {
    return this.#exec(() =>
      this.#all("SELECT * FROM registration_tokens ORDER BY created, token_id").map(
        toRegistrationToken,
      )
    );
  }

  revokeRegistrationToken(tokenId: string): Promise<boolean> {
    return this.#exec(() =>
      this.#run("UPDATE registration_tokens SET revoked = 1 WHERE token_id = ?", tokenId) === 1
    );
  }

  // ---- clients ----

  createClient(client: ClientRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO clients (client_id, account_id, name, public_key_type, public_key," +
          " signing_key_type, signing_key, api_key_id, api_secret_hash, backup_client_id," +
          " backed_up, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
      );
    });
  }

  getClient(clientId: string): Promise<ClientRow | undefined> {
    return this.#exec(() => {
      const row = this.#get("SELECT * FROM clients WHERE client_id = ?", clientId);
      return row && toClient(row);
    });
  }

  findClientByApiKeyId(apiKeyId: string): Promise<ClientRow | undefined> {
    return this.#exec(() => {
      const row = this.#get("SELECT * FROM clients WHERE api_key_id = ?", apiKeyId);
      return row && toClient(row);
    });
  }

  listClients(): Promise<ClientRow[]> {
    return this.#exec(() =>
      this.#all("SELECT * FROM clients ORDER BY created, client_id").map(toClient)
    );
  }

  markClientBackedUp(clientId: string, at: number): Promise<void> {
    return this.#exec(() => {
      this.#run("UPDATE clients SET backed_up = ? WHERE client_id = ?", at, clientId);
    });
  }

  // ---- bearer tokens ----

  createBearerToken(token: BearerTokenRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO bearer_tokens (token_hash, client_id, expires) VALUES (?, ?, ?)",
        token.tokenHash,
        token.clientId,
        token.expires,
      );
    });
  }

  findBearerToken(tokenHash: string): Promise<BearerTokenRow | undefined> {
    return this.#exec(() => {
      const row = this.#get("SELECT * FROM bearer_tokens WHERE token_hash = ?", tokenHash);
      return row && {
        tokenHash: String(row.token_hash),
        clientId: String(row.client_id),
        expires: Number(row.expires),
      };
    });
  }

  deleteExpiredBearerTokens(nowMicros: number): Promise<number> {
    return this.#exec(() => this.#run("DELETE FROM bearer_tokens WHERE expires <= ?", nowMicros));
  }

  // ---- records ----

  insertRecord(record: NewRecord): Promise<RecordRow> {
    return this.#exec(() =>
      this.#atomic(() => {
        const inserted = this.#statement(
          "INSERT INTO records (record_id, writer_id, user_id, type, plain, data, rec_sig," +
            " file_meta, created, last_modified, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ).run(
          record.recordId,
          record.writerId,
          record.userId,
          record.type,
          JSON.stringify(record.plain),
          JSON.stringify(record.data),
          record.recSig,
          record.fileMeta === null ? null : JSON.stringify(record.fileMeta),
          record.created,
          record.lastModified,
          record.version,
        );
        // The row as stored, built from what was bound rather than read back and re-parsed.
        const row: RecordRow = { ...record, seq: Number(inserted.lastInsertRowid) };
        indexRecord(searchSql(this.#shared.db), row, this.#shared.searchIds);
        return row;
      })
    );
  }

  getRecord(recordId: string): Promise<RecordRow | undefined> {
    if (this.#inTransaction) {
      return this.#exec(() => {
        const row = this.#get("SELECT * FROM records WHERE record_id = ?", recordId);
        return row && toRecord(row);
      });
    }
    // Outside a transaction every row read is committed, so it may be cached (see RecordCache).
    return this.#exec(() => {
      const cached = this.#shared.records.get(recordId);
      if (cached !== undefined) return cached;
      const row = this.#get("SELECT * FROM records WHERE record_id = ?", recordId);
      return row && this.#shared.records.put(toRecord(row));
    });
  }

  updateRecord(
    recordId: string,
    expectedVersion: string,
    changes: RecordChanges,
  ): Promise<VersionedOutcome<RecordRow>> {
    return this.#exec(() =>
      this.#atomic((): VersionedOutcome<RecordRow> => {
        this.#shared.records.evict(recordId);
        const before = this.#get("SELECT * FROM records WHERE record_id = ?", recordId);
        const row = this.#get(
          "UPDATE records SET plain = ?, data = ?, rec_sig = ?, last_modified = ?, version = ?" +
            " WHERE record_id = ? AND version = ? RETURNING *",
          JSON.stringify(changes.plain),
          JSON.stringify(changes.data),
          changes.recSig,
          changes.lastModified,
          changes.version,
          recordId,
          expectedVersion,
        );
        if (row) {
          const updated = toRecord(row);
          unindexRecord(searchSql(this.#shared.db), toRecord(before!), this.#shared.searchIds);
          indexRecord(searchSql(this.#shared.db), updated, this.#shared.searchIds);
          return { status: "ok", value: updated };
        }
        return this.#recordExists(recordId) ? { status: "conflict" } : { status: "missing" };
      })
    );
  }

  deleteRecord(recordId: string, expectedVersion: string): Promise<VersionedOutcome<true>> {
    return this.#exec(() =>
      this.#atomic((): VersionedOutcome<true> => {
        this.#shared.records.evict(recordId);
        const before = this.#get("SELECT * FROM records WHERE record_id = ?", recordId);
        const changed = this.#run(
          "DELETE FROM records WHERE record_id = ? AND version = ?",
          recordId,
          expectedVersion,
        );
        if (changed === 1) {
          unindexRecord(searchSql(this.#shared.db), toRecord(before!), this.#shared.searchIds);
          return { status: "ok", value: true };
        }
        return this.#recordExists(recordId) ? { status: "conflict" } : { status: "missing" };
      })
    );
  }

  #recordExists(recordId: string): boolean {
    return this.#get("SELECT 1 AS found FROM records WHERE record_id = ?", recordId) !== undefined;
  }

  queryRecords(query: RecordQuery): Promise<RecordRow[]> {
    return this.#exec(() => {
      const { sql, params } = compileRecordQuery(query);
      return this.#all(sql, ...params).map(toRecord);
    });
  }

  searchRecords(query: SearchQuery): Promise<SearchPage> {
    return this.#exec(() =>
      inReadTransaction(this.#shared.db, () => {
        const hits = runSqliteSearch(searchSql(this.#shared.db), query);
        const rows = this.#all(
          "SELECT * FROM records WHERE seq IN (SELECT value FROM json_each(?))",
          JSON.stringify(hits.seqs),
        ).map(toRecord);
        const bySeq = new Map(rows.map((row) => [row.seq, row]));
        return { records: hits.seqs.map((seq) => bySeq.get(seq)!), total: hits.total };
      })
    );
  }

  // ---- access keys ----

  putAccessKey(accessKey: AccessKeyRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO access_keys (writer_id, user_id, reader_id, type, eak, authorizer_id, created)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (writer_id, user_id, reader_id, type) DO UPDATE" +
          " SET eak = excluded.eak, authorizer_id = excluded.authorizer_id, created = excluded.created",
        accessKey.writerId,
        accessKey.userId,
        accessKey.readerId,
        accessKey.type,
        accessKey.eak,
        accessKey.authorizerId,
        accessKey.created,
      );
    });
  }

  getAccessKey(key: GrantKey): Promise<AccessKeyRow | undefined> {
    return this.#exec(() => {
      const row = this.#get(
        "SELECT * FROM access_keys WHERE writer_id = ? AND user_id = ? AND reader_id = ? AND type = ?",
        key.writerId,
        key.userId,
        key.readerId,
        key.type,
      );
      return row && {
        ...toGrantKey(row),
        eak: String(row.eak),
        authorizerId: String(row.authorizer_id),
        created: Number(row.created),
      };
    });
  }

  deleteAccessKey(key: GrantKey): Promise<boolean> {
    return this.#exec(() =>
      this.#run(
        "DELETE FROM access_keys WHERE writer_id = ? AND user_id = ? AND reader_id = ? AND type = ?",
        key.writerId,
        key.userId,
        key.readerId,
        key.type,
      ) === 1
    );
  }

  // ---- policies ----

  getPolicy(key: GrantKey): Promise<PolicyRow | undefined> {
    return this.#exec(() => {
      const row = this.#get(
        "SELECT * FROM policies WHERE user_id = ? AND writer_id = ? AND reader_id = ? AND type = ?",
        key.userId,
        key.writerId,
        key.readerId,
        key.type,
      );
      return row && toPolicy(row);
    });
  }

  putPolicy(policy: PolicyRow): Promise<void> {
    return this.#exec(() => {
      this.#run(
        "INSERT INTO policies (user_id, writer_id, reader_id, type, can_read, can_authorize," +
          " can_edit, authorized_by, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" +
          " ON CONFLICT (user_id, writer_id, reader_id, type) DO UPDATE SET" +
          " can_read = excluded.can_read, can_authorize = excluded.can_authorize," +
          " can_edit = excluded.can_edit, authorized_by = excluded.authorized_by," +
          " updated = excluded.updated",
        policy.userId,
        policy.writerId,
        policy.readerId,
        policy.type,
        policy.canRead ? 1 : 0,
        policy.canAuthorize ? 1 : 0,
        policy.canEdit ? 1 : 0,
        policy.authorizedBy,
        policy.updated,
      );
    });
  }

  removeAuthorizer(userId: string, writerId: string, readerId: string): Promise<number> {
    return this.#exec(() =>
      this.#run(
        "UPDATE policies SET can_authorize = 0 WHERE user_id = ? AND writer_id = ?" +
          " AND reader_id = ? AND can_authorize = 1",
        userId,
        writerId,
        readerId,
      )
    );
  }

  listPolicies(filter: PolicyFilter): Promise<PolicyRow[]> {
    return this.#exec(() => {
      const where: string[] = [];
      const params: Param[] = [];
      if (filter.writerId !== undefined) {
        where.push("writer_id = ?");
        params.push(filter.writerId);
      }
      if (filter.readerId !== undefined) {
        where.push("reader_id = ?");
        params.push(filter.readerId);
      }
      if (filter.canRead !== undefined) {
        where.push("can_read = ?");
        params.push(filter.canRead ? 1 : 0);
      }
      if (filter.canAuthorize !== undefined) {
        where.push("can_authorize = ?");
        params.push(filter.canAuthorize ? 1 : 0);
      }
      const clause = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
      return this.#all(
        `SELECT * FROM policies${clause} ORDER BY writer_id, reader_id, type`,
        ...params,
      ).map(toPolicy);
    });
  }

  // ---- notes and identity (SQL in sqlite_notes.ts, sqlite_identity.ts) ----

  #sql(): SqlRunner {
    return {
      run: (sql, ...params) => this.#run(sql, ...params),
      get: (sql, ...params) => this.#get(sql, ...params),
      all: (sql, ...params) => this.#all(sql, ...params),
      atomic: (job) => this.#atomic(job),
    };
  }

  insertNote(note: NoteRow): Promise<boolean> {
    return this.#exec(() => sqliteNotes(this.#sql()).insertNote(note));
  }

  getNote(ref: NoteRef, nowMicros: number): Promise<NoteRow | undefined> {
    return this.#exec(() => sqliteNotes(this.#sql()).getNote(ref, nowMicros));
  }

  takeNoteView(noteId: string, nowMicros: number): Promise<NoteRow | undefined> {
    return this.#exec(() => sqliteNotes(this.#sql()).takeNoteView(noteId, nowMicros));
  }

  deleteNote(noteId: string): Promise<boolean> {
    return this.#exec(() => sqliteNotes(this.#sql()).deleteNote(noteId));
  }

  deleteExpiredNotes(nowMicros: number): Promise<number> {
    return this.#exec(() => sqliteNotes(this.#sql()).deleteExpiredNotes(nowMicros));
  }

  createRealm(realm: RealmRow): Promise<boolean> {
    return this.#exec(() => sqliteIdentity(this.#sql()).createRealm(realm));
  }

  getRealm(domain: string): Promise<RealmRow | undefined> {
    return this.#exec(() => sqliteIdentity(this.#sql()).getRealm(domain));
  }

  listRealms(): Promise<RealmRow[]> {
    return this.#exec(() => sqliteIdentity(this.#sql()).listRealms());
  }

  createIdentity(identity: IdentityRow): Promise<boolean> {
    return this.#exec(() => sqliteIdentity(this.#sql()).createIdentity(identity));
  }

  getIdentity(realmDomain: string, username: string): Promise<IdentityRow | undefined> {
    return this.#exec(() => sqliteIdentity(this.#sql()).getIdentity(realmDomain, username));
  }

  getIdentityById(identityId: string): Promise<IdentityRow | undefined> {
    return this.#exec(() => sqliteIdentity(this.#sql()).getIdentityById(identityId));
  }

  listIdentities(realmDomain: string): Promise<IdentityRow[]> {
    return this.#exec(() => sqliteIdentity(this.#sql()).listIdentities(realmDomain));
  }

  deleteIdentity(identityId: string): Promise<boolean> {
    return this.#exec(() => sqliteIdentity(this.#sql()).deleteIdentity(identityId));
  }

  createLoginSession(session: LoginSessionRow): Promise<void> {
    return this.#exec(() => sqliteIdentity(this.#sql()).createLoginSession(session));
  }

  getLoginSession(sessionId: string): Promise<LoginSessionRow | undefined> {
    return this.#exec(() => sqliteIdentity(this.#sql()).getLoginSession(sessionId));
  }

  advanceLoginSession(
    sessionId: string,
    sessionCodeHash: string,
    nowMicros: number,
  ): Promise<boolean> {
    return this.#exec(() =>
      sqliteIdentity(this.#sql()).advanceLoginSession(sessionId, sessionCodeHash, nowMicros)
    );
  }

  deleteLoginSession(sessionId: string): Promise<boolean> {
    return this.#exec(() => sqliteIdentity(this.#sql()).deleteLoginSession(sessionId));
  }

  createIdentityToken(token: IdentityTokenRow): Promise<void> {
    return this.#exec(() => sqliteIdentity(this.#sql()).createIdentityToken(token));
  }

  findIdentityToken(tokenHash: string): Promise<IdentityTokenRow | undefined> {
    return this.#exec(() => sqliteIdentity(this.#sql()).findIdentityToken(tokenHash));
  }

  deleteIdentityToken(tokenHash: string): Promise<boolean> {
    return this.#exec(() => sqliteIdentity(this.#sql()).deleteIdentityToken(tokenHash));
  }

  deleteExpiredIdentityRows(nowMicros: number): Promise<number> {
    return this.#exec(() => sqliteIdentity(this.#sql()).deleteExpiredIdentityRows(nowMicros));
  }

  // ---- large files (SQL in sqlite_files.ts) ----

  createPendingFile(file: PendingFileRow): Promise<void> {
    return this.#exec(() => sqliteFiles(this.#sql()).createPendingFile(file));
  }

  getPendingFile(pendingId: string): Promise<PendingFileRow | undefined> {
    return this.#exec(() => sqliteFiles(this.#sql()).getPendingFile(pendingId));
  }

  setPendingFileState(
    pendingId: string,
    from: PendingFileState,
    to: PendingFileState,
  ): Promise<boolean> {
    return this.#exec(() => sqliteFiles(this.#sql()).setPendingFileState(pendingId, from, to));
  }

  markPendingFileUploaded(
    pendingId: string,
    measured: { checksum: string; size: number },
  ): Promise<boolean> {
    return this.#exec(() => sqliteFiles(this.#sql()).markPendingFileUploaded(pendingId, measured));
  }

  deletePendingFile(pendingId: string): Promise<boolean> {
    return this.#exec(() => sqliteFiles(this.#sql()).deletePendingFile(pendingId));
  }

  expirePendingFiles(nowMicros: number, limit: number): Promise<number> {
    return this.#exec(() => sqliteFiles(this.#sql()).expirePendingFiles(nowMicros, limit));
  }

  queueBlobDeletion(blobKey: string): Promise<void> {
    return this.#exec(() => sqliteFiles(this.#sql()).queueBlobDeletion(blobKey));
  }

  listBlobDeletions(limit: number): Promise<string[]> {
    return this.#exec(() => sqliteFiles(this.#sql()).listBlobDeletions(limit));
  }

  finishBlobDeletion(blobKey: string): Promise<void> {
    return this.#exec(() => sqliteFiles(this.#sql()).finishBlobDeletion(blobKey));
  }

  useCapability(tokenId: string, expires: number): Promise<boolean> {
    return this.#exec(() => sqliteFiles(this.#sql()).useCapability(tokenId, expires));
  }

  deleteExpiredCapabilities(nowMicros: number): Promise<number> {
    return this.#exec(() => sqliteFiles(this.#sql()).deleteExpiredCapabilities(nowMicros));
  }
}

// ---- row mapping ----

function toAccount(row: Row): AccountRow {
  return {
    accountId: String(row.account_id),
    name: String(row.name),
    created: Number(row.created),
  };
}

function toRegistrationToken(row: Row): RegistrationTokenRow {
  return {
    tokenId: String(row.token_id),
    tokenHash: String(row.token_hash),
    accountId: String(row.account_id),
    name: String(row.name),
    oneTime: row.one_time === 1,
    uses: Number(row.uses),
    revoked: row.revoked === 1,
    created: Number(row.created),
  };
}

function toClient(row: Row): ClientRow {
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
  };
}

function toRecord(row: Row): RecordRow {
  return {
    seq: Number(row.seq),
    recordId: String(row.record_id),
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    type: String(row.type),
    plain: JSON.parse(String(row.plain)) as Record<string, string>,
    data: JSON.parse(String(row.data)) as Record<string, string>,
    recSig: row.rec_sig === null ? null : String(row.rec_sig),
    fileMeta: row.file_meta === null
      ? null
      : JSON.parse(String(row.file_meta)) as Record<string, unknown>,
    created: Number(row.created),
    lastModified: Number(row.last_modified),
    version: String(row.version),
  };
}

function toGrantKey(row: Row): GrantKey {
  return {
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    readerId: String(row.reader_id),
    type: String(row.type),
  };
}

function toPolicy(row: Row): PolicyRow {
  return {
    ...toGrantKey(row),
    canRead: row.can_read === 1,
    canAuthorize: row.can_authorize === 1,
    canEdit: row.can_edit === 1,
    authorizedBy: String(row.authorized_by),
    updated: Number(row.updated),
  };
}
