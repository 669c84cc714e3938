/**
 * The thresholds the search planner and resolver choose plans by. The defaults suit a
 * million-record store; tests shrink them so every plan runs on small fixtures.
 *
 * @module
 */

/** Planner and resolver thresholds. */
export interface SearchTuning {
  /** Term-id sets up to this size are checked with posting-list point lookups. */
  probeMax: number;
  /** Matched-term sets up to this size are compared as a list; larger re-run the pattern. */
  inlineTextsMax: number;
  /** Most ordered index ranges merged for one page. */
  maxMergeRanges: number;
  /** Drivers with fewer rows than this are simply sorted. */
  sortCap: number;
  /** Most records a scope scan reads. */
  scanBudget: number;
  /** Prefix patterns matching more terms than this keep a dictionary range, not a list. */
  maxListedTerms: number;
}

/**
 * The thresholds used unless a caller passes others.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SEARCH_TUNING } from "./_search_tuning.ts";
 * assert.equal(DEFAULT_SEARCH_TUNING.probeMax, 8);
 * ```
 */
export const DEFAULT_SEARCH_TUNING: Readonly<SearchTuning> = Object.freeze({
  probeMax: 8,
  inlineTextsMax: 2_000,
  maxMergeRanges: 32,
  sortCap: 20_000,
  scanBudget: 50_000,
  maxListedTerms: 2_000,
});
