/**
 * What a store tells about its own machinery, for the server's metrics (`GET /metrics`). Each
 * field is optional: a backend reports what it has.
 *
 * @module
 */

/** A store's counters and gauges at one moment. */
export interface StoreRuntimeStats {
  /** Calls waiting in the store's queue (SQLite: its one connection's queue). */
  queueDepth?: number;
  /** Write batches committed or rolled back since the store opened. */
  writeBatches?: number;
  /** Operations those batches held (divided by `writeBatches`: the mean batch size). */
  batchedWrites?: number;
  /** Batch sizes seen: how many batches held at most each bound (cumulative, bounds ascending). */
  batchSizeBuckets?: ReadonlyArray<{ le: number; count: number }>;
  /** Record reads answered from the record cache. */
  recordCacheHits?: number;
  /** Record reads the record cache could not answer. */
  recordCacheMisses?: number;
  /** Connections of a pool (PostgreSQL) and how many of them are busy. */
  poolSize?: number;
}
