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

function fakeStore(rows: Map<string, BearerTokenRow>, disabled: Set<string>, asked: string[]) {
  return {
    bearerTokens: {
      find: (hash: string) => {
        asked.push(hash);
        return Promise.resolve(rows.get(hash));
      },
    },
    clients: {
      get: (clientId: string) => Promise.resolve({ clientId, disabled: disabled.has(clientId) }),
    },
  } as unknown as Store;
}

function clientOf(found: Awaited<ReturnType<typeof findLiveBearer>>): string | undefined {
  return found.status === "live" ? found.row.clientId : undefined;
}

Deno.test("findLiveBearer: asks the store once per live token, never caches misses", async () => {
  const rows = new Map([["live", row("live", 1_000)], ["old", row("old", 10)]]);
  const asked: string[] = [];
  const store = fakeStore(rows, new Set(), asked);
  assert.equal(clientOf(await findLiveBearer(store, "live", 500)), "client-live");
  assert.equal(clientOf(await findLiveBearer(store, "live", 600)), "client-live");
  assert.deepEqual(await findLiveBearer(store, "old", 500), { status: "unknown" });
  assert.deepEqual(await findLiveBearer(store, "nope", 500), { status: "unknown" });
  assert.deepEqual(await findLiveBearer(store, "nope", 500), { status: "unknown" });
  // expired in the cache
  assert.deepEqual(await findLiveBearer(store, "live", 1_000), { status: "unknown" });
  assert.deepEqual(asked, ["live", "old", "nope", "nope", "live"]);
});

Deno.test("findLiveBearer: a disabled client's token is refused and never cached", async () => {
  const rows = new Map([["t", row("t", 1_000)]]);
  const disabled = new Set(["client-t"]);
  const asked: string[] = [];
  const store = fakeStore(rows, disabled, asked);
  assert.deepEqual(await findLiveBearer(store, "t", 500), { status: "disabled" });
  assert.deepEqual(await findLiveBearer(store, "t", 500), { status: "disabled" });
  assert.deepEqual(asked, ["t", "t"]);
});

Deno.test("bearer cache: forgetClient drops its tokens, and a lookup that raced it caches nothing", () => {
  const cache = new BearerCache(4);
  cache.remember(row("a", 100));
  cache.remember({ ...row("b", 100), clientId: "client-a" });
  cache.remember(row("c", 100));
  const readAt = cache.generation; // a lookup reads the store here...
  cache.forgetClient("client-a"); // ...the client is disabled meanwhile...
  cache.remember(row("d", 100), readAt); // ...and what it read is not cached.
  assert.equal(cache.lookup("a", 0), undefined);
  assert.equal(cache.lookup("b", 0), undefined);
  assert.equal(cache.lookup("d", 0), undefined);
  assert.ok(cache.lookup("c", 0));
});
