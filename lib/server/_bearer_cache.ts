/**
 * A bounded in-memory cache of bearer tokens, keyed by the token's SHA-256 hash, so an
 * authenticated request does not need a store query to find its client.
 *
 * Only tokens the store returned for an enabled client are cached, with their expiry, and the
 * expiry is checked on every request exactly as for a stored token. A token is never changed
 * once created; it is ended early only by disabling or deleting its client, and those move the
 * store's revocation generation (`store.revocations`) in their transaction. Every lookup reads
 * that generation first and empties the cache when it moved, so a token revoked through any
 * server instance of the store is refused by every instance from the moment the revocation
 * commits (on SQLite the generation lives in memory; on PostgreSQL it is one row read per
 * request, cheaper than the token and client reads it saves). A lookup that read the store
 * before the generation moved does not cache what it read, so a disabled client's token cannot
 * slip back in. Unknown tokens are never cached: a miss always asks the store.
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
 * cache.follow(0); // the store's revocation generation
 * cache.remember({ tokenHash: "ab", clientId: "c", expires: 10 });
 * assert.equal(cache.lookup("ab", 5)?.clientId, "c");
 * assert.equal(cache.lookup("ab", 10), undefined); // expired
 * cache.remember({ tokenHash: "cd", clientId: "c", expires: 10 });
 * cache.follow(1); // the store's revocation generation moved
 * assert.equal(cache.lookup("cd", 5), undefined);
 * ```
 */
export class BearerCache {
  readonly #capacity: number;
  readonly #rows = new Map<string, BearerTokenRow>();
  #generation = 0;
  #followed: number | undefined;

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

  /** Moves on each time the cache is emptied by {@linkcode follow}. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Follows the store's revocation generation: when it differs from the one followed so far,
   * every token is dropped (something was revoked since they were read).
   */
  follow(storeGeneration: number): void {
    if (storeGeneration === this.#followed) return;
    if (this.#followed !== undefined) {
      this.#generation++;
      this.#rows.clear();
    }
    this.#followed = storeGeneration;
  }

  /**
   * Caches a token read from the store (evicting the oldest entry when full), unless the cache
   * was emptied since `readAt` (the {@linkcode generation} before the store read).
   */
  remember(row: BearerTokenRow, readAt: number = this.#generation): void {
    if (readAt !== this.#generation) return;
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

/** What {@linkcode findLiveBearer} found. */
export type BearerLookup =
  | { status: "live"; row: BearerTokenRow }
  | { status: "disabled" }
  | { status: "unknown" };

/**
 * The live token with this hash: from the cache, else from the store (then cached). `unknown`
 * when there is none or it expired at `nowMicros`; `disabled` when its client is disabled.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs its `deps`.
 * const found = await findLiveBearer(deps.store, hash, deps.clock());
 * ```
 */
export async function findLiveBearer(
  store: Store,
  tokenHash: string,
  nowMicros: number,
): Promise<BearerLookup> {
  const cache = bearerCacheFor(store);
  cache.follow(await store.revocations.generation());
  const cached = cache.lookup(tokenHash, nowMicros);
  if (cached !== undefined) return { status: "live", row: cached };
  const readAt = cache.generation;
  const row = await store.bearerTokens.find(tokenHash);
  if (row === undefined || row.expires <= nowMicros) return { status: "unknown" };
  const client = await store.clients.get(row.clientId);
  if (client === undefined) return { status: "unknown" };
  if (client.disabled === true) return { status: "disabled" };
  cache.remember(row, readAt);
  return { status: "live", row };
}
