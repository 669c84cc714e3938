/**
 * The SQLite schema as numbered migrations. Never edit an applied migration: add a new one.
 *
 * @module
 */
import { FILES_MIGRATION_SQL } from "./sqlite_files.ts";
import { IDENTITY_MIGRATION_SQL } from "./sqlite_identity.ts";
import { NOTES_MIGRATION_SQL } from "./sqlite_notes.ts";
import { SEARCH_INDEX_MIGRATION_SQL } from "./search/sqlite_index.ts";

/** One schema step. */
export interface Migration {
  /** Applied in increasing order; recorded in `schema_migrations`. */
  version: number;
  /** A short description. */
  name: string;
  /** The SQL statements, run in one transaction. */
  sql: string;
}

/**
 * Every SQLite migration, oldest first.
 *
 * @example
 * ```ts
 * import { SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";
 * console.log(SQLITE_MIGRATIONS[0]?.version); // 1
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
];
