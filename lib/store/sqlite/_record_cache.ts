/**
 * A bounded in-memory cache of records by id, so reading a hot record skips the database.
 *
 * It is sound because the store that owns it is the only writer of its database: the SQLite
 * store locks its file against other Arca processes ({@linkcode lockDatabaseFile}), and evicts a
 * record whenever it updates or deletes it, before the change commits. The store fills the cache
 * only outside transactions, from committed rows, and reads inside a transaction bypass it.
 * Cached rows are frozen and shared by every reader, so the server can also keep the
 * serialized response of a row beside it (`lib/server/_wire.ts`).
 *
 * @module
 */
import type { RecordRow } from "../records.ts";

/** Default budget in bytes (measured as the UTF-16 length of a row's largest strings). */
export const RECORD_CACHE_BYTES = 32 * 1024 * 1024;

const ROW_OVERHEAD_BYTES = 512;

/**
 * Records by id, least recently used evicted first, within a byte budget.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordCache } from "./_record_cache.ts";
 * const cache = new RecordCache(1024 * 1024);
 * assert.equal(cache.get("missing"), undefined);
 * ```
 */
export class RecordCache {
  readonly #maxBytes: number;
  readonly #rows = new Map<string, { row: RecordRow; bytes: number }>();
  #bytes = 0;
  /** Reads {@linkcode RecordCache.get} answered. */
  hits = 0;
  /** Reads {@linkcode RecordCache.get} could not answer. */
  misses = 0;

  /** A cache holding at most about `maxBytes` of records (0 disables it). */
  constructor(maxBytes: number = RECORD_CACHE_BYTES) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(`Record cache size must be a whole number of bytes, got ${maxBytes}`);
    }
    this.#maxBytes = maxBytes;
  }

  /** The cached record, or `undefined`. */
  get(recordId: string): RecordRow | undefined {
    const entry = this.#rows.get(recordId);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map order is insertion order: moving the entry to the end marks it most recently used.
    this.#rows.delete(recordId);
    this.#rows.set(recordId, entry);
    return entry.row;
  }

  /** Caches a committed row (frozen, so every reader shares it safely) and returns it. */
  put(row: RecordRow): RecordRow {
    const bytes = rowBytes(row);
    if (bytes > this.#maxBytes) return row;
    const frozen = freezeRow(row);
    this.evict(row.recordId);
    this.#rows.set(row.recordId, { row: frozen, bytes });
    this.#bytes += bytes;
    for (const [recordId, entry] of this.#rows) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#rows.delete(recordId);
      this.#bytes -= entry.bytes;
    }
    return frozen;
  }

  /** Forgets a record (call it when the record changes or goes). */
  evict(recordId: string): void {
    const entry = this.#rows.get(recordId);
    if (entry === undefined) return;
    this.#rows.delete(recordId);
    this.#bytes -= entry.bytes;
  }

  /** Forgets every record. */
  clear(): void {
    this.#rows.clear();
    this.#bytes = 0;
  }
}

function rowBytes(row: RecordRow): number {
  let bytes = ROW_OVERHEAD_BYTES + (row.recSig?.length ?? 0) * 2;
  for (const [key, value] of Object.entries(row.data)) bytes += (key.length + value.length) * 2;
  for (const [key, value] of Object.entries(row.plain)) bytes += (key.length + value.length) * 2;
  return bytes;
}

function freezeRow(row: RecordRow): RecordRow {
  Object.freeze(row.plain);
  Object.freeze(row.data);
  if (row.fileMeta !== null) Object.freeze(row.fileMeta);
  return Object.freeze(row);
}
