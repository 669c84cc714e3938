/**
 * The PostgreSQL {@linkcode RecordStore}. Every write keeps the search index (`_search_index.ts`)
 * and the writer's usage (`_usage.ts`) in step in the same transaction.
 *
 * Concurrency: `seq` comes from the `record_seq` counter row, whose row lock each insert holds
 * until it commits, so records become visible in `seq` order and a v1 query paging by
 * `after_index` never skips a record committed late. Updates and deletes lock the record
 * (`SELECT ... FOR UPDATE`) before they check its version.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import type {
  NewRecord,
  RecordChanges,
  RecordQuery,
  RecordRow,
  RecordStore,
  UnstampedRecord,
  VersionedOutcome,
} from "../records.ts";
import type { QuotaLimit } from "../usage.ts";
import { storedRecordBytes, storedRecordTexts, storedRecordValues } from "../_stored_record.ts";
import { compilePgRecordQuery } from "./_record_query.ts";
import { readPgRecordPage } from "./_record_rows.ts";
import { recordFromRow } from "../_stored_record.ts";
import {
  checkPostings,
  indexRecordPostgres,
  oneRecordOf,
  POSTINGS_COUNTS,
  postingsCtes,
  recordTermsStatement,
  unindexRecordPostgres,
} from "./_search_index.ts";
import type { PostgresSession } from "./_session.ts";
import { StampedWriteBatcher } from "./_stamped_batch.ts";
import { CoalescedReads } from "./_coalesced_reads.ts";
import { addUsage, addUsageSql, quotaExceeded, quotaParam } from "./_usage.ts";

/**
 * Migration 12: records stay in their heap page up to 8 KB (`toast_tuple_target`), instead of
 * PostgreSQL's default 2 KB past which a row's long values are compressed or moved to the TOAST
 * table. A record of ten encrypted fields is 2–3 KB of ciphertext, which does not compress: the
 * default made every write try (and fail) to compress it, then write it to a second table and
 * index, and every read fetch it back from there.
 */
export const RECORDS_INLINE_MIGRATION_SQL_POSTGRES = `
ALTER TABLE records SET (toast_tuple_target = 8160);
`;

/**
 * A record's insert with its `seq`: the `record_seq` counter row moves (its lock held until the
 * transaction ends) and gives the number, in one statement.
 */
const INSERT_RECORD_SQL = "WITH counter AS (UPDATE counters SET value = value + 1" +
  " WHERE name = 'record_seq' RETURNING value)" +
  " INSERT INTO records (seq, record_id, writer_id, user_id, type, plain, data, rec_sig," +
  " file_meta, created, last_modified, version, stored_bytes)" +
  " SELECT counter.value, $1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10::bigint, $11, $12::bigint" +
  " FROM counter" +
  " RETURNING seq";

/**
 * A new record's stamped insert with its postings, in one statement, so it needs no transaction
 * of its own: run in autocommit, its row locks are held only while PostgreSQL runs it. It takes
 * them in the order every stamped write does: the timestamp counter row first (as
 * `issueTimestamp`; `usage` and `counter` select from `stamp`, and everything else from the
 * record), then the writer's usage (`$2` writer, `$10` bytes, `$11` quota: see `addUsageSql`), the
 * `record_seq` counter row, and the index's writer row. A quota refusal leaves `usage` empty, so
 * `stored_bytes` gets NULL and the insert fails its NOT NULL constraint; a taken record id fails
 * the `record_id` unique constraint: either fails the whole statement.
 */
const INSERT_STAMPED_SQL =
  "WITH stamp AS (UPDATE counters SET value = GREATEST(value + 1, $12::bigint)" +
  " WHERE name = 'last_timestamp' RETURNING value)," +
  ` usage AS (${addUsageSql("$2", "$10", "$11", " FROM stamp")} RETURNING 1),` +
  " counter AS (UPDATE counters c SET value = c.value + 1 FROM stamp" +
  " WHERE c.name = 'record_seq' RETURNING c.value)," +
  " r AS (INSERT INTO records (seq, record_id, writer_id, user_id, type, plain, data, rec_sig," +
  " file_meta, created, last_modified, version, stored_bytes)" +
  " SELECT counter.value, $1, $2, $3, $4, $5, $6, $7, $8, stamp.value, stamp.value, $9," +
  " (SELECT $10::bigint FROM usage)" +
  " FROM stamp, counter" +
  " RETURNING seq, created, writer_id, type, plain), " +
  postingsCtes("r", oneRecordOf("$2")) +
  ` SELECT r.seq, r.created, ${POSTINGS_COUNTS} FROM r`;

/** Whether `error` is PostgreSQL's report of what {@linkcode INSERT_STAMPED_SQL} refuses. */
function isRefusal(error: unknown, code: string, field: string, name: string): boolean {
  const report = error as Record<string, unknown> | null;
  return report?.code === code && report?.[field] === name;
}

/**
 * Records in the `records` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.ok(store.records instanceof PostgresRecords);
 * ```
 */
export class PostgresRecords implements RecordStore {
  readonly #sql: PostgresSession;
  readonly #batcher: StampedWriteBatcher | undefined;
  readonly #gets: CoalescedReads<string, RecordRow | undefined> | undefined;

  /** The records of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
    this.#batcher = session.inTransaction
      ? undefined
      : new StampedWriteBatcher(session, (record, now, quota) =>
        this.#insertOne(record, now, quota));
    this.#gets = session.inTransaction
      ? undefined
      : new CoalescedReads((recordIds: string[]) => this.#getMany(recordIds));
  }

  /**
   * Adds a record (and its search index rows) and returns it with its sequence number; counts its
   * bytes in the writer's usage, or throws `QuotaExceededError` past `limit`.
   */
  insert(record: NewRecord, limit: QuotaLimit = {}): Promise<RecordRow> {
    return this.#sql.atomic(async (sql) => {
      const texts = storedRecordTexts(record);
      const bytes = storedRecordBytes(texts, record.fileMeta?.size);
      // Four statements sent together (postgres.js pipelines them on the transaction's
      // connection): the usage upsert, the insert (with its `seq`), the index's terms and postings.
      const [, inserted] = await Promise.all([
        addUsage(sql, record.writerId, bytes, limit),
        sql.row(
          INSERT_RECORD_SQL,
          ...storedRecordValues(record, texts),
          record.created,
          record.lastModified,
          record.version,
          bytes,
        ),
        indexRecordPostgres(sql.sql, record),
      ]);
      return { ...record, seq: Number(inserted!.seq) };
    });
  }

  /**
   * Adds a new record stamped now (see `RecordStore.insertStamped`). Outside a transaction it
   * goes through the store's batcher (`_stamped_batch.ts`): writes that arrive together run as
   * one statement, each exactly as if it ran alone.
   */
  insertStamped(
    record: UnstampedRecord,
    nowMicros: number,
    limit: QuotaLimit = {},
  ): Promise<RecordRow | undefined> {
    if (!Number.isSafeInteger(nowMicros) || nowMicros < 0) {
      return Promise.reject(new ValidationError(`Timestamp must be whole microseconds`));
    }
    const quota = quotaParam(limit);
    return this.#batcher === undefined
      ? this.#insertOne(record, nowMicros, quota)
      : this.#batcher.submit(record, nowMicros, quota);
  }

  /**
   * One stamped write, in two statements and no transaction lock: the index's new terms
   * (committed on their own: the dictionary only grows, and a term without postings matches
   * nothing), then {@linkcode INSERT_STAMPED_SQL}, which issues the timestamp, counts the usage,
   * takes the `seq`, inserts the record and its postings atomically. The counter rows it locks
   * order it with every other stamped write, as the transaction lock would, and are held only
   * while PostgreSQL runs that one statement.
   */
  async #insertOne(
    record: UnstampedRecord,
    nowMicros: number,
    quota: number | null,
  ): Promise<RecordRow | undefined> {
    // In a transaction a failed statement would fail it: a taken id is looked for first.
    if (this.#sql.inTransaction && await this.get(record.recordId) !== undefined) return undefined;
    const texts = storedRecordTexts(record);
    const bytes = storedRecordBytes(texts, record.fileMeta?.size);
    const [terms, termParams] = recordTermsStatement(record);
    await this.#sql.run(terms, ...termParams);
    let inserted;
    try {
      inserted = await this.#sql.row(
        INSERT_STAMPED_SQL,
        ...storedRecordValues(record, texts),
        record.version,
        bytes,
        quota,
        nowMicros,
      );
    } catch (error) {
      if (isRefusal(error, "23505", "constraint_name", "records_record_id_key")) return undefined;
      if (isRefusal(error, "23502", "column_name", "stored_bytes")) {
        throw await quotaExceeded(this.#sql, record.writerId, quota!, bytes);
      }
      throw error;
    }
    // The terms were committed before the statement began, so it found every one.
    checkPostings(record, inserted);
    const created = Number(inserted!.created);
    return { ...record, seq: Number(inserted!.seq), created, lastModified: created };
  }

  /**
   * One record, or `undefined`. Outside a transaction, gets that arrive together share one
   * statement (`_coalesced_reads.ts`).
   */
  get(recordId: string): Promise<RecordRow | undefined> {
    return this.#gets === undefined
      ? this.#getMany([recordId]).then(([row]) => row)
      : this.#gets.read(recordId);
  }

  /** The records with these ids (`undefined` where none), in the same order. */
  async #getMany(recordIds: string[]): Promise<Array<RecordRow | undefined>> {
    const rows = recordIds.length === 1
      ? await this.#sql.rows("SELECT * FROM records WHERE record_id = $1", recordIds[0]!)
      : await this.#sql.rows(
        "SELECT * FROM records WHERE record_id = ANY(ARRAY(SELECT json_array_elements_text($1::text::json)))",
        JSON.stringify(recordIds),
      );
    const byId = new Map(rows.map((row) => [String(row.record_id), row]));
    return recordIds.map((id) => {
      const row = byId.get(id);
      return row && recordFromRow(row);
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
    return this.#sql.atomic(async (sql): Promise<VersionedOutcome<RecordRow>> => {
      const before = await sql.row(
        "SELECT * FROM records WHERE record_id = $1 FOR UPDATE",
        recordId,
      );
      if (before === undefined) return { status: "missing" };
      if (before.version !== expectedVersion) return { status: "conflict" };
      const old = recordFromRow(before);
      const texts = storedRecordTexts({ ...old, ...changes });
      const bytes = storedRecordBytes(texts, old.fileMeta?.size);
      await addUsage(sql, old.writerId, bytes - Number(before.stored_bytes), limit);
      const row = await sql.row(
        "UPDATE records SET plain = $1, data = $2, rec_sig = $3, last_modified = $4," +
          " version = $5, stored_bytes = $6 WHERE record_id = $7 RETURNING *",
        texts[0],
        texts[1],
        texts[2],
        changes.lastModified,
        changes.version,
        bytes,
        recordId,
      );
      const updated = recordFromRow(row!);
      await unindexRecordPostgres(sql.sql, old);
      await indexRecordPostgres(sql.sql, updated);
      return { status: "ok", value: updated };
    });
  }

  /**
   * Deletes the record (and its search index rows) if it is at `expectedVersion`, freeing its
   * bytes from the writer's usage.
   */
  delete(recordId: string, expectedVersion: string): Promise<VersionedOutcome<true>> {
    return this.#sql.atomic(async (sql): Promise<VersionedOutcome<true>> => {
      const before = await sql.row(
        "SELECT * FROM records WHERE record_id = $1 FOR UPDATE",
        recordId,
      );
      if (before === undefined) return { status: "missing" };
      if (before.version !== expectedVersion) return { status: "conflict" };
      await sql.run("DELETE FROM records WHERE record_id = $1", recordId);
      const old = recordFromRow(before);
      // The usage row before the index's writer row, the order a stamped insert locks them in.
      await addUsage(sql, old.writerId, -Number(before.stored_bytes));
      await unindexRecordPostgres(sql.sql, old);
      return { status: "ok", value: true };
    });
  }

  /** Deletes up to `limit` of the writer's records with their index rows; returns them. */
  deleteByWriter(writerId: string, limit: number): Promise<RecordRow[]> {
    return this.#sql.atomic(async (sql) => {
      const rows = (await sql.rows(
        "DELETE FROM records WHERE seq IN (SELECT seq FROM records WHERE writer_id = $1" +
          " ORDER BY seq LIMIT $2 FOR UPDATE) RETURNING *",
        writerId,
        limit,
      )).map(recordFromRow).sort((a, b) => a.seq - b.seq);
      for (const row of rows) await unindexRecordPostgres(sql.sql, row);
      return rows;
    });
  }

  /** Runs a v1 query, reading `data` only when it returns it, and within its data budget. */
  query(query: RecordQuery): Promise<RecordRow[]> {
    const { sql, params } = compilePgRecordQuery(query);
    return readPgRecordPage(this.#sql, sql, params, query);
  }
}
