import assert from "node:assert/strict";
import { BearerCache, findLiveBearer } from "../lib/server/_bearer_cache.ts";
import type { BearerTokenRow } from "../lib/store/bearer_tokens.ts";
import type { Store } from "../lib/store/store.ts";

const row = (tokenHash: string, expires: number): BearerTokenRow => ({
  tokenHash,
  clientId: `client-${tokenHash}`,
  expires,
});

Deno.test("bearer cache: a cached token is live until its expiry, then dropped", () => {
  const cache = new BearerCache(4);
  cache.remember(row("a", 100));
  assert.equal(cache.lookup("a", 99)?.clientId, "client-a");
  assert.equal(cache.lookup("a", 100), undefined);
  assert.equal(cache.size, 0);
  assert.equal(cache.lookup("a", 1), undefined); // gone for good, even at an earlier time
});

Deno.test("bearer cache: bounded, the oldest entry goes first; forget drops one", () => {
  const cache = new BearerCache(2);
  cache.remember(row("a", 100));
  cache.remember(row("b", 100));
  cache.remember(row("c", 100));
  assert.equal(cache.size, 2);
  assert.equal(cache.lookup("a", 0), undefined);
  assert.ok(cache.lookup("b", 0));
  cache.forget("b");
  assert.equal(cache.lookup("b", 0), undefined);
  assert.ok(cache.lookup("c", 0));
  assert.throws(() => new BearerCache(0), RangeError);
  assert.throws(() => new BearerCache(1.5), RangeError);
});

Deno.test("findLiveBearer: asks the store once per live token, never caches misses", async () => {
  const rows = new Map([["live", row("live", 1_000)], ["old", row("old", 10)]]);
  const asked: string[] = [];
  const store = {
    bearerTokens: {
      find: (hash: string) => {
        asked.push(hash);
        return Promise.resolve(rows.get(hash));
      },
    },
  } as unknown as Store;
  assert.equal((await findLiveBearer(store, "live", 500))?.clientId, "client-live");
  assert.equal((await findLiveBearer(store, "live", 600))?.clientId, "client-live");
  assert.equal(await findLiveBearer(store, "old", 500), undefined);
  assert.equal(await findLiveBearer(store, "nope", 500), undefined);
  assert.equal(await findLiveBearer(store, "nope", 500), undefined);
  assert.equal(await findLiveBearer(store, "live", 1_000), undefined); // expired in the cache
  assert.deepEqual(asked, ["live", "old", "nope", "nope", "live"]);
});
