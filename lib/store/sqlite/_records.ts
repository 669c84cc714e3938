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
  VersionedOutcome,
} from "../records.ts";
import { searchSql } from "../search/search_sql.ts";
import { indexRecord, unindexRecord } from "../search/sqlite_index.ts";
import { compileRecordQuery } from "./_record_query.ts";
import type { SqliteSession, SqlRow } from "./_session.ts";

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

  /** Adds a record (and its search index rows) and returns it with its sequence number. */
  insert(record: NewRecord): Promise<RecordRow> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic(() => {
        const inserted = sql.statement(
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
        indexRecord(searchSql(sql.connection.db), row, sql.connection.searchIds);
        return row;
      })
    );
  }

  /** One record, or `undefined`; outside a transaction, from the record cache when it can. */
  get(recordId: string): Promise<RecordRow | undefined> {
    const sql = this.#sql;
    if (sql.inTransaction) {
      return sql.exec(() => {
        const row = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
        return row && toRecord(row);
      });
    }
    // Outside a transaction every row read is committed, so it may be cached (see RecordCache).
    return sql.exec(() => {
      const cached = sql.connection.records.get(recordId);
      if (cached !== undefined) return cached;
      const row = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
      return row && sql.connection.records.put(toRecord(row));
    });
  }

  /** Replaces `plain`, `data` and signature if the record is at `expectedVersion`. */
  update(
    recordId: string,
    expectedVersion: string,
    changes: RecordChanges,
  ): Promise<VersionedOutcome<RecordRow>> {
    const sql = this.#sql;
    return sql.exec(() =>
      sql.atomic((): VersionedOutcome<RecordRow> => {
        sql.connection.records.evict(recordId);
        const before = sql.get("SELECT * FROM records WHERE record_id = ?", recordId);
        const row = sql.get(
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
          const search = searchSql(sql.connection.db);
          unindexRecord(search, toRecord(before!), sql.connection.searchIds);
          indexRecord(search, updated, sql.connection.searchIds);
          return { status: "ok", value: updated };
        }
        return this.#exists(recordId) ? { status: "conflict" } : { status: "missing" };
      })
    );
  }

  /** Deletes the record (and its search index rows) if it is at `expectedVersion`. */
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
          unindexRecord(searchSql(sql.connection.db), toRecord(before!), sql.connection.searchIds);
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
        ).map(toRecord);
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

  /** Runs a v1 query. */
  query(query: RecordQuery): Promise<RecordRow[]> {
    return this.#sql.exec(() => {
      const { sql, params } = compileRecordQuery(query);
      return this.#sql.all(sql, ...params).map(toRecord);
    });
  }

  #exists(recordId: string): boolean {
    return this.#sql.get("SELECT 1 AS found FROM records WHERE record_id = ?", recordId) !==
      undefined;
  }
}

/**
 * A `records` row as a {@linkcode RecordRow}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toRecord } from "./_records.ts";
 * const row = toRecord({
 *   seq: 1, record_id: "r", writer_id: "w", user_id: "w", type: "t", plain: '{"a":"b"}',
 *   data: "{}", rec_sig: null, file_meta: null, created: 2, last_modified: 3, version: "v",
 * });
 * assert.deepEqual(row.plain, { a: "b" });
 * ```
 */
export function toRecord(row: SqlRow): RecordRow {
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
