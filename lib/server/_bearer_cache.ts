/**
 * A bounded in-memory cache of bearer tokens, keyed by the token's SHA-256 hash, so an
 * authenticated request does not need a store query to find its client.
 *
 * Only tokens the store returned are cached, with their expiry, and the expiry is checked on
 * every request exactly as for a stored token. This is sound because a bearer token never
 * changes once created and is only ever removed after it expires (nothing revokes one early).
 * If early revocation is ever added, it must call {@linkcode BearerCache.forget} or clear the
 * cache. Unknown tokens are never cached: a miss always asks the store.
 *
 * @module
 */
import type { BearerTokenRow } from "../store/bearer_tokens.ts";
import type { Store } from "../store/store.ts";

/** Default number of tokens kept (a token's entry is about 200 bytes). */
export const BEARER_CACHE_SIZE = 10_000;

/**
 * Live bearer tokens by hash, least recently added evicted first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BearerCache } from "./_bearer_cache.ts";
 * const cache = new BearerCache(2);
 * cache.remember({ tokenHash: "ab", clientId: "c", expires: 10 });
 * assert.equal(cache.lookup("ab", 5)?.clientId, "c");
 * assert.equal(cache.lookup("ab", 10), undefined); // expired
 * ```
 */
export class BearerCache {
  readonly #capacity: number;
  readonly #rows = new Map<string, BearerTokenRow>();

  /** A cache holding at most `capacity` tokens. */
  constructor(capacity: number = BEARER_CACHE_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`BearerCache capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** How many tokens are cached. */
  get size(): number {
    return this.#rows.size;
  }

  /**
   * The cached token with this hash if it is still live at `nowMicros`; an expired entry is
   * dropped and `undefined` returned.
   */
  lookup(tokenHash: string, nowMicros: number): BearerTokenRow | undefined {
    const row = this.#rows.get(tokenHash);
    if (row === undefined) return undefined;
    if (row.expires <= nowMicros) {
      this.#rows.delete(tokenHash);
      return undefined;
    }
    return row;
  }

  /** Caches a token read from the store (evicting the oldest entry when full). */
  remember(row: BearerTokenRow): void {
    this.#rows.delete(row.tokenHash);
    if (this.#rows.size >= this.#capacity) {
      this.#rows.delete(this.#rows.keys().next().value!);
    }
    this.#rows.set(row.tokenHash, row);
  }

  /** Drops one token. */
  forget(tokenHash: string): void {
    this.#rows.delete(tokenHash);
  }
}

const caches = new WeakMap<Store, BearerCache>();

/**
 * The bearer cache shared by every middleware of one store.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs its `deps`.
 * const cache = bearerCacheFor(deps.store);
 * ```
 */
export function bearerCacheFor(store: Store): BearerCache {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new BearerCache();
    caches.set(store, cache);
  }
  return cache;
}

/**
 * The live token with this hash: from the cache, else from the store (then cached). `undefined`
 * when unknown or expired at `nowMicros`.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs its `deps`.
 * const row = await findLiveBearer(deps.store, hash, deps.clock());
 * ```
 */
export async function findLiveBearer(
  store: Store,
  tokenHash: string,
  nowMicros: number,
): Promise<BearerTokenRow | undefined> {
  const cache = bearerCacheFor(store);
  const cached = cache.lookup(tokenHash, nowMicros);
  if (cached !== undefined) return cached;
  const row = await store.bearerTokens.find(tokenHash);
  if (row === undefined || row.expires <= nowMicros) return undefined;
  cache.remember(row);
  return row;
}
