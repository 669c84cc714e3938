/**
 * The PostgreSQL schema as numbered migrations, and the migrator. The versions and names are
 * those of the SQLite list (`../sqlite/migrations.ts`), so `schemaVersion()` agrees across
 * backends. Never edit an applied migration: add a new one. Later resources keep their migration
 * SQL in their own file (`_notes.ts`, `_identity.ts`, `_files.ts`, `_search_index.ts`, ...).
 *
 * Types: ids and hashes are `text`, times and sizes `bigint` microseconds and bytes, flags
 * `boolean`, JSON documents `text` (kept exactly as written, as in SQLite).
 *
 * @module
 */
import { CONTAINERS_MIGRATION_SQL_POSTGRES } from "./_containers.ts";
import type postgres from "postgres";
import { ValidationError } from "../../errors.ts";
import type { Migration } from "../sqlite/migrations.ts";
import { advisoryLockKey } from "./_session.ts";
import { CLIENT_LIFECYCLE_MIGRATION_SQL_POSTGRES } from "./_clients.ts";
import { FILES_MIGRATION_SQL_POSTGRES } from "./_files.ts";
import { IDENTITY_MIGRATION_SQL_POSTGRES } from "./_identity.ts";
import { NOTE_NAME_CLAIMS_MIGRATION_SQL_POSTGRES, NOTES_MIGRATION_SQL_POSTGRES } from "./_notes.ts";
import { SEARCH_INDEX_MIGRATION_SQL_POSTGRES } from "./_search_index.ts";
import { USAGE_MIGRATION_SQL_POSTGRES } from "./_usage.ts";
import { USERS_MIGRATION_SQL_POSTGRES } from "./_users.ts";
import { LOGIN_FAILURES_MIGRATION_SQL_POSTGRES } from "./_login_failures.ts";
import { REPLAY_NONCES_MIGRATION_SQL_POSTGRES } from "./_replay_nonces.ts";
import { REVOCATIONS_MIGRATION_SQL_POSTGRES } from "./_revocations.ts";
import { RECORDS_INLINE_MIGRATION_SQL_POSTGRES } from "./_records.ts";

/** Migration 1: accounts, clients, tokens, records, access keys, policies, counters. */
const CORE_MIGRATION_SQL_POSTGRES = `
CREATE TABLE counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('last_timestamp', 0), ('record_seq', 0);

CREATE TABLE accounts (
  account_id text PRIMARY KEY,
  name text NOT NULL,
  created bigint NOT NULL
);

CREATE TABLE registration_tokens (
  token_id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id text NOT NULL REFERENCES accounts(account_id),
  name text NOT NULL,
  one_time boolean NOT NULL,
  uses bigint NOT NULL DEFAULT 0,
  revoked boolean NOT NULL DEFAULT false,
  created bigint NOT NULL
);

CREATE TABLE clients (
  client_id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(account_id),
  name text NOT NULL,
  public_key_type text NOT NULL,
  public_key text NOT NULL,
  signing_key_type text,
  signing_key text,
  api_key_id text NOT NULL UNIQUE,
  api_secret_hash text NOT NULL,
  backup_client_id text NOT NULL,
  backed_up bigint,
  created bigint NOT NULL
);

CREATE TABLE bearer_tokens (
  token_hash text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
  expires bigint NOT NULL
);
CREATE INDEX bearer_tokens_expires ON bearer_tokens(expires);

CREATE TABLE records (
  seq bigint PRIMARY KEY,
  record_id text NOT NULL UNIQUE,
  writer_id text NOT NULL REFERENCES clients(client_id),
  user_id text NOT NULL,
  type text NOT NULL,
  plain text NOT NULL,
  data text NOT NULL,
  rec_sig text,
  file_meta text,
  created bigint NOT NULL,
  last_modified bigint NOT NULL,
  version text NOT NULL
);
CREATE INDEX records_writer ON records(writer_id, seq);
CREATE INDEX records_writer_type ON records(writer_id, user_id, type, seq);

CREATE TABLE access_keys (
  writer_id text NOT NULL REFERENCES clients(client_id),
  user_id text NOT NULL,
  reader_id text NOT NULL REFERENCES clients(client_id),
  type text NOT NULL,
  eak text NOT NULL,
  authorizer_id text NOT NULL REFERENCES clients(client_id),
  created bigint NOT NULL,
  PRIMARY KEY (writer_id, user_id, reader_id, type)
);

CREATE TABLE policies (
  user_id text NOT NULL,
  writer_id text NOT NULL REFERENCES clients(client_id),
  reader_id text NOT NULL REFERENCES clients(client_id),
  type text NOT NULL,
  can_read boolean NOT NULL,
  can_authorize boolean NOT NULL,
  can_edit boolean NOT NULL,
  authorized_by text NOT NULL,
  updated bigint NOT NULL,
  PRIMARY KEY (user_id, writer_id, reader_id, type)
);
CREATE INDEX policies_reader ON policies(reader_id, can_read);
`;

/**
 * Every PostgreSQL migration, oldest first (the same versions and names as SQLite's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { POSTGRES_MIGRATIONS } from "./_migrations.ts";
 * import { SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * assert.deepEqual(
 *   POSTGRES_MIGRATIONS.map((m) => [m.version, m.name]),
 *   SQLITE_MIGRATIONS.map((m) => [m.version, m.name]),
 * );
 * ```
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "accounts, clients, tokens, records, access keys, policies",
    sql: CORE_MIGRATION_SQL_POSTGRES,
  },
  { version: 2, name: "notes", sql: NOTES_MIGRATION_SQL_POSTGRES },
  {
    version: 3,
    name: "identity realms, identities, login sessions, tokens",
    sql: IDENTITY_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 4,
    name: "large files: pending uploads, used file URLs, blob deletions",
    sql: FILES_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 5,
    name: "search index: term dictionary, trigrams, postings",
    sql: SEARCH_INDEX_MIGRATION_SQL_POSTGRES,
  },
  { version: 6, name: "storage usage per client", sql: USAGE_MIGRATION_SQL_POSTGRES },
  {
    version: 7,
    name: "client lifecycle: disabled flag, per-client indexes",
    sql: CLIENT_LIFECYCLE_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 8,
    name: "note names claimed by identities",
    sql: NOTE_NAME_CLAIMS_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 9,
    name: "users: key files and download attempts",
    sql: USERS_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 10,
    name: "cross-instance state: replay nonces, login failures, revocations",
    sql: REPLAY_NONCES_MIGRATION_SQL_POSTGRES + LOGIN_FAILURES_MIGRATION_SQL_POSTGRES +
      REVOCATIONS_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 11,
    name: "containers: access entries, uploads, events",
    sql: CONTAINERS_MIGRATION_SQL_POSTGRES,
  },
  {
    version: 12,
    name: "records kept inline up to 8 KB (PostgreSQL)",
    sql: RECORDS_INLINE_MIGRATION_SQL_POSTGRES,
  },
];

/**
 * Creates `schema` if needed and applies the migrations newer than its schema version, in order,
 * in one transaction that holds the schema's advisory lock (`pg_advisory_xact_lock`): several
 * instances opening one database together migrate it once, the others wait and find it done.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * import postgres from "postgres";
 * import { applyPostgresMigrations, POSTGRES_MIGRATIONS } from "./_migrations.ts";
 * const sql = postgres(Deno.env.get("DATABASE_URL")!);
 * await applyPostgresMigrations(sql, "public", POSTGRES_MIGRATIONS);
 * await sql.end();
 * ```
 */
export async function applyPostgresMigrations(
  pool: postgres.Sql,
  schema: string,
  migrations: readonly Migration[],
): Promise<void> {
  const key = advisoryLockKey(`arca-migrations:${schema}`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  await pool.begin(async (tx) => {
    await tx.unsafe("SELECT pg_advisory_xact_lock($1::bigint)", [key]);
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await tx.unsafe(`SET LOCAL search_path TO ${quoteIdentifier(schema)}, public`);
    await tx.unsafe(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY," +
        " name text NOT NULL, applied bigint NOT NULL)",
    );
    const [row] = await tx.unsafe("SELECT max(version) AS version FROM schema_migrations");
    const current = Number(row?.version ?? 0);
    for (const migration of sorted) {
      if (migration.version <= current) continue;
      if (migration.sql.trim() !== "") await tx.unsafe(migration.sql);
      await tx.unsafe(
        "INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)",
        [migration.version, migration.name, Date.now() * 1000],
      );
    }
  });
}

/**
 * `name` as a quoted SQL identifier; only lower-case letters, digits and `_` are accepted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteIdentifier } from "./_migrations.ts";
 * assert.equal(quoteIdentifier("arca"), '"arca"');
 * assert.throws(() => quoteIdentifier('x"; DROP TABLE y'));
 * ```
 */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new ValidationError(
      `Not a valid schema name: ${JSON.stringify(name)} (use [a-z0-9_], 63 at most)`,
    );
  }
  return `"${name}"`;
}
