/** Conformance: login failures. */
import assert from "node:assert/strict";
import type { StoreTest } from "./_fixtures.ts";

const NOW = 1_800_000_000; // Unix seconds
const RULE = { maxFailures: 3, windowSeconds: 100 };

export function loginFailureConformance(test: StoreTest): void {
  test("login failures: N failures in the window make the key wait; keys are independent", async (store) => {
    const failures = store.loginFailures;
    for (let t = 0; t < 3; t++) {
      assert.equal(await failures.retryAfter("alice", NOW + t * 10, RULE), 0);
      await failures.fail("alice", NOW + t * 10, RULE);
    }
    assert.equal(await failures.retryAfter("alice", NOW + 21, RULE), 79);
    assert.equal(await failures.retryAfter("bob", NOW + 21, RULE), 0);
    assert.equal(await failures.retryAfter("alice", NOW + 100, RULE), 0); // the first one left
    await failures.fail("alice", NOW + 100, RULE);
    assert.equal(await failures.retryAfter("alice", NOW + 101, RULE), 9); // 10, 20, 100 count
  });

  test("login failures: succeed clears the key", async (store) => {
    const failures = store.loginFailures;
    for (let t = 0; t < 3; t++) await failures.fail("carol", NOW + t, RULE);
    assert.ok(await failures.retryAfter("carol", NOW + 3, RULE) > 0);
    await failures.succeed("carol");
    assert.equal(await failures.retryAfter("carol", NOW + 3, RULE), 0);
  });

  test("login failures: concurrent failures are all counted", async (store) => {
    await Promise.all(
      Array.from({ length: 3 }, () => store.loginFailures.fail("dave", NOW, RULE)),
    );
    assert.equal(await store.loginFailures.retryAfter("dave", NOW + 1, RULE), 99);
  });

  test("login failures: deleteExpired keeps failures still in their window", async (store) => {
    const failures = store.loginFailures;
    for (let t = 0; t < 3; t++) await failures.fail("erin", NOW + t, RULE);
    await failures.fail("frank", NOW - 200, RULE);
    assert.equal(await failures.deleteExpired(NOW + 50) >= 1, true); // frank's failure left
    assert.equal(await failures.retryAfter("erin", NOW + 50, RULE), 50);
  });
}
