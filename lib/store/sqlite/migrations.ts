/**
 * The SQLite schema as numbered migrations, and the migrator. Never edit an applied migration:
 * add a new one. The tables of the first migration belong to several resources (accounts,
 * tokens, clients, records, access keys, policies); later resources keep their migration SQL in
 * their own file (`notes.ts`, `identity.ts`, `files.ts`, `_users.ts`, `../search/sqlite_index.ts`).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { SEARCH_INDEX_MIGRATION_SQL } from "../search/sqlite_index.ts";
import { CLIENT_LIFECYCLE_MIGRATION_SQL } from "./_clients.ts";
import { FILES_MIGRATION_SQL } from "./_files.ts";
import { IDENTITY_MIGRATION_SQL } from "./_identity.ts";
import { NOTE_NAME_CLAIMS_MIGRATION_SQL, NOTES_MIGRATION_SQL } from "./_notes.ts";
import { USAGE_MIGRATION_SQL } from "./_usage.ts";
import { USERS_MIGRATION_SQL } from "./_users.ts";
import { CONTAINERS_MIGRATION_SQL } from "./_containers.ts";

/**
 * One schema step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Migration } from "./migrations.ts";
 * const step: Migration = { version: 6, name: "tags", sql: "CREATE TABLE tags (t TEXT) STRICT;" };
 * assert.equal(step.version, 6);
 * ```
 */
export interface Migration {
  /** Applied in increasing order; recorded in `schema_migrations`. */
  version: number;
  /** A short description. */
  name: string;
  /** The SQL statements, run in one transaction. */
  sql: string;
}

/**
 * Migration 10 creates nothing on SQLite: the replay nonces, login failures and revocation
 * generation live in the store's memory, which is correct for the one process the file lock
 * allows. It keeps the version numbers of PostgreSQL's list, where it creates their tables.
 */
const CROSS_INSTANCE_MIGRATION_SQL = "-- in memory on SQLite (one process per database)";

/**
 * Migration 12 changes nothing on SQLite, which keeps a row's values in its pages (overflow
 * pages past the page size) whatever their size; on PostgreSQL it keeps records up to 8 KB
 * inline instead of in the TOAST table.
 */
const RECORDS_INLINE_MIGRATION_SQL = "-- PostgreSQL only (TOAST threshold of records)";

/**
 * Every SQLite migration, oldest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SQLITE_MIGRATIONS } from "./migrations.ts";
 * assert.equal(SQLITE_MIGRATIONS[0]?.version, 1);
 * assert.equal(SQLITE_MIGRATIONS.at(-1)?.version, SQLITE_MIGRATIONS.length);
 * ```
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "accounts, clients, tokens, records, access keys, policies",
    sql: `
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, value) VALUES ('last_timestamp', 0);

CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created INTEGER NOT NULL
) STRICT;

CREATE TABLE registration_tokens (
  token_id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  one_time INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
) STRICT;

CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  public_key_type TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signing_key_type TEXT,
  signing_key TEXT,
  api_key_id TEXT NOT NULL UNIQUE,
  api_secret_hash TEXT NOT NULL,
  backup_client_id TEXT NOT NULL,
  backed_up INTEGER,
  created INTEGER NOT NULL
) STRICT;

CREATE TABLE bearer_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX bearer_tokens_expires ON bearer_tokens(expires);

CREATE TABLE records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL UNIQUE,
  writer_id TEXT NOT NULL REFERENCES clients(client_id),
  user_id TEXT NOT NULL,
  type TEXT NOT NULL,
  plain TEXT NOT NULL,
  data TEXT NOT NULL,
  rec_sig TEXT,
  file_meta TEXT,
  created INTEGER NOT NULL,
  last_modified INTEGER NOT NULL,
  version TEXT NOT NULL
) STRICT;
CREATE INDEX records_writer ON records(writer_id, seq);
CREATE INDEX records_writer_type ON records(writer_id, user_id, type, seq);

CREATE TABLE access_keys (
  writer_id TEXT NOT NULL REFERENCES clients(client_id),
  user_id TEXT NOT NULL,
  reader_id TEXT NOT NULL REFERENCES clients(client_id),
  type TEXT NOT NULL,
  eak TEXT NOT NULL,
  authorizer_id TEXT NOT NULL REFERENCES clients(client_id),
  created INTEGER NOT NULL,
  PRIMARY KEY (writer_id, user_id, reader_id, type)
) STRICT;

CREATE TABLE policies (
  user_id TEXT NOT NULL,
  writer_id TEXT NOT NULL REFERENCES clients(client_id),
  reader_id TEXT NOT NULL REFERENCES clients(client_id),
  type TEXT NOT NULL,
  can_read INTEGER NOT NULL,
  can_authorize INTEGER NOT NULL,
  can_edit INTEGER NOT NULL,
  authorized_by TEXT NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (user_id, writer_id, reader_id, type)
) STRICT;
CREATE INDEX policies_reader ON policies(reader_id, can_read);
`,
  },
  { version: 2, name: "notes", sql: NOTES_MIGRATION_SQL },
  {
    version: 3,
    name: "identity realms, identities, login sessions, tokens",
    sql: IDENTITY_MIGRATION_SQL,
  },
  {
    version: 4,
    name: "large files: pending uploads, used file URLs, blob deletions",
    sql: FILES_MIGRATION_SQL,
  },
  {
    version: 5,
    name: "search index: term dictionary, trigrams, postings",
    sql: SEARCH_INDEX_MIGRATION_SQL,
  },
  { version: 6, name: "storage usage per client", sql: USAGE_MIGRATION_SQL },
  {
    version: 7,
    name: "client lifecycle: disabled flag, per-client indexes",
    sql: CLIENT_LIFECYCLE_MIGRATION_SQL,
  },
  { version: 8, name: "note names claimed by identities", sql: NOTE_NAME_CLAIMS_MIGRATION_SQL },
  { version: 9, name: "users: key files and download attempts", sql: USERS_MIGRATION_SQL },
  {
    version: 10,
    name: "cross-instance state: replay nonces, login failures, revocations",
    sql: CROSS_INSTANCE_MIGRATION_SQL,
  },
  {
    version: 11,
    name: "containers: access entries, uploads, events",
    sql: CONTAINERS_MIGRATION_SQL,
  },
  {
    version: 12,
    name: "records kept inline up to 8 KB (PostgreSQL)",
    sql: RECORDS_INLINE_MIGRATION_SQL,
  },
];

/**
 * Applies the migrations newer than the database's schema version, in order, in one
 * transaction: either all of them or none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations } from "./migrations.ts";
 * const db = new DatabaseSync(":memory:");
 * const steps = [{ version: 1, name: "t", sql: "CREATE TABLE t (x INTEGER) STRICT;" }];
 * applyMigrations(db, steps);
 * applyMigrations(db, steps); // already applied: nothing to do
 * assert.equal(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()?.v, 1);
 * db.close();
 * ```
 */
export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL," +
      " applied INTEGER NOT NULL) STRICT",
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  db.exec("BEGIN IMMEDIATE");
  try {
    const row = db.prepare("SELECT max(version) AS version FROM schema_migrations").get();
    const current = Number(row?.version ?? 0);
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
