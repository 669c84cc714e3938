/**
 * Records: the encrypted documents clients write, with their clear metadata, and the v1 query
 * over them. Writes keep the search index (`search.ts`) in step.
 *
 * @module
 */
import type { PlainFilter } from "../protocol/query.ts";
import type { QuotaLimit } from "./usage.ts";

/** A stored record. `plain`, `data` and `fileMeta` are parsed JSON. */
export interface RecordRow {
  /** Monotonic sequence number: the v1 query `after_index`/`last_index`. */
  seq: number;
  /** UUID. */
  recordId: string;
  /** The client that wrote it (the only one that may change it). */
  writerId: string;
  /** The subject of the record (E3DB clients set it to the writer). */
  userId: string;
  /** Record type; sharing is per type. */
  type: string;
  /** Clear, searchable metadata. */
  plain: Record<string, string>;
  /** Encrypted fields (opaque to the server). */
  data: Record<string, string>;
  /** The writer's record signature, if it sent one. */
  recSig: string | null;
  /** File metadata for file records, else `null`. */
  fileMeta: Record<string, unknown> | null;
  /** Creation time (strictly increasing across writes). */
  created: number;
  /** Last update time. */
  lastModified: number;
  /** Opaque version (UUID), new on every update. */
  version: string;
}

/** What a new record needs; the store assigns `seq`. */
export type NewRecord = Omit<RecordRow, "seq">;

/** A new record before it is stamped: the store assigns `seq`, `created` and `lastModified`. */
export type UnstampedRecord = Omit<NewRecord, "created" | "lastModified">;

/** The replaceable parts of a record on update. */
export interface RecordChanges {
  /** New clear metadata. */
  plain: Record<string, string>;
  /** New encrypted fields. */
  data: Record<string, string>;
  /** New record signature, or `null`. */
  recSig: string | null;
  /** Update time. */
  lastModified: number;
  /** The new version. */
  version: string;
}

/** The outcome of a versioned update or delete. */
export type VersionedOutcome<T> =
  | { status: "ok"; value: T }
  | { status: "missing" }
  | { status: "conflict" };

/**
 * How much record data one page of a query or search returns: whether it returns `data` at all,
 * and the budget that ends a page early.
 */
export interface PageDataOptions {
  /**
   * Return each record's `data` (default `true`). Without it, rows carry `data: {}` and the
   * store does not read the stored data at all.
   */
  includeData?: boolean;
  /**
   * The page's data budget in bytes (default `PAGE_DATA_BYTES` of `protocol/query.ts`, 8 MiB),
   * measured as the length of each record's stored `data` JSON. A page ends with the record that
   * takes it past the budget (so it always holds at least one record); paging on from its last
   * record returns the rest. Ignored without `includeData`.
   */
  maxDataBytes?: number;
}

/**
 * A v1 query as the store runs it. Rows come back in `seq` order, after `afterSeq`, at most
 * `limit` (fewer when the page's data budget ends it early). Empty lists mean "no filter".
 */
export interface RecordQuery extends PageDataOptions {
  /** The client asking. */
  callerId: string;
  /**
   * `"own"`: records written by `callerId`; `"readable"`: also records another writer shares
   * with `callerId` through a current allow-read policy.
   */
  scope: "own" | "readable";
  /** Only rows with `seq` greater than this. */
  afterSeq: number;
  /** At most this many rows. */
  limit: number;
  /** Only these writers. */
  writerIds: string[];
  /** Only these users. */
  userIds: string[];
  /** Only these records. */
  recordIds: string[];
  /** Only these types. */
  types: string[];
  /** A `plain` filter, or `null`. */
  plain: PlainFilter | null;
}

/**
 * The record methods of a store (`store.records`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const accountId = crypto.randomUUID();
 * const writerId = crypto.randomUUID();
 * await store.accounts.create({ accountId, name: "acme", created: 1 });
 * await store.clients.create({
 *   clientId: writerId, accountId, name: "laptop", publicKeyType: "curve25519",
 *   publicKey: "pk", signingKeyType: null, signingKey: null, apiKeyId: "a1",
 *   apiSecretHash: "h", backupClientId: writerId, backedUp: null, created: 1,
 * });
 * const row = await store.records.insert({
 *   recordId: crypto.randomUUID(), writerId, userId: writerId, type: "note",
 *   plain: { topic: "tea" }, data: { body: "a.b.c.d" }, recSig: null, fileMeta: null,
 *   created: 10, lastModified: 10, version: "v1",
 * });
 * assert.deepEqual(await store.records.get(row.recordId), row);
 * assert.deepEqual(await store.records.delete(row.recordId, "stale"), { status: "conflict" });
 * assert.deepEqual(await store.records.delete(row.recordId, "v1"), { status: "ok", value: true });
 * assert.deepEqual(await store.records.deleteByWriter(writerId, 10), []);
 * await store.close();
 * ```
 */
export interface RecordStore {
  /**
   * Adds a record and returns it with its sequence number. Its bytes count in the writer's
   * usage (`usage.ts`); past `limit` it throws `QuotaExceededError` and adds nothing.
   */
  insert(record: NewRecord, limit?: QuotaLimit): Promise<RecordRow>;
  /**
   * Adds a new record stamped now, in one atomic step: a timestamp issued as
   * `issueTimestamp(nowMicros)` issues it becomes its `created` and `lastModified`, then it is
   * inserted as {@linkcode insert} does (usage, quota, search index). Returns `undefined`, adding
   * nothing and issuing no timestamp, when `record.recordId` is taken. Needs no
   * `transaction(fn)` around it: it settles its own races (on PostgreSQL it runs without the
   * store's transaction lock, in one round trip).
   */
  insertStamped(
    record: UnstampedRecord,
    nowMicros: number,
    limit?: QuotaLimit,
  ): Promise<RecordRow | undefined>;
  /** One record, or `undefined`. */
  get(recordId: string): Promise<RecordRow | undefined>;
  /**
   * Replaces `plain`, `data` and signature if the record is at `expectedVersion`. A record that
   * grows past the writer's `limit` throws `QuotaExceededError` and is not changed.
   */
  update(
    recordId: string,
    expectedVersion: string,
    changes: RecordChanges,
    limit?: QuotaLimit,
  ): Promise<VersionedOutcome<RecordRow>>;
  /** Deletes the record if it is at `expectedVersion`, freeing its bytes from the usage. */
  delete(recordId: string, expectedVersion: string): Promise<VersionedOutcome<true>>;
  /**
   * Deletes up to `limit` of the writer's records (oldest first) with their search index rows,
   * and returns them (so their file bytes can be queued for deletion). Call it until it
   * returns fewer than `limit`.
   */
  deleteByWriter(writerId: string, limit: number): Promise<RecordRow[]>;
  /** Runs a v1 query. */
  query(query: RecordQuery): Promise<RecordRow[]>;
}
