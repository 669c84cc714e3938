/**
 * Where the PostgreSQL resource stores (`_accounts.ts`, `_records.ts`, ...) run their SQL: a
 * {@linkcode PostgresSession} is handed to each by the core (`store.ts`). Outside a transaction
 * each statement runs on the pool (autocommit) and `atomic` opens a transaction of its own;
 * inside a `transaction(fn)` every statement runs in that transaction, and a failed call fails
 * the whole transaction even if `fn` catches its error (PostgreSQL aborts the transaction anyway).
 *
 * @module
 */
import type postgres from "postgres";
import { ValidationError } from "../../errors.ts";

/** The handle SQL runs through: the pool, or one transaction's connection. */
export type PgSql = postgres.ISql;

/** A result row: column name → value (bigint columns come back as strings). */
export type PgRow = Record<string, unknown>;

/** A bound parameter. */
export type PgParam = string | number | boolean | null | Uint8Array;

/**
 * The advisory lock key for `name`: its 64-bit FNV-1a hash of the UTF-8 bytes, as a signed
 * integer in decimal (for `pg_advisory_xact_lock($1::bigint)`). Not a secret: only distinct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { advisoryLockKey } from "./_session.ts";
 * assert.equal(advisoryLockKey("a"), "-5808556873153909620");
 * assert.notEqual(advisoryLockKey("a"), advisoryLockKey("b"));
 * ```
 */
export function advisoryLockKey(name: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(name)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return BigInt.asIntN(64, hash).toString();
}

/** The start of every transaction of a session (PostgreSQL's default isolation, stated). */
const BEGIN_SQL = "BEGIN ISOLATION LEVEL READ COMMITTED";

/** How many times a job runs whose transaction keeps deadlocking (or failing to serialize). */
export const TRANSACTION_ATTEMPTS = 50;

/** Whether `error` is a serialization failure (40001) or a deadlock (40P01): worth a retry. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}

/**
 * A caller's mistake PostgreSQL reports as a database error, as the {@linkcode ValidationError}
 * it is: text holding U+0000, which PostgreSQL text cannot store (SQLite can), fails with 22021
 * (or 22P05); everything else unchanged.
 */
function callerError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "22021" || code === "22P05"
    ? new ValidationError("Text cannot contain U+0000 (NUL) on PostgreSQL")
    : error;
}

/** The state of one open PostgreSQL store, shared by its plain store and its transaction stores. */
export interface PostgresConnection {
  /** The connection pool. */
  pool: postgres.Sql;
  /** Set once `close()` has started. */
  closed: boolean;
  /** The advisory lock key that orders the store's transactions (one per schema). */
  transactionLockKey: string;
}

/**
 * A view of the pool for the resource stores: outside a transaction (each call atomic on its
 * own) or inside one (`inTransaction`: each call runs in the open transaction, and a failed call
 * fails it).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * import assert from "node:assert/strict";
 * import { openPostgresStore } from "./store.ts";
 * const store = await openPostgresStore(Deno.env.get("DATABASE_URL")!);
 * const account = { accountId: crypto.randomUUID(), name: "acme", created: 1 };
 * await store.accounts.create(account);
 * // Inside a transaction, a failed call fails the transaction even when it is caught.
 * await assert.rejects(store.transaction(async (tx) => {
 *   await tx.accounts.create(account).catch(() => {}); // a duplicate id
 * }));
 * await store.close();
 * ```
 */
export class PostgresSession {
  /** The shared connection state. */
  readonly connection: PostgresConnection;
  /** True for the session of a `transaction(fn)` store (or of an `atomic` job). */
  readonly inTransaction: boolean;
  readonly #sql: PgSql;
  #failure: { error: unknown } | undefined;
  #finished = false;

  /** A session running its SQL through `sql` (the pool, or a transaction's connection). */
  constructor(connection: PostgresConnection, sql: PgSql, inTransaction: boolean) {
    this.connection = connection;
    this.#sql = sql;
    this.inTransaction = inTransaction;
  }

  /** The handle statements run through (for helpers such as the search index). */
  get sql(): PgSql {
    this.#assertUsable();
    return this.#sql;
  }

  /** The first error of a call made in this transaction session, if one failed. */
  get failure(): { error: unknown } | undefined {
    return this.#failure;
  }

  /** Marks a transaction session's transaction ended: later calls reject. */
  finish(): void {
    this.#finished = true;
  }

  /** Every row of a statement (`$1`, `$2`, ... placeholders). */
  async rows(text: string, ...params: PgParam[]): Promise<PgRow[]> {
    return await this.#guard(async () => {
      this.#assertUsable();
      return [...await this.#sql.unsafe(text, params, { prepare: true })] as PgRow[];
    });
  }

  /** The first row of a statement, or `undefined`. */
  async row(text: string, ...params: PgParam[]): Promise<PgRow | undefined> {
    return (await this.rows(text, ...params))[0];
  }

  /** The rows of a statement in batches of `size`, read through a cursor (stop early at will). */
  async *cursor(text: string, params: PgParam[], size: number): AsyncGenerator<PgRow[]> {
    this.#assertUsable();
    try {
      for await (const rows of this.#sql.unsafe(text, params, { prepare: true }).cursor(size)) {
        yield rows as PgRow[];
      }
    } catch (error) {
      if (this.inTransaction) this.#failure ??= { error };
      throw error;
    }
  }

  /** Runs a statement; returns the number of rows it changed. */
  async run(text: string, ...params: PgParam[]): Promise<number> {
    return await this.#guard(async () => {
      this.#assertUsable();
      return (await this.#sql.unsafe(text, params, { prepare: true })).count;
    });
  }

  /**
   * Runs `job` atomically: in a transaction of its own (its session is a transaction session),
   * or, inside an open transaction, in it (a failure then fails the whole transaction).
   */
  async atomic<T>(job: (session: PostgresSession) => Promise<T>): Promise<T> {
    if (this.inTransaction) return await this.#guard(() => job(this));
    this.#assertUsable();
    return await this.begin(job);
  }

  /**
   * Runs `job` in a new READ COMMITTED transaction on the pool: committed when it resolves,
   * rolled back when it throws or when one of its calls failed; run again after a deadlock.
   */
  begin<T>(job: (session: PostgresSession) => Promise<T>): Promise<T> {
    return this.#retrying(BEGIN_SQL, job);
  }

  /**
   * Runs `job` as `store.transaction(fn)` promises: in one READ COMMITTED transaction that first
   * takes the store's transaction lock (a transaction-scoped advisory lock, one per schema), so
   * the store's transactions run one after another across every instance, as under SQLite's
   * single writer, and the checks `job` makes before it writes hold. Methods called outside a
   * transaction do not take the lock: each settles its own races in its SQL. A deadlock rolls
   * the attempt back and runs `job` again, so `job` must only touch the store.
   */
  serialized<T>(job: (session: PostgresSession) => Promise<T>): Promise<T> {
    const key = BigInt(this.connection.transactionLockKey); // a decimal integer: safe in SQL
    return this.#retrying(`${BEGIN_SQL}; SELECT pg_advisory_xact_lock(${key})`, job);
  }

  async #retrying<T>(
    start: string,
    job: (session: PostgresSession) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1;; attempt++) {
      this.#assertUsable();
      try {
        return await this.#transaction(start, job);
      } catch (error) {
        if (!isRetryable(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
        // The conflicting transaction has committed or is about to: a short random pause spreads
        // the retries of a crowd of writers.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.random() * Math.min(attempt, 10) * 2)
        );
      }
    }
  }

  /**
   * One attempt: a reserved connection, `start` (BEGIN, and the transaction lock if any) sent
   * without waiting for its answer, so the job's first statements follow it in the same
   * pipeline and the lock costs no round trip of its own; COMMIT when the job succeeds,
   * ROLLBACK otherwise.
   */
  async #transaction<T>(
    start: string,
    job: (session: PostgresSession) => Promise<T>,
  ): Promise<T> {
    const tx = await this.connection.pool.reserve();
    let answering = true;
    try {
      const started = tx.unsafe(start).execute().then(() => {});
      started.catch(() => {}); // awaited below, unless the job fails first
      try {
        const value = await this.#runIn(tx, job);
        await started;
        // COMMIT of a transaction a failed statement aborted rolls back (and reports it).
        const commit = await tx.unsafe("COMMIT");
        if (commit.command !== "COMMIT") throw new Error("Transaction rolled back on commit");
        return value;
      } catch (error) {
        // A connection that cannot answer ROLLBACK has closed: the pool reconnects it, unreleased.
        await tx.unsafe("ROLLBACK").catch(() => answering = false);
        throw error;
      }
    } finally {
      if (answering) tx.release();
    }
  }

  async #runIn<T>(tx: PgSql, job: (session: PostgresSession) => Promise<T>): Promise<T> {
    const session = new PostgresSession(this.connection, tx, true);
    try {
      const value = await job(session);
      const failure = session.failure;
      if (failure !== undefined) throw failure.error;
      return value;
    } catch (error) {
      // A serialization failure the job caught (and replaced) still makes the attempt retryable.
      const failure = session.failure;
      throw failure !== undefined && isRetryable(failure.error) ? failure.error : error;
    } finally {
      session.finish();
    }
  }

  /**
   * Takes the transaction-scoped advisory lock named `name` (see {@linkcode advisoryLockKey}),
   * held until the transaction ends; for races a row lock cannot cover (a row not there yet).
   * Call it inside `atomic` or a transaction.
   */
  async lock(name: string): Promise<void> {
    await this.run("SELECT pg_advisory_xact_lock($1::bigint)", advisoryLockKey(name));
  }

  async #guard<T>(job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } catch (caught) {
      const error = callerError(caught);
      if (this.inTransaction) this.#failure ??= { error };
      throw error;
    }
  }

  #assertUsable(): void {
    if (this.#finished) throw new Error("Transaction store used after its transaction ended");
    if (this.connection.closed) throw new Error("Store is closed");
  }
}
