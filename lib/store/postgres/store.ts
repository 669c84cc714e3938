/**
 * The scale-out {@linkcode Store}: PostgreSQL through `npm:postgres`, a pool of connections,
 * shared by any number of server instances.
 *
 * This file is the core: it opens the pool (every table in one schema, `search_path` set to it
 * then `public`), applies the migrations under an advisory lock (`_migrations.ts`), issues
 * timestamps, and builds the {@linkcode Store} from one resource store per file (`_accounts.ts`,
 * `_records.ts`, ...), each running its SQL through a {@linkcode PostgresSession}.
 *
 * Transactions: each method outside a transaction is atomic on its own (one statement, or a
 * READ COMMITTED transaction of its own), and settles its races in its SQL: conditional
 * `UPDATE`s re-checked under the row lock, `INSERT ... ON CONFLICT` on unique keys,
 * `SELECT ... FOR UPDATE`, and counter rows (timestamps, record `seq`) whose row lock is held
 * until commit. `transaction(fn)` runs `fn` in one READ COMMITTED transaction on one pooled
 * connection that first takes the store's transaction lock (an advisory lock), so transactions
 * run one after another across all instances and the checks `fn` makes before it writes hold
 * as they do under SQLite's single writer. (SERIALIZABLE was tried first: every write
 * transaction updates the counter rows, so concurrent writers failed to serialize and retried,
 * about 45 writes per second.)
 *
 * @module
 */
import postgres from "postgres";
import { ValidationError } from "../../errors.ts";
import type { AccessKeyStore } from "../access_keys.ts";
import type { AccountStore } from "../accounts.ts";
import type { BearerTokenStore } from "../bearer_tokens.ts";
import type { ClientStore } from "../clients.ts";
import type { FileStore } from "../files.ts";
import type { IdentityStore } from "../identity.ts";
import type { NoteStore } from "../notes.ts";
import type { PolicyStore } from "../policies.ts";
import type { RecordStore } from "../records.ts";
import type { RegistrationTokenStore } from "../registration_tokens.ts";
import type { SearchStore } from "../search.ts";
import type { Migration } from "../sqlite/migrations.ts";
import type { Store, TransactionOptions } from "../store.ts";
import type { UsageStore } from "../usage.ts";
import type { UserStore } from "../users.ts";
import type { ContainerStore } from "../containers.ts";
import type { EventStore } from "../events.ts";
import { PostgresAccessKeys } from "./_access_keys.ts";
import { PostgresAccounts } from "./_accounts.ts";
import { PostgresBearerTokens } from "./_bearer_tokens.ts";
import { PostgresClients } from "./_clients.ts";
import { PostgresFiles } from "./_files.ts";
import { PostgresIdentity } from "./_identity.ts";
import { PostgresNotes } from "./_notes.ts";
import { PostgresPolicies } from "./_policies.ts";
import { PostgresRecords } from "./_records.ts";
import { PostgresRegistrationTokens } from "./_registration_tokens.ts";
import { PostgresSearch } from "./_search.ts";
import { advisoryLockKey, type PostgresConnection, PostgresSession } from "./_session.ts";
import { PostgresUsage } from "./_usage.ts";
import { PostgresUsers } from "./_users.ts";
import { PostgresLoginFailures } from "./_login_failures.ts";
import { PostgresReplayNonces } from "./_replay_nonces.ts";
import { PostgresRevocations } from "./_revocations.ts";
import type { LoginFailureStore } from "../login_failures.ts";
import type { ReplayNonceStore } from "../replay_nonces.ts";
import type { RevocationStore } from "../revocations.ts";
import { PostgresContainers } from "./_containers.ts";
import { PostgresEvents } from "./_events.ts";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS, quoteIdentifier } from "./_migrations.ts";

/** Options of {@linkcode openPostgresStore}. */
export interface PostgresStoreOptions {
  /** The schema every table lives in (default `public`), created if missing. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number | undefined;
  /** Migrations to apply (default: {@linkcode POSTGRES_MIGRATIONS}); for tests of the migrator. */
  migrations?: readonly Migration[];
}

/** The default number of pooled connections (`ARCA_DATABASE_POOL_SIZE`). */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPostgresUrl } from "./store.ts";
 * assert.equal(isPostgresUrl("postgres://db.internal/arca"), true);
 * assert.equal(isPostgresUrl("./arca-data/arca.db"), false);
 * ```
 */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens a PostgreSQL store on the database at `url` and applies pending migrations (once, under
 * an advisory lock, however many instances open it together).
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * import assert from "node:assert/strict";
 * import { openPostgresStore } from "./store.ts";
 * import { POSTGRES_MIGRATIONS } from "./_migrations.ts";
 * const store = await openPostgresStore(Deno.env.get("DATABASE_URL")!, { poolSize: 4 });
 * assert.equal(await store.schemaVersion(), POSTGRES_MIGRATIONS.at(-1)!.version);
 * await store.close();
 * ```
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  if (typeof url !== "string" || !isPostgresUrl(url)) {
    throw new ValidationError("PostgreSQL URL must start with postgres:// or postgresql://");
  }
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1) {
    throw new ValidationError(`PostgreSQL pool size must be a positive integer, got ${poolSize}`);
  }
  const schema = options.schema ?? "public";
  const quoted = quoteIdentifier(schema);
  const pool = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    transform: { undefined: null },
    connection: {
      application_name: "arca",
      search_path: schema === "public" ? "public" : `${quoted}, public`,
    },
  });
  try {
    await applyPostgresMigrations(pool, schema, options.migrations ?? POSTGRES_MIGRATIONS);
  } catch (error) {
    await pool.end({ timeout: 1 });
    throw error;
  }
  const connection: PostgresConnection = {
    pool,
    closed: false,
    transactionLockKey: advisoryLockKey(`arca store transactions in ${schema}`),
  };
  return new PostgresStore(new PostgresSession(connection, pool, false));
}

/** The store: one resource store per field, all on the same session, and the core methods. */
class PostgresStore implements Store {
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
  /** Users' key files and download attempts. */
  readonly users: UserStore;
  readonly replayNonces: ReplayNonceStore;
  readonly loginFailures: LoginFailureStore;
  readonly revocations: RevocationStore;
  readonly containers: ContainerStore;
  readonly events: EventStore;
  readonly #session: PostgresSession;

  constructor(session: PostgresSession) {
    this.#session = session;
    this.accounts = new PostgresAccounts(session);
    this.registrationTokens = new PostgresRegistrationTokens(session);
    this.clients = new PostgresClients(session);
    this.bearerTokens = new PostgresBearerTokens(session);
    this.records = new PostgresRecords(session);
    this.search = new PostgresSearch(session);
    this.accessKeys = new PostgresAccessKeys(session);
    this.policies = new PostgresPolicies(session);
    this.notes = new PostgresNotes(session);
    this.files = new PostgresFiles(session);
    this.identity = new PostgresIdentity(session);
    this.usage = new PostgresUsage(session);
    this.users = new PostgresUsers(session);
    this.replayNonces = new PostgresReplayNonces(session);
    this.loginFailures = new PostgresLoginFailures(session);
    this.revocations = new PostgresRevocations(session);
    this.containers = new PostgresContainers(session);
    this.events = new PostgresEvents(session);
  }

  async schemaVersion(): Promise<number> {
    const row = await this.#session.row("SELECT max(version) AS v FROM schema_migrations");
    return Number(row?.v ?? 0);
  }

  transaction<T>(fn: (tx: Store) => Promise<T>, _options: TransactionOptions = {}): Promise<T> {
    if (typeof fn !== "function") {
      return Promise.reject(new ValidationError("transaction needs a function"));
    }
    if (this.#session.inTransaction) return fn(this);
    // PostgreSQL runs transactions side by side: `bulk` has nothing to group, so it changes nothing.
    return this.#session.serialized((session) => fn(new PostgresStore(session)));
  }

  async issueTimestamp(nowMicros: number): Promise<number> {
    if (!Number.isSafeInteger(nowMicros) || nowMicros < 0) {
      throw new ValidationError(`Timestamp must be whole microseconds`);
    }
    // The counter row's lock (held to the end of an open transaction) orders every instance.
    const row = await this.#session.row(
      "UPDATE counters SET value = GREATEST(value + 1, $1::bigint) WHERE name = 'last_timestamp'" +
        " RETURNING value",
      nowMicros,
    );
    return Number(row!.value);
  }

  async close(): Promise<void> {
    if (this.#session.inTransaction) throw new Error("Cannot close inside a transaction");
    const connection = this.#session.connection;
    if (connection.closed) return;
    connection.closed = true;
    await connection.pool.end({ timeout: 5 });
  }
}
