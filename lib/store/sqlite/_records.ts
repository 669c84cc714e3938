/**
 * The SQLite {@linkcode RecordStore}. Every write keeps the search index
 * (`../search/sqlite_index.ts`) in step in the same atomic step, and the record cache
 * (`record_cache.ts`) serves reads outside transactions.
 *
 * @module
 */
import type {
  NewRecord,
  RecordChanges,
  RecordQuery,
  RecordRow,
  RecordStore,
  UnstampedRecord,
  VersionedOutcome,
} from "../records.ts";
import { ValidationError } from "../../errors.ts";
import type { QuotaLimit } from "../usage.ts";
import { storedRecordBytes, storedRecordTexts, storedRecordValues } from "../_stored_record.ts";
import { searchSql } from "../search/search_sql.ts";
import { indexRecord, unindexRecord } from "../search/sqlite_index.ts";
import { readRecordPage } from "./_record_rows.ts";
import { recordFromRow } from "../_stored_record.ts";
import { compileRecordQuery } from "./_record_query.ts";
import type { SqliteSession } from "./_session.ts";
import { addUsage } from "./_usage.ts";

/**
 * Inserts `record` with its usage and search index rows; returns it with its `seq`. Call it
 * atomically (in `atomic`, or in a transaction session's `exec`).
 */
function insertRow(sql: SqliteSession, record: NewRecord, limit: QuotaLimit): RecordRow {
  const texts = storedRecordTexts(record);
  const bytes = storedRecordBytes(texts, record.fileMeta?.size);
  addUsage(sql, record.writerId, bytes, limit);
  const inserted = sql.statement(
    "INSERT INTO records (record_id, writer_id, user_id, type, plain, data, rec_sig," +
      " file_meta, created, last_modified, version, stored_bytes)" +
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(
    ...storedRecordValues(record, texts),
    record.created,
    record.lastModified,
    record.version,
    bytes,
  );
  // The row as stored, built from what was bound rather than read back and re-parsed.
  const row: RecordRow = { ...record, seq: Number(inserted.lastInsertRowid) };
  indexRecord(searchSql(sql.connection.db), row, sql.connection.searchIds);
  return row;
}

/**
 * Records in the `records` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteRecords } from "./_records.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.records instanceof SqliteRecords);
 * await store.close();
 * ```
 */
export class SqliteRecords implements RecordStore {
  readonly #sql: SqliteSession;

  /** The records of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /**
   * Adds a record (and its search index rows) and returns it with its sequence number; counts its
   * bytes in the writer's usage, or throws `QuotaExceededError` past `limit`.
   */
  insert(record: NewRecord, limit: QuotaLimit = {}): Promise<RecordRow> {
    const sql = this.#sql;
    return sql.exec(() => sql.atomic(() => insertRow(sql, record, limit)));
  }

  /**
   * Adds a new record stamped now (see `RecordStore.insertStamped`): outside a transaction as one
   * operation of the group commit, as `transaction(fn)` runs it.
   */
  insertStamped(
    record: UnstampedRecord,
    nowMicros: number,
    limit: QuotaLimit = {},
  ): Promise<RecordRow | undefined> {
    if (!Number.isSafeInteger(nowMicros) || nowMicros < 0) {
      return Promise.reject(new ValidationError(`Timestamp must be whole microseconds`));
    }
    const job = (sql: SqliteSession) =>
      sql.exec(() => {
        if (sql.get("SELECT 1 FROM records WHERE record_id = ?", record.recordId)) return undefined;
        const now = sql.batchTimestamp(nowMicros);
        return insertRow(sql, { ...record, created: now, lastModified: now }, limit);
      });
    return this.#sql.inTransaction ? job(this.#sql) : this.#sql.batched(job);
  }

  /** One record, or `undefined`; outside a transaction, from the record cache when it can. */
  get(recordId: string): Promise<RecordRow | undefined> {
    const sql = this.#sql;
    if (sql.inTransaction) {
      return sql.exec(() => {
        const row = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
        return row && recordFromRow(row);
      });
    }
    // Outside a transaction every row read is committed, so it may be cached (see RecordCache).
    return sql.exec(() => {
      const cached = sql.connection.records.get(recordId);
      if (cached !== undefined) return cached;
      const row = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
      return row && sql.connection.records.put(recordFromRow(row));
    });
  }

  /**
   * Replaces `plain`, `data` and signature if the record is at `expectedVersion`; a record that
   * grows counts the growth in the writer's usage, or throws `QuotaExceededError` past `limit`.
   */
  update(
    recordId: string,
    expectedVersion: string,
    changes: RecordChanges,
    limit: QuotaLimit = {},
  ): Promise<VersionedOutcome<RecordRow>> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic((): VersionedOutcome<RecordRow> => {
        sql.connection.records.evict(recordId);
        const before = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
        if (before === undefined) return { status: "missing" };
        if (before.version !== expectedVersion) return { status: "conflict" };
        const old = recordFromRow(before);
        const texts = storedRecordTexts({ ...old, ...changes });
        const bytes = storedRecordBytes(texts, old.fileMeta?.size);
        addUsage(sql, old.writerId, bytes - Number(before.stored_bytes), limit);
        const row = sql.get(
          "UPDATE records SET plain = ?, data = ?, rec_sig = ?, last_modified = ?, version = ?," +
            " stored_bytes = ? WHERE record_id = ? AND version = ? RETURNING *",
          texts[0],
          texts[1],
          texts[2],
          changes.lastModified,
          changes.version,
          bytes,
          recordId,
          expectedVersion,
        )!;
        const updated = recordFromRow(row);
        const search = searchSql(sql.connection.db);
        unindexRecord(search, old, sql.connection.searchIds);
        indexRecord(search, updated, sql.connection.searchIds);
        return { status: "ok", value: updated };
      })
    );
  }

  /**
   * Deletes the record (and its search index rows) if it is at `expectedVersion`, freeing its
   * bytes from the writer's usage.
   */
  delete(recordId: string, expectedVersion: string): Promise<VersionedOutcome<true>> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic((): VersionedOutcome<true> => {
        sql.connection.records.evict(recordId);
        const before = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
        const changed = sql.run(
          "DELETE FROM records WHERE record_id = ? AND version = ?",
          recordId,
          expectedVersion,
        );
        if (changed === 1) {
          const old = recordFromRow(before!);
          unindexRecord(searchSql(sql.connection.db), old, sql.connection.searchIds);
          addUsage(sql, old.writerId, -Number(before!.stored_bytes));
          return { status: "ok", value: true };
        }
        return this.#exists(recordId) ? { status: "conflict" } : { status: "missing" };
      })
    );
  }

  /** Deletes up to `limit` of the writer's records with their index rows; returns them. */
  deleteByWriter(writerId: string, limit: number): Promise<RecordRow[]> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const rows = sql.all(
          "SELECT * FROM records WHERE writer_id = ? ORDER BY seq LIMIT ?",
          writerId,
          limit,
        ).map(recordFromRow);
        const search = searchSql(sql.connection.db);
        for (const row of rows) {
          sql.connection.records.evict(row.recordId);
          sql.run("DELETE FROM records WHERE seq = ?", row.seq);
          unindexRecord(search, row, sql.connection.searchIds);
        }
        return rows;
      })
    );
  }

  /** Runs a v1 query, reading `data` only when it returns it, and within its data budget. */
  query(query: RecordQuery): Promise<RecordRow[]> {
    return this.#sql.exec(() => {
      const { sql, params } = compileRecordQuery(query);
      return readRecordPage(this.#sql.statement(sql), params, query);
    });
  }

  #exists(recordId: string): boolean {
    return this.#sql.get("SELECT 1 AS found FROM records WHERE record_id = ?", recordId) !==
      undefined;
  }
}
