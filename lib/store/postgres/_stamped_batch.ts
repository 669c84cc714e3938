/**
 * Group commit for `records.insertStamped` on PostgreSQL: the stamped writes one instance
 * receives together run as one statement.
 *
 * Every stamped write takes the `last_timestamp` and `record_seq` counter rows (and its writer's
 * usage and index rows) and holds their locks until it commits, so writes of one store go one
 * after another across every instance, each paying a statement, a commit and the hand-over of
 * the locks to the next. A batch pays them once for all its records: the writes that arrive while
 * a batch runs are queued and sent as the next batch, and a write that arrives while none runs is
 * sent at once (a lone write waits for nothing).
 *
 * A batch is {@linkcode INSERT_BATCH_SQL}: it issues `n` consecutive timestamps and `seq`s at
 * once, in the writes' order, so it is the same as the writes run one after another. It either
 * adds every record or fails whole (a taken record id, a quota refusal, a term missing from the
 * dictionary, anything): then each write runs again alone, exactly as an unbatched write
 * (`PostgresRecords`), and gets its own outcome. Only writes with the same quota share a batch.
 * Before it, the batch's new dictionary terms are added in a statement of their own, skipped
 * when the batcher has seen every term there already (the dictionary only grows), so a batch of
 * known terms costs one round trip.
 *
 * @module
 */
import type { RecordRow, UnstampedRecord } from "../records.ts";
import { storedRecordBytes, storedRecordTexts, storedRecordValues } from "../_stored_record.ts";
import {
  expectedPostings,
  postingsCtes,
  recordTerms,
  recordTermsStatement,
} from "./_search_index.ts";
import type { PostgresSession } from "./_session.ts";

/** How many dictionary terms and writers a batcher remembers as present (then it forgets all). */
const KNOWN_TERMS = 50_000;

/** The most writes one batch carries. */
export const MAX_BATCH_WRITES = 64;

/**
 * A batch's insert, in one statement: `$1` the records as a JSON array of
 * `[record_id, writer_id, user_id, type, plain, data, rec_sig, file_meta, version, bytes]`, `$2`
 * the quota (`NULL`: none), `$3` the latest clock of the batch, `$4` how many records, `$5` to
 * `$7` the writers, term postings and tag postings the index must gain (else the statement
 * fails, dividing by zero, and adds nothing: a term missing from the dictionary). It takes
 * the locks in the order of a single stamped write: the timestamp row, the writers' usage rows
 * (each writer's bytes summed: every prefix of the batch then fits too), the `seq` row, the
 * writers' index rows. A writer the quota refuses gets no usage row back, so its records'
 * `stored_bytes` is NULL and the statement fails its NOT NULL constraint.
 */
const INSERT_BATCH_SQL = `
WITH input AS (
  SELECT x.ord - 1 AS i, x.e ->> 0 AS record_id, x.e ->> 1 AS writer_id, x.e ->> 2 AS user_id,
    x.e ->> 3 AS type, x.e ->> 4 AS plain, x.e ->> 5 AS data, x.e ->> 6 AS rec_sig,
    x.e ->> 7 AS file_meta, x.e ->> 8 AS version, (x.e ->> 9)::bigint AS bytes
  FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS x(e, ord)
), stamp AS (
  UPDATE counters SET value = GREATEST(value + $4::bigint, $3::bigint + $4::bigint - 1)
  WHERE name = 'last_timestamp' RETURNING value - $4::bigint + 1 AS first
), usage AS (
  INSERT INTO client_usage AS u (client_id, bytes)
  SELECT d.writer_id, d.bytes
  FROM (SELECT writer_id, sum(bytes)::bigint AS bytes FROM input GROUP BY writer_id) d, stamp
  WHERE $2::bigint IS NULL OR d.bytes <= $2::bigint
  ORDER BY d.writer_id
  ON CONFLICT (client_id) DO UPDATE SET bytes = u.bytes + excluded.bytes
  WHERE $2::bigint IS NULL OR u.bytes + excluded.bytes <= $2::bigint
  RETURNING client_id
), counter AS (
  UPDATE counters c SET value = c.value + $4::bigint FROM stamp
  WHERE c.name = 'record_seq' AND (SELECT count(*) FROM usage) >= 0
  RETURNING c.value - $4::bigint + 1 AS first
), r AS (
  INSERT INTO records (seq, record_id, writer_id, user_id, type, plain, data, rec_sig,
    file_meta, created, last_modified, version, stored_bytes)
  SELECT counter.first + input.i, input.record_id, input.writer_id, input.user_id, input.type,
    input.plain, input.data, input.rec_sig, input.file_meta, stamp.first + input.i,
    stamp.first + input.i, input.version,
    (SELECT input.bytes FROM usage WHERE usage.client_id = input.writer_id)
  FROM input, stamp, counter
  ORDER BY input.i
  RETURNING seq, created, record_id, writer_id, type, plain
), ${
  postingsCtes("r", "(SELECT writer_id, count(*) AS n FROM input GROUP BY writer_id) d, counter")
}
SELECT r.record_id, r.seq, r.created,
  1 / ((SELECT count(*) FROM w) = $5 AND (SELECT count(*) FROM p) = $6
    AND (SELECT count(*) FROM q) = $7)::int AS complete
FROM r`;

/** One queued write. */
interface Pending {
  record: UnstampedRecord;
  nowMicros: number;
  quota: number | null;
  resolve: (row: RecordRow | undefined) => void;
  reject: (error: unknown) => void;
}

/** How a write runs alone (the unbatched stamped insert). */
export type SingleWrite = (
  record: UnstampedRecord,
  nowMicros: number,
  quota: number | null,
) => Promise<RecordRow | undefined>;

/**
 * Queues stamped writes and runs them in batches, one batch at a time.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL); PostgresRecords makes one per store.
 * const batcher = new StampedWriteBatcher(session, (record, now, quota) => one(record, now, quota));
 * const row = await batcher.submit(record, Date.now() * 1000, null);
 * ```
 */
export class StampedWriteBatcher {
  readonly #sql: PostgresSession;
  readonly #single: SingleWrite;
  #queue: Pending[] = [];
  #running = false;
  /** Terms and writers seen in the dictionary (it only grows), as `field:term` and `w:id`. */
  readonly #known = new Set<string>();

  /** Batches on `session` (outside any transaction); `single` runs a write alone. */
  constructor(session: PostgresSession, single: SingleWrite) {
    this.#sql = session;
    this.#single = single;
  }

  /** Runs the write in the next batch; resolves as `insertStamped` does. */
  submit(record: UnstampedRecord, nowMicros: number, quota: number | null) {
    return new Promise<RecordRow | undefined>((resolve, reject) => {
      this.#queue.push({ record, nowMicros, quota, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) await this.#runBatch(this.#takeBatch());
    this.#running = false;
  }

  /** The oldest write and the queued writes with its quota, up to {@linkcode MAX_BATCH_WRITES}. */
  #takeBatch(): Pending[] {
    const quota = this.#queue[0]!.quota;
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const pending of this.#queue) {
      (pending.quota === quota && batch.length < MAX_BATCH_WRITES ? batch : rest).push(pending);
    }
    this.#queue = rest;
    return batch;
  }

  async #runBatch(batch: Pending[]): Promise<void> {
    const rows = await this.#insertBatch(batch).catch(() => {
      this.#known.clear(); // in case a term it remembered is what failed the batch
      return undefined;
    });
    if (rows !== undefined) {
      batch.forEach((pending, i) => pending.resolve(rows[i]));
      return;
    }
    // Again alone, after the batch failed as a whole: each its own outcome.
    for (const pending of batch) {
      await this.#single(pending.record, pending.nowMicros, pending.quota)
        .then(pending.resolve, pending.reject);
    }
  }

  /** The batch's records as stored, in the batch's order; throws when the batch failed. */
  async #insertBatch(batch: Pending[]): Promise<RecordRow[]> {
    const records = batch.map((pending) => pending.record);
    await this.#addTerms(records);
    const input = records.map((record) => {
      const texts = storedRecordTexts(record);
      const bytes = storedRecordBytes(texts, record.fileMeta?.size);
      return [...storedRecordValues(record, texts), record.version, bytes];
    });
    const latest = Math.max(...batch.map((pending) => pending.nowMicros));
    const expected = expectedPostings(records);
    const inserted = await this.#sql.rows(
      INSERT_BATCH_SQL,
      JSON.stringify(input),
      batch[0]!.quota,
      latest,
      batch.length,
      expected.found,
      expected.postings,
      expected.tags,
    );
    const byId = new Map(inserted.map((row) => [String(row.record_id), row]));
    return records.map((record) => {
      const row = byId.get(record.recordId);
      if (row === undefined) throw new Error(`Batch did not insert record ${record.recordId}`);
      const created = Number(row.created);
      return { ...record, seq: Number(row.seq), created, lastModified: created };
    });
  }

  /**
   * Adds the records' writers and terms to the dictionary (committed on their own: it only grows,
   * and a term without postings matches nothing), unless this batcher has seen them all there.
   */
  async #addTerms(records: UnstampedRecord[]): Promise<void> {
    const keys = recordTerms(records).map(([field, term]) => `${field}:${term}`);
    for (const record of records) keys.push(`w:${record.writerId}`);
    if (keys.every((key) => this.#known.has(key))) return;
    const [terms, termParams] = recordTermsStatement(records);
    await this.#sql.run(terms, ...termParams);
    if (this.#known.size + keys.length > KNOWN_TERMS) this.#known.clear();
    for (const key of keys) this.#known.add(key);
  }
}
