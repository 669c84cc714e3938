/**
 * Where the SQLite resource stores (`accounts.ts`, `records.ts`, ...) run their statements: a
 * {@linkcode SqliteSession} is handed to each by the core (`store.ts`). It runs a job on the
 * store's queue, or, for the store a `transaction(fn)` hands out, directly inside the open
 * transaction; it runs several statements atomically; and it prepares each SQL text once per
 * connection.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { SearchIdCache } from "../search/search_id_cache.ts";
import type { SqliteCheckpointer } from "./_checkpointer.ts";
import type { DatabaseLock } from "./_database_lock.ts";
import type { LoginThrottle } from "./_login_throttle.ts";
import type { NonceCache } from "./_nonce_cache.ts";
import type { RecordCache } from "./_record_cache.ts";
import type { SerialQueue } from "./_serial_queue.ts";
import type { SqliteWriteBatcher } from "./_write_batcher.ts";

/** A result row: column name → value. */
export type SqlRow = Record<string, unknown>;

/** A bound parameter (a `Uint8Array` binds a BLOB). */
export type SqlParam = string | number | null | Uint8Array;

/** The state of one open SQLite store, shared by its plain store and its transaction stores. */
export interface SqliteConnection {
  /** The connection. */
  db: DatabaseSync;
  /** Prepared statements by SQL text. */
  statements: Map<string, StatementSync>;
  /** Runs the store's calls one at a time. */
  queue: SerialQueue;
  /** Groups concurrent `transaction(fn)` calls into one commit. */
  batcher: SqliteWriteBatcher;
  /** The background WAL checkpointer, if any. */
  checkpointer: SqliteCheckpointer | undefined;
  /** The lock on the database file (none for `":memory:"`). */
  lock: DatabaseLock | undefined;
  /** Records read outside transactions. */
  records: RecordCache;
  /** TSV1 replay nonces (in memory: this process is the database's only user). */
  nonces: NonceCache;
  /** Login failures by rule (`maxFailures/windowSeconds`), in memory likewise. */
  loginThrottles: Map<string, LoginThrottle>;
  /** The revocation generation, in memory likewise. */
  revocationGeneration: number;
  /** Search dictionary ids already looked up; cleared at every rollback. */
  searchIds: SearchIdCache;
  /** Set when a step of the running `transaction(fn)` operation failed; the operation fails. */
  operationFailure: { error: unknown } | undefined;
  /** The last timestamp issued in the open batch transaction, saved just before its commit. */
  batchTimestamp: number | undefined;
  /** Set once `close()` has started. */
  closed: boolean;
}

/**
 * A view of the connection for the resource stores: outside a transaction (each call queued
 * and atomic on its own) or inside one (`inTransaction`, each call run at once in the open
 * transaction, and a failed call fails the transaction).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * const account = { accountId: crypto.randomUUID(), name: "acme", created: 1 };
 * await store.accounts.create(account);
 * // Inside a transaction, a failed call fails the transaction even when it is caught.
 * await assert.rejects(store.transaction(async (tx) => {
 *   await tx.accounts.create(account).catch(() => {}); // a duplicate id
 * }));
 * await store.close();
 * ```
 */
export class SqliteSession {
  /** The shared connection state. */
  readonly connection: SqliteConnection;
  /** True for the session of a `transaction(fn)` store. */
  readonly inTransaction: boolean;
  #finished = false;

  /** A session on `connection`, inside a transaction or not. */
  constructor(connection: SqliteConnection, inTransaction: boolean) {
    this.connection = connection;
    this.inTransaction = inTransaction;
  }

  /** Marks a transaction session's transaction ended: later calls reject. */
  finish(): void {
    this.#finished = true;
  }

  /**
   * Runs `job`: inside a transaction at once (a throw fails the whole operation, which the
   * group commit then rolls back), otherwise on the store's queue.
   */
  exec<T>(job: () => T): Promise<T> {
    if (this.inTransaction) {
      if (this.#finished) {
        return Promise.reject(new Error("Transaction store used after its transaction ended"));
      }
      try {
        return Promise.resolve(job());
      } catch (error) {
        // Its statements may have left partial changes: the whole operation is rolled back.
        this.connection.operationFailure ??= { error };
        return Promise.reject(error);
      }
    }
    return this.connection.queue.runSync(() => {
      if (this.connection.closed) throw new Error("Store is closed");
      return job();
    });
  }

  /**
   * Runs `job` as one operation of the group commit (what `store.transaction(fn)` does): on a
   * transaction session of its own, inside the batch's SQLite transaction; rolled back to its
   * savepoint, timestamps included, when it throws or one of its calls failed. `alone` runs it
   * in a batch of its own.
   */
  batched<T>(job: (session: SqliteSession) => Promise<T>, alone = false): Promise<T> {
    const shared = this.connection;
    return shared.batcher.submit(async () => {
      const session = new SqliteSession(shared, true);
      const timestampBefore = shared.batchTimestamp;
      shared.operationFailure = undefined;
      try {
        const value = await job(session);
        // A failed step left partial changes that only the operation's rollback removes.
        const failure = shared.operationFailure as { error: unknown } | undefined;
        if (failure !== undefined) throw failure.error;
        return value;
      } catch (error) {
        // The batcher rolls this operation back to its savepoint; its timestamps go with it.
        shared.batchTimestamp = timestampBefore;
        throw error;
      } finally {
        session.finish();
      }
    }, { alone });
  }

  /**
   * A timestamp `>= nowMicros` and strictly greater than every one issued before, issued inside
   * the open batch transaction: the counter is read once and kept in memory until the batch
   * commits (its `beforeCommit` writes it back). Call it inside `exec` of a transaction session.
   */
  batchTimestamp(nowMicros: number): number {
    const shared = this.connection;
    const last = shared.batchTimestamp ??
      Number(this.get("SELECT value FROM counters WHERE name = 'last_timestamp'")!.value);
    shared.batchTimestamp = Math.max(last + 1, nowMicros);
    return shared.batchTimestamp;
  }

  /**
   * Runs several statements atomically, so a failure leaves none of them behind: in a transaction
   * of their own; inside an open one, in a savepoint; inside a `transaction(fn)` operation, which
   * the group commit already runs in a savepoint, by failing the whole operation: any failed call
   * of a transaction store rolls its operation back, even if `fn` catches the error, as a failed
   * statement aborts a PostgreSQL transaction.
   */
  atomic<T>(job: () => T): T {
    const db = this.connection.db;
    if (this.inTransaction) return job(); // a failure fails the operation (see exec)
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
        this.connection.searchIds.clear();
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
      this.connection.searchIds.clear();
      throw error;
    }
  }

  /** The cached prepared statement for `sql`. */
  statement(sql: string): StatementSync {
    let statement = this.connection.statements.get(sql);
    if (statement === undefined) {
      statement = this.connection.db.prepare(sql);
      this.connection.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, ...params: SqlParam[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  /** The first row, or `undefined`. */
  get(sql: string, ...params: SqlParam[]): SqlRow | undefined {
    return this.statement(sql).get(...params) as SqlRow | undefined;
  }

  /** Every row. */
  all(sql: string, ...params: SqlParam[]): SqlRow[] {
    return this.statement(sql).all(...params) as SqlRow[];
  }
}
