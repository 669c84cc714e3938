/** Conformance: TSV1 replay nonces. */
import assert from "node:assert/strict";
import type { StoreTest } from "./_fixtures.ts";

const NOW = 1_800_000_000; // Unix seconds

export function replayNonceConformance(test: StoreTest): void {
  test("replay nonces: a live nonce is refused, an expired one is fresh again", async (store) => {
    const nonces = store.replayNonces;
    assert.equal(await nonces.remember("n1", NOW + 300, NOW), "fresh");
    assert.equal(await nonces.remember("n1", NOW + 300, NOW + 299), "replayed");
    assert.equal(await nonces.remember("n2", NOW + 300, NOW), "fresh");
    assert.equal(await nonces.remember("n1", NOW + 900, NOW + 300), "fresh");
    assert.equal(await nonces.remember("n1", NOW + 900, NOW + 301), "replayed");
  });

  test("replay nonces: concurrent uses of one nonce: exactly one is fresh", async (store) => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => store.replayNonces.remember("same", NOW + 300, NOW)),
    );
    assert.equal(outcomes.filter((outcome) => outcome === "fresh").length, 1);
    assert.equal(outcomes.filter((outcome) => outcome === "replayed").length, 19);
  });

  test("replay nonces: a spent budget refuses and remembers nothing; expiry frees it", async (store) => {
    const nonces = store.replayNonces;
    const key = { key: "key:k1", limit: 2 };
    const address = { key: "address:a1", limit: 3 };
    assert.equal(await nonces.remember("a", NOW + 10, NOW, [key, address]), "fresh");
    assert.equal(await nonces.remember("b", NOW + 20, NOW, [key, address]), "fresh");
    assert.deepEqual(await nonces.remember("c", NOW + 20, NOW, [key, address]), key);
    // "c" was not remembered: with another key it is fresh.
    assert.equal(
      await nonces.remember("c", NOW + 20, NOW, [{ key: "key:k2", limit: 2 }, address]),
      "fresh",
    );
    assert.deepEqual(
      await nonces.remember("d", NOW + 20, NOW, [{ key: "key:k3", limit: 2 }, address]),
      address,
    );
    // "a" expires at NOW + 10: one place in each budget is free again.
    assert.equal(await nonces.remember("e", NOW + 30, NOW + 10, [key, address]), "fresh");
  });

  test("replay nonces: deleteExpired forgets expired nonces only", async (store) => {
    const nonces = store.replayNonces;
    await nonces.remember("old", NOW + 10, NOW);
    await nonces.remember("live", NOW + 100, NOW);
    assert.equal(await nonces.deleteExpired(NOW + 10), 1);
    assert.equal(await nonces.remember("live", NOW + 100, NOW + 11), "replayed");
    assert.equal(await nonces.remember("old", NOW + 100, NOW + 11), "fresh");
  });
}
