/**
 * A bounded in-memory cache of bearer tokens, keyed by the token's SHA-256 hash, so an
 * authenticated request does not need a store query to find its client.
 *
 * Only tokens the store returned for an enabled client are cached, with their expiry, and the
 * expiry is checked on every request exactly as for a stored token. A token is never changed
 * once created; it is ended early only by disabling or deleting its client, and those call
 * {@linkcode BearerCache.forgetClient} after their transaction commits. A lookup that read the
 * store before that call does not cache what it read (the cache's generation moved on), so a
 * disabled client's token cannot slip back in. Unknown tokens are never cached: a miss always
 * asks the store.
 *
 * The cache lives in the server process; a deployment with several server processes on one
 * scale-out store would have to tell each of them (none exists yet: SQLite allows one process).
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
 * cache.remember({ tokenHash: "cd", clientId: "c", expires: 10 });
 * cache.forgetClient("c");
 * assert.equal(cache.lookup("cd", 5), undefined);
 * ```
 */
export class BearerCache {
  readonly #capacity: number;
  readonly #rows = new Map<string, BearerTokenRow>();
  #generation = 0;

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

  /** Moves on each time a client's tokens are forgotten. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Caches a token read from the store (evicting the oldest entry when full), unless a client's
   * tokens were forgotten since `readAt` (the {@linkcode generation} before the store read).
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

  /** Drops every token of the client (it was disabled or deleted). */
  forgetClient(clientId: string): void {
    this.#generation++;
    for (const [hash, row] of this.#rows) {
      if (row.clientId === clientId) this.#rows.delete(hash);
    }
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
