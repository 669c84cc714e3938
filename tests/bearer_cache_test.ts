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
    revocations: { generation: () => Promise.resolve(0) },
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

Deno.test("bearer cache: a moved revocation generation drops every token, and a lookup that raced it caches nothing", () => {
  const cache = new BearerCache(4);
  cache.follow(7);
  cache.remember(row("a", 100));
  cache.remember({ ...row("b", 100), clientId: "client-a" });
  cache.follow(7); // the same generation: nothing was revoked
  assert.ok(cache.lookup("a", 0));
  const readAt = cache.generation; // a lookup reads the store here...
  cache.follow(8); // ...a client is disabled meanwhile (through any instance)...
  cache.remember(row("d", 100), readAt); // ...and what it read is not cached.
  assert.equal(cache.lookup("a", 0), undefined);
  assert.equal(cache.lookup("b", 0), undefined);
  assert.equal(cache.lookup("d", 0), undefined);
  cache.remember(row("c", 100));
  assert.ok(cache.lookup("c", 0));
});

Deno.test("findLiveBearer: a token cached on one instance is refused once another moves the store's generation", async () => {
  const rows = new Map([["t", row("t", 1_000)]]);
  const disabled = new Set<string>();
  const asked: string[] = [];
  let generation = 0;
  const store = {
    ...fakeStore(rows, disabled, asked),
    revocations: { generation: () => Promise.resolve(generation) },
  } as unknown as Store;
  assert.equal(clientOf(await findLiveBearer(store, "t", 500)), "client-t");
  assert.equal(clientOf(await findLiveBearer(store, "t", 500)), "client-t"); // from the cache
  disabled.add("client-t"); // another instance disables the client...
  generation++; // ...in the transaction that moves the generation
  assert.deepEqual(await findLiveBearer(store, "t", 500), { status: "disabled" });
  assert.deepEqual(asked, ["t", "t"]);
});
