import assert from "node:assert/strict";
import { SerialQueue } from "../lib/store/sqlite/_serial_queue.ts";

Deno.test("SerialQueue.runSync runs at once when the queue is idle", async () => {
  const queue = new SerialQueue();
  let ran = false;
  const result = queue.runSync(() => {
    ran = true;
    return 7;
  });
  assert.equal(ran, true);
  assert.equal(await result, 7);
});

Deno.test("SerialQueue.runSync waits behind a running job", async () => {
  const queue = new SerialQueue();
  const order: string[] = [];
  let release!: () => void;
  const held = queue.run(async () => {
    order.push("job start");
    await new Promise<void>((resolve) => release = resolve);
    order.push("job end");
  });
  const sync = queue.runSync(() => order.push("sync"));
  await Promise.resolve();
  assert.deepEqual(order, ["job start"]);
  release();
  await Promise.all([held, sync]);
  assert.deepEqual(order, ["job start", "job end", "sync"]);
  // Idle again: runs at once.
  queue.runSync(() => order.push("after"));
  assert.equal(order.at(-1), "after");
});

Deno.test("SerialQueue.runSync turns a throw into a rejection", async () => {
  const queue = new SerialQueue();
  const result = queue.runSync(() => {
    throw new Error("boom");
  });
  await assert.rejects(result, /boom/);
  assert.equal(await queue.runSync(() => "still works"), "still works");
});
