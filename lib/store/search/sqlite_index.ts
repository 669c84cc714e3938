/**
 * The SQLite search index: a term dictionary and posting lists, written in the same
 * transaction as the record they describe, so a search never sees a half-written record.
 *
 * Tables (see `docs/search.md` for the design and costs):
 *
 * - `search_writers(writer_num, writer_id, records)`: a small integer per writer, to keep
 *   postings short, and how many records it has (for planning).
 * - `search_terms(term_id, field, term, length)`: every distinct record type (field 1), `plain`
 *   key (2) and `plain` value (3), with its length in code points.
 * - `search_grams(field, gram, term_id)`: the distinct 3-code-point substrings of every term, to
 *   narrow infix WILDCARD, REGEXP and FUZZY scans of the dictionary.
 * - `search_postings(term_id, writer_num, created, seq)`: one row per record and type or value
 *   term, ordered so one term of one writer is a range already sorted by creation time.
 * - `search_tag_postings(key_id, value_id, writer_num, created, seq)`: one row per `plain`
 *   entry; serves `keys` and `tags` searches.
 * - `records(writer_id, created, seq)` index: one writer's records in creation order.
 *
 * Writer, user and record ids are not in the dictionary: they are columns of `records`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { RecordRow } from "../records.ts";
import { type SearchSql, searchSql } from "./search_sql.ts";
import { MATCH_FUNCTION, matchFunction } from "./_match_function.ts";
import { SearchIdCache } from "./search_id_cache.ts";

/** Dictionary field numbers. */
export const SEARCH_FIELD = { type: 1, key: 2, value: 3 } as const;

/** A dictionary field number. */
export type SearchField = typeof SEARCH_FIELD[keyof typeof SEARCH_FIELD];

/** The parts of a record the index reads. */
export type IndexedRecord = Pick<RecordRow, "seq" | "writerId" | "type" | "plain" | "created">;

/** Name of the `counters` row that says whether existing records have been indexed. */
const READY_COUNTER = "search_index_ready";

/**
 * The schema step that creates the index tables (SQLite migration 2). On a database that
 * already holds records it marks the index as not ready; {@linkcode ensureSearchIndex} then
 * fills it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEARCH_INDEX_MIGRATION_SQL } from "./sqlite_index.ts";
 * assert.equal(SEARCH_INDEX_MIGRATION_SQL.includes("search_postings"), true);
 * ```
 */
export const SEARCH_INDEX_MIGRATION_SQL = `
CREATE TABLE search_writers (
  writer_num INTEGER PRIMARY KEY,
  writer_id TEXT NOT NULL UNIQUE,
  records INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE search_terms (
  term_id INTEGER PRIMARY KEY,
  field INTEGER NOT NULL,
  term TEXT NOT NULL,
  length INTEGER NOT NULL,
  UNIQUE (field, term)
) STRICT;
CREATE INDEX search_terms_length ON search_terms(field, length, term);

CREATE TABLE search_grams (
  field INTEGER NOT NULL,
  gram TEXT NOT NULL,
  term_id INTEGER NOT NULL,
  PRIMARY KEY (field, gram, term_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE search_postings (
  term_id INTEGER NOT NULL,
  writer_num INTEGER NOT NULL,
  created INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (term_id, writer_num, created, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE search_tag_postings (
  key_id INTEGER NOT NULL,
  value_id INTEGER NOT NULL,
  writer_num INTEGER NOT NULL,
  created INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (key_id, value_id, writer_num, created, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX search_records_scope ON records(writer_id, created, seq);

INSERT INTO counters (name, value)
  SELECT '${READY_COUNTER}', NOT EXISTS (SELECT 1 FROM records);
`;

/**
 * Adds a new record's terms to the index. Call it in the transaction that inserts the record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { indexRecord, writerNumber } from "./sqlite_index.ts";
 * import { SearchIdCache } from "./search_id_cache.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const sql = searchSql(db);
 * indexRecord(sql, { seq: 1, writerId: "w", type: "note", plain: { k: "v" }, created: 5 });
 * assert.equal(writerNumber(sql, "w", false, new SearchIdCache()), 1);
 * db.close();
 * ```
 */
export function indexRecord(
  sql: SearchSql,
  record: IndexedRecord,
  ids: SearchIdCache = new SearchIdCache(),
): void {
  const writerNum = writerNumber(sql, record.writerId, true, ids)!;
  const termIds = new Set<number>([termId(sql, SEARCH_FIELD.type, record.type, true, ids)!]);
  const tagPairs: Array<[number, number]> = [];
  for (const [key, value] of Object.entries(record.plain)) {
    const keyId = termId(sql, SEARCH_FIELD.key, key, true, ids)!;
    const valueId = termId(sql, SEARCH_FIELD.value, value, true, ids)!;
    termIds.add(valueId);
    tagPairs.push([keyId, valueId]);
  }
  const at = [BigInt(writerNum), BigInt(record.created), BigInt(record.seq)] as const;
  sql.run("UPDATE search_writers SET records = records + 1 WHERE writer_num = ?", at[0]);
  sql.run(
    "INSERT INTO search_postings (term_id, writer_num, created, seq)" +
      " SELECT value, ?, ?, ? FROM json_each(?)",
    ...at,
    JSON.stringify([...termIds]),
  );
  if (tagPairs.length > 0) {
    sql.run(
      "INSERT INTO search_tag_postings (key_id, value_id, writer_num, created, seq)" +
        " SELECT value ->> 0, value ->> 1, ?, ?, ? FROM json_each(?)",
      ...at,
      JSON.stringify(tagPairs),
    );
  }
}

/**
 * Removes a record's terms from the index (before deleting it, or before re-indexing it after
 * an update). Call it in the transaction that changes the record, with the row as it was.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { indexRecord, unindexRecord } from "./sqlite_index.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const sql = searchSql(db);
 * const row = { seq: 1, writerId: "w", type: "note", plain: { k: "v" }, created: 5 };
 * indexRecord(sql, row);
 * unindexRecord(sql, row);
 * assert.equal(sql.get("SELECT count(*) AS n FROM search_postings")?.n, 0);
 * db.close();
 * ```
 */
export function unindexRecord(
  sql: SearchSql,
  record: IndexedRecord,
  ids: SearchIdCache = new SearchIdCache(),
): void {
  const writerNum = writerNumber(sql, record.writerId, false, ids);
  if (writerNum === undefined) return;
  const termIds: number[] = [];
  const tagPairs: Array<[number, number]> = [];
  const typeId = termId(sql, SEARCH_FIELD.type, record.type, false, ids);
  if (typeId !== undefined) termIds.push(typeId);
  for (const [key, value] of Object.entries(record.plain)) {
    const keyId = termId(sql, SEARCH_FIELD.key, key, false, ids);
    const valueId = termId(sql, SEARCH_FIELD.value, value, false, ids);
    if (valueId !== undefined) termIds.push(valueId);
    if (keyId !== undefined && valueId !== undefined) tagPairs.push([keyId, valueId]);
  }
  const at = [BigInt(writerNum), BigInt(record.created), BigInt(record.seq)] as const;
  sql.run("UPDATE search_writers SET records = records - 1 WHERE writer_num = ?", at[0]);
  sql.run(
    "DELETE FROM search_postings WHERE writer_num = ? AND created = ? AND seq = ?" +
      " AND term_id IN (SELECT value FROM json_each(?))",
    ...at,
    JSON.stringify(termIds),
  );
  sql.run(
    "DELETE FROM search_tag_postings WHERE writer_num = ? AND created = ? AND seq = ?" +
      " AND (key_id, value_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
    ...at,
    JSON.stringify(tagPairs),
  );
}

/**
 * Indexes every record if the index is marked not ready (a database created before the index
 * existed), then marks it ready. Run it once after migrating, inside a transaction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { ensureSearchIndex } from "./sqlite_index.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * ensureSearchIndex(searchSql(db)); // a new database's index is ready: nothing to do
 * assert.equal(searchSql(db).get("SELECT count(*) AS n FROM search_postings")?.n, 0);
 * db.close();
 * ```
 */
export function ensureSearchIndex(sql: SearchSql): void {
  const ready = sql.get("SELECT value FROM counters WHERE name = ?", READY_COUNTER);
  if (ready === undefined || Number(ready.value) === 1) return;
  sql.run("DELETE FROM search_postings");
  sql.run("DELETE FROM search_tag_postings");
  sql.run("UPDATE search_writers SET records = 0");
  const ids = new SearchIdCache();
  let after = 0;
  for (;;) {
    const rows = sql.all(
      "SELECT seq, writer_id, type, plain, created FROM records WHERE seq > ? ORDER BY seq LIMIT 1000",
      BigInt(after),
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      indexRecord(sql, {
        seq: Number(row.seq),
        writerId: String(row.writer_id),
        type: String(row.type),
        plain: JSON.parse(String(row.plain)) as Record<string, string>,
        created: Number(row.created),
      }, ids);
      after = Number(row.seq);
    }
  }
  sql.run("UPDATE counters SET value = 1 WHERE name = ?", READY_COUNTER);
}

/**
 * A writer's number, created when `create` is set; `undefined` when it has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { searchSql } from "./search_sql.ts";
 * import { writerNumber } from "./sqlite_index.ts";
 * import { SearchIdCache } from "./search_id_cache.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * const ids = new SearchIdCache();
 * assert.equal(writerNumber(searchSql(db), "w", false, ids), undefined);
 * assert.equal(writerNumber(searchSql(db), "w", true, ids), 1);
 * db.close();
 * ```
 */
export function writerNumber(
  sql: SearchSql,
  writerId: string,
  create: boolean,
  ids: SearchIdCache,
): number | undefined {
  const known = ids.writer(writerId);
  if (known !== undefined) return known;
  const row = sql.get("SELECT writer_num FROM search_writers WHERE writer_id = ?", writerId) ??
    (create
      ? sql.get("INSERT INTO search_writers (writer_id) VALUES (?) RETURNING writer_num", writerId)
      : undefined);
  if (row === undefined) return undefined;
  const writerNum = Number(row.writer_num);
  ids.rememberWriter(writerId, writerNum);
  return writerNum;
}

function termId(
  sql: SearchSql,
  field: SearchField,
  term: string,
  create: boolean,
  ids: SearchIdCache,
): number | undefined {
  const known = ids.term(field, term);
  if (known !== undefined) return known;
  const row = sql.get(
    "SELECT term_id FROM search_terms WHERE field = ? AND term = ?",
    BigInt(field),
    term,
  );
  if (row !== undefined) {
    ids.rememberTerm(field, term, Number(row.term_id));
    return Number(row.term_id);
  }
  if (!create) return undefined;
  const chars = Array.from(term);
  const inserted = sql.get(
    "INSERT INTO search_terms (field, term, length) VALUES (?, ?, ?) RETURNING term_id",
    BigInt(field),
    term,
    BigInt(chars.length),
  );
  const id = Number(inserted!.term_id);
  const grams = trigrams(chars);
  if (grams.length > 0) {
    sql.run(
      "INSERT OR IGNORE INTO search_grams (field, gram, term_id) SELECT ?, value, ? FROM json_each(?)",
      BigInt(field),
      BigInt(id),
      JSON.stringify(grams),
    );
  }
  ids.rememberTerm(field, term, id);
  return id;
}

/**
 * The distinct substrings of three code points of a string (given as its code points).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trigrams } from "./sqlite_index.ts";
 * assert.deepEqual(trigrams(Array.from("abcab")), ["abc", "bca", "cab"]);
 * ```
 */
export function trigrams(chars: readonly string[]): string[] {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return [...grams];
}

/**
 * Prepares a freshly opened connection for searching: registers the per-row match function
 * and, when the search tables exist but the index is marked not ready, indexes every record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { applyMigrations, SQLITE_MIGRATIONS } from "../sqlite/migrations.ts";
 * import { MATCH_FUNCTION } from "./_match_function.ts";
 * import { prepareSearchIndex } from "./sqlite_index.ts";
 * const db = new DatabaseSync(":memory:");
 * applyMigrations(db, SQLITE_MIGRATIONS);
 * prepareSearchIndex(db);
 * const row = db.prepare(`SELECT ${MATCH_FUNCTION}('WILDCARD', 'a*', 'abc') AS hit`).get();
 * assert.equal(row?.hit, 1);
 * db.close();
 * ```
 */
export function prepareSearchIndex(db: DatabaseSync): void {
  db.function(MATCH_FUNCTION, { deterministic: true }, matchFunction);
  const sql = searchSql(db);
  if (sql.get("SELECT 1 AS found FROM sqlite_master WHERE name = 'search_terms'") === undefined) {
    return;
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    ensureSearchIndex(sql);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
