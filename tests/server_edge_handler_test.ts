/**
 * The default export of server.ts (`deno serve`, edge runtimes): it retries a failed startup on
 * the next request (503 JSON meanwhile) and runs the housekeeping (issue 10, #11).
 */
import assert from "node:assert/strict";
import { seedAccount, seedClient } from "./store_conformance/_fixtures.ts";
import { join } from "node:path";
import edgeHandler from "../edge.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";
import { openDataDir } from "../lib/server/start_server.ts";

/** Seeds a data directory with one client and one pending upload that expired an hour ago. */
async function seedExpiredUpload(dataDir: string): Promise<string> {
  const { store, blobsDir } = await openDataDir(dataDir, {});
  try {
    const { clientId } = await seedClient(store, await seedAccount(store));
    const pendingId = crypto.randomUUID();
    const blobKey = `${pendingId}-1`;
    const now = Date.now() * 1000;
    await store.files.createPending({
      pendingId,
      writerId: clientId,
      userId: clientId,
      type: "large_files",
      plain: {},
      data: {},
      recSig: null,
      checksum: null,
      compression: "raw",
      size: null,
      blobKey,
      state: "uploaded",
      created: now - 25 * 3600 * 1_000_000,
      expires: now - 3600 * 1_000_000,
    });
    const blobs = new FsBlobStore(blobsDir, { durable: false });
    await blobs.put(blobKey, ReadableStream.from([new Uint8Array([1, 2, 3])]));
    return join(blobsDir, blobKey.slice(0, 2), blobKey);
  } finally {
    await store.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("edge handler: a failed startup answers 503 and is retried; then it sweeps expired uploads", async () => {
  const root = await Deno.makeTempDir({ prefix: "arca-edge-" });
  const dataDir = join(root, "data");
  const saved = Deno.env.get("ARCA_DATA_DIR");
  Deno.env.set("ARCA_DATA_DIR", dataDir);
  try {
    // A file where the data directory should be: the store cannot open.
    await Deno.writeTextFile(dataDir, "not a directory");
    const failed = await edgeHandler.fetch(new Request("http://localhost/healthz"));
    assert.equal(failed.status, 503);
    assert.match(failed.headers.get("content-type") ?? "", /application\/json/);
    assert.match((await failed.json()).error, /could not start/);
    const again = await edgeHandler.fetch(new Request("http://localhost/healthz"));
    assert.equal(again.status, 503, "still broken: retried and failed again");
    await again.body?.cancel();

    // The operator fixes it: now the next request starts the server.
    await Deno.remove(dataDir);
    const blobPath = await seedExpiredUpload(dataDir);
    assert.equal(await exists(blobPath), true);
    const ok = await edgeHandler.fetch(new Request("http://localhost/healthz"));
    assert.equal(ok.status, 200, await ok.clone().text());
    await ok.body?.cancel();

    // The housekeeping started with it drops the expired upload and deletes its bytes.
    const deadline = Date.now() + 5000;
    while (await exists(blobPath) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(await exists(blobPath), false, "the sweep deleted the expired upload's bytes");
  } finally {
    await edgeHandler.shutdown();
    if (saved === undefined) Deno.env.delete("ARCA_DATA_DIR");
    else Deno.env.set("ARCA_DATA_DIR", saved);
    await Deno.remove(root, { recursive: true });
  }
});
