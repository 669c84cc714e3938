import assert from "node:assert/strict";
import { resolveRange } from "../lib/server/_byte_range.ts";

Deno.test("byte range: single ranges resolve to [start, end)", () => {
  assert.deepEqual(resolveRange("bytes=0-9", 100), { kind: "partial", start: 0, end: 10 });
  assert.deepEqual(resolveRange("bytes=90-", 100), { kind: "partial", start: 90, end: 100 });
  assert.deepEqual(resolveRange("bytes=-10", 100), { kind: "partial", start: 90, end: 100 });
  assert.deepEqual(resolveRange("bytes=-1000", 100), { kind: "partial", start: 0, end: 100 });
  assert.deepEqual(resolveRange("bytes=50-5000", 100), { kind: "partial", start: 50, end: 100 });
  assert.deepEqual(resolveRange("BYTES = 99-99", 100), { kind: "partial", start: 99, end: 100 });
});

Deno.test("byte range: past the end is unsatisfiable", () => {
  assert.deepEqual(resolveRange("bytes=100-", 100), { kind: "unsatisfiable" });
  assert.deepEqual(resolveRange("bytes=-0", 100), { kind: "unsatisfiable" });
  assert.deepEqual(resolveRange("bytes=0-", 0), { kind: "unsatisfiable" });
  assert.deepEqual(resolveRange("bytes=-5", 0), { kind: "unsatisfiable" });
});

Deno.test("byte range: absent, malformed or multiple ranges mean the whole body", () => {
  for (
    const header of [
      undefined,
      "",
      "bytes=",
      "bytes=-",
      "bytes=5-2",
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=a-b",
    ]
  ) {
    assert.deepEqual(resolveRange(header, 100), { kind: "full" }, String(header));
  }
  assert.throws(() => resolveRange("bytes=0-1", -1), /non-negative/);
});
