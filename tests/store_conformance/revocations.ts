/** Conformance: the revocation generation. */
import assert from "node:assert/strict";
import type { StoreTest } from "./_fixtures.ts";

export function revocationConformance(test: StoreTest): void {
  test("revocations: the generation stays until a committed bump moves it", async (store) => {
    const first = await store.revocations.generation();
    assert.equal(await store.revocations.generation(), first);
    await store.transaction((tx) => tx.revocations.bump());
    const second = await store.revocations.generation();
    assert.notEqual(second, first);
    await store.revocations.bump();
    assert.notEqual(await store.revocations.generation(), second);
  });
}
