/** The large-files API in-process: POST → PUT → PATCH → GET, signed URLs, Range, sweep. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import { ValidationError } from "../lib/errors.ts";
import { createApp } from "../lib/server/app.ts";
import { issueCapability } from "../lib/server/_capability_url.ts";
import { sweepFiles } from "../lib/server/_file_sweep.ts";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { byteStream, type FileTestServer, fileTestServer, randomBytes } from "./_file_helpers.ts";
import {
  assertError,
  basic,
  call,
  putPolicy,
  registerClient,
  type Reply,
  type TestClient,
  TIMESTAMP_SHAPE,
} from "./_server_helpers.ts";

const FILES = "/v1/storage/files";

/** Sends raw bytes (or a stream) to a URL of the app, with no Authorization header. */
async function send(
  server: FileTestServer,
  method: string,
  url: string,
  body?: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<Reply & { bytes: Uint8Array }> {
  const response = await server.app.request(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: body as BodyInit }),
  });
  const bytes = await response.bytes();
  const text = new TextDecoder().decode(bytes);
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text, bytes };
}

function fileBody(client: TestClient, bytes: Uint8Array, plain: Record<string, string> = {}) {
  return {
    meta: {
      writer_id: client.clientId,
      user_id: client.clientId,
      type: "large_files",
      plain,
      file_meta: { ...fileChecksum(bytes), compression: "raw" },
    },
    data: {},
  };
}

async function startUpload(server: FileTestServer, client: TestClient, bytes: Uint8Array) {
  const reply = await call(server, "POST", FILES, {
    token: client.token,
    body: fileBody(client, bytes),
  });
  assert.equal(reply.status, 202, reply.text);
  return reply.json as { id: string; file_url: string };
}

/** The whole write: POST, PUT, PATCH; returns the committed record. */
async function writeFile(
  server: FileTestServer,
  client: TestClient,
  bytes: Uint8Array,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const pending = await startUpload(server, client, bytes);
  const put = await send(server, "PUT", pending.file_url, bytes, {
    "content-type": "application/octet-stream",
    "content-md5": fileChecksum(bytes).checksum,
  });
  assert.equal(put.status, 200, put.text);
  const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: client.token });
  assert.equal(patch.status, 201, patch.text);
  return patch.json;
}

/** A fresh bearer token for `client` (after the clock moved past the old one's hour). */
async function refreshToken(server: FileTestServer, client: TestClient): Promise<TestClient> {
  const reply = await call(server, "POST", "/v1/auth/token", {
    headers: { authorization: basic(client.apiKeyId, client.apiSecret) },
    body: "grant_type=client_credentials",
  });
  assert.equal(reply.status, 200, reply.text);
  return { ...client, token: reply.json.access_token };
}

async function tempFileCount(server: FileTestServer): Promise<number> {
  let count = 0;
  try {
    for await (const _ of Deno.readDir(join(server.blobsDir, ".tmp"))) count++;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return count;
}

Deno.test("files: POST 202, PUT 200, PATCH 201 with full file_meta, GET and download", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    for (const size of [0, 1, 65535, 65536, 65537, 300_000]) {
      const bytes = randomBytes(size);
      const pending = await startUpload(server, alice, bytes);
      assert.match(pending.id, /^[0-9a-f-]{36}$/);
      assert.ok(
        pending.file_url.startsWith(`http://localhost/v1/arca/files/upload/${pending.id}?token=`),
        pending.file_url,
      );
      const put = await send(server, "PUT", pending.file_url, byteStream(bytes, 10_000));
      assert.equal(put.status, 200, put.text);
      const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token });
      assert.equal(patch.status, 201, patch.text);
      const meta = patch.json.meta;
      assert.equal(meta.writer_id, alice.clientId);
      assert.equal(meta.user_id, alice.clientId);
      assert.equal(meta.type, "large_files");
      assert.deepEqual(meta.plain, {});
      assert.match(meta.record_id, /^[0-9a-f-]{36}$/);
      assert.match(meta.version, /^[0-9a-f-]{36}$/);
      assert.match(meta.created, TIMESTAMP_SHAPE);
      assert.match(meta.last_modified, TIMESTAMP_SHAPE);
      assert.deepEqual(Object.keys(meta.file_meta).sort(), [
        "checksum",
        "compression",
        "file_name",
        "file_url",
        "size",
      ]);
      assert.equal(meta.file_meta.checksum, fileChecksum(bytes).checksum);
      assert.equal(meta.file_meta.size, size);
      assert.equal(meta.file_meta.compression, "raw");
      assert.match(meta.file_meta.file_name, new RegExp(`^${pending.id}-\\d+$`));
      assert.deepEqual(patch.json.data, {});

      const got = await call(server, "GET", `${FILES}/${meta.record_id}`, { token: alice.token });
      assert.equal(got.status, 200, got.text);
      const url = got.json.meta.file_meta.file_url as string;
      assert.ok(url.startsWith(`http://localhost/v1/arca/files/download/${meta.record_id}?`), url);
      const download = await send(server, "GET", url);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get("content-length"), String(size));
      assert.equal(download.headers.get("accept-ranges"), "bytes");
      assert.deepEqual(download.bytes, bytes);
      // The PATCH answer's URL works too (once).
      const fromPatch = await send(server, "GET", meta.file_meta.file_url);
      assert.deepEqual(fromPatch.bytes, bytes);
    }
    assert.equal(await tempFileCount(server), 0);
  } finally {
    await server.close();
  }
});

Deno.test("files: the configured public URL is the base of file URLs", async () => {
  const server = await fileTestServer({ publicUrl: "https://arca.example.com/" });
  try {
    const alice = await registerClient(server, "alice");
    const pending = await startUpload(server, alice, randomBytes(10));
    assert.ok(pending.file_url.startsWith("https://arca.example.com/v1/arca/files/upload/"));
  } finally {
    await server.close();
  }
});

Deno.test("files: an MD5 mismatch is 400 and keeps nothing", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(100_000);
    const pending = await startUpload(server, alice, bytes);
    const changed = bytes.slice();
    changed[5000]! ^= 0x80;
    const put = await send(server, "PUT", pending.file_url, changed);
    assertError(put, 400, /MD5/);
    const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token });
    // The upload URL may be retried (issue 10, finding 16): the pending file waits for its bytes.
    assertError(patch, 409, /not been uploaded/);
    assert.equal((await server.store.files.getPending(pending.id))?.state, "pending");
    assert.equal(await tempFileCount(server), 0);
    const blobs = [...Deno.readDirSync(server.blobsDir)].filter((e) => e.name !== ".tmp");
    for (const dir of blobs) {
      assert.deepEqual([...Deno.readDirSync(join(server.blobsDir, dir.name))], []);
    }
  } finally {
    await server.close();
  }
});

Deno.test("files: truncated, over-long and interrupted uploads are 400 and keep nothing", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(200_000);
    const interrupted = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 70_000));
        controller.error(new Error("connection reset by peer"));
      },
    });
    const cases: Array<[Uint8Array | ReadableStream<Uint8Array>, RegExp]> = [
      [bytes.subarray(0, 150_000), /truncated: got 150000 of its recorded 200000/],
      [new Uint8Array([...bytes, 1, 2, 3]), /longer than its recorded 200000/],
      [interrupted, /interrupted/],
    ];
    for (const [body, pattern] of cases) {
      const pending = await startUpload(server, alice, bytes);
      const put = await send(server, "PUT", pending.file_url, body);
      assertError(put, 400, pattern);
      assert.equal((await server.store.files.getPending(pending.id))?.state, "pending");
      const blobKey = `${pending.id}-${server.clock.now}`;
      assert.equal(await server.blobs.size(blobKey), undefined);
    }
    assert.equal(await tempFileCount(server), 0);
  } finally {
    await server.close();
  }
});

Deno.test("files: Content-Length and Content-MD5 that differ from the announcement are 400", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(1000);
    const badMd5 = await startUpload(server, alice, bytes);
    const md5Reply = await send(server, "PUT", badMd5.file_url, bytes, {
      "content-md5": fileChecksum(randomBytes(5)).checksum,
    });
    assertError(md5Reply, 400, /Content-MD5/);
    const badLength = await startUpload(server, alice, bytes);
    const lengthReply = await send(server, "PUT", badLength.file_url, byteStream(bytes), {
      "content-length": "999",
    });
    assertError(lengthReply, 400, /Content-Length/);
    assert.equal((await server.store.files.getPending(badLength.id))?.state, "pending");
  } finally {
    await server.close();
  }
});

Deno.test("files: without an announced checksum, PATCH carries the measured one", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(123_457);
    const measured = fileChecksum(bytes);
    const start = (fileMeta: Record<string, unknown>) =>
      call(server, "POST", FILES, {
        token: alice.token,
        body: {
          meta: {
            writer_id: alice.clientId,
            user_id: alice.clientId,
            type: "streamed",
            file_meta: fileMeta,
          },
          data: {},
        },
      });
    const patch = (id: string, body?: unknown) =>
      call(server, "PATCH", `${FILES}/${id}`, {
        token: alice.token,
        ...(body === undefined ? {} : { body }),
      });

    // Nothing announced: the PUT measures, the PATCH body must agree.
    const open = (await start({ compression: "raw" })).json;
    const put = await send(server, "PUT", open.file_url, byteStream(bytes));
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json, { id: open.id, ...measured });
    assertError(await patch(open.id, { file_meta: { checksum: "x", size: 1 } }), 400, /checksum/);
    assertError(await patch(open.id, "not json"), 400);
    const committed = await patch(open.id, { file_meta: measured });
    assert.equal(committed.status, 201, committed.text);
    assert.equal(committed.json.meta.file_meta.checksum, measured.checksum);
    assert.equal(committed.json.meta.file_meta.size, bytes.length);

    // A commit that disagrees with what arrived drops the upload and its bytes.
    const second = (await start({ size: bytes.length })).json;
    assert.equal((await send(server, "PUT", second.file_url, bytes)).status, 200);
    const blobKey = (await server.store.files.getPending(second.id))!.blobKey;
    assert.equal(await server.blobs.size(blobKey), bytes.length);
    const wrong = await patch(second.id, { file_meta: { ...measured, size: bytes.length - 1 } });
    assertError(wrong, 400, /do not match/);
    assert.equal(await server.blobs.size(blobKey), undefined);
    assertError(await patch(second.id, { file_meta: measured }), 404);

    // Content-MD5 on the PUT is checked even when the POST announced nothing.
    const third = (await start({})).json;
    const badMd5 = await send(server, "PUT", third.file_url, bytes, {
      "content-md5": fileChecksum(randomBytes(3)).checksum,
    });
    assertError(badMd5, 400, /MD5/);
    const fourth = (await start({})).json;
    assertError(
      await send(server, "PUT", fourth.file_url, bytes, { "content-md5": "nope" }),
      400,
      /Content-MD5/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("files: signed URLs are single-use, expire, and cannot be forged", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(5000);
    const pending = await startUpload(server, alice, bytes);
    assertError(
      await send(server, "PUT", pending.file_url.replace(/token=.*/, "token=v1.x"), bytes),
      403,
    );
    assertError(
      await send(server, "PUT", pending.file_url.split("?")[0]!, bytes),
      403,
      /not valid/,
    );
    assert.equal((await send(server, "PUT", pending.file_url, bytes)).status, 200);
    assertError(await send(server, "PUT", pending.file_url, bytes), 403, /already been used/);

    const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token });
    const recordId = patch.json.meta.record_id;
    const url = patch.json.meta.file_meta.file_url as string;
    assert.equal((await send(server, "GET", url)).status, 200);
    assertError(await send(server, "GET", url), 403, /already been used/);

    // A download token is not an upload token, nor valid for another record.
    const fresh = await call(server, "GET", `${FILES}/${recordId}`, { token: alice.token });
    const token = new URL(fresh.json.meta.file_meta.file_url).searchParams.get("token")!;
    assertError(
      await send(server, "PUT", `/v1/arca/files/upload/${recordId}?token=${token}`, bytes),
      403,
      /not valid/,
    );
    const other = await startUpload(server, alice, bytes);
    assertError(
      await send(server, "GET", `/v1/arca/files/download/${other.id}?token=${token}`),
      403,
    );

    // Expiry: an upload URL lasts 15 minutes, a download URL 5.
    const late = await startUpload(server, alice, bytes);
    const again = await call(server, "GET", `${FILES}/${recordId}`, { token: alice.token });
    server.clock.advanceSeconds(5 * 60);
    assertError(await send(server, "GET", again.json.meta.file_meta.file_url), 403, /expired/);
    server.clock.advanceSeconds(10 * 60);
    assertError(await send(server, "PUT", late.file_url, bytes), 403, /expired/);
  } finally {
    await server.close();
  }
});

Deno.test("files: shared readers download; revoked readers are blocked even with an old URL", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const carol = await registerClient(server, "carol");
    const bytes = randomBytes(70_000);
    const record = await writeFile(server, alice, bytes);
    const path = `${FILES}/${record.meta.record_id}`;
    assertError(await call(server, "GET", path, { token: bob.token }), 403);

    const shared = await putPolicy(server, alice, alice.clientId, bob.clientId, "large_files", {
      allow: [{ read: {} }],
    });
    assert.equal(shared.status, 201, shared.text);
    const bobs = await call(server, "GET", path, { token: bob.token });
    assert.equal(bobs.status, 200, bobs.text);
    assert.deepEqual((await send(server, "GET", bobs.json.meta.file_meta.file_url)).bytes, bytes);
    assertError(await call(server, "GET", path, { token: carol.token }), 403);

    const oldUrl = (await call(server, "GET", path, { token: bob.token })).json.meta.file_meta
      .file_url;
    const revoked = await putPolicy(server, alice, alice.clientId, bob.clientId, "large_files", {
      deny: [{ read: {} }],
    });
    assert.equal(revoked.status, 201, revoked.text);
    assertError(await send(server, "GET", oldUrl), 403, /not shared/);
    assertError(await call(server, "GET", path, { token: bob.token }), 403);
    // The writer still can.
    const own = await call(server, "GET", path, { token: alice.token });
    assert.deepEqual((await send(server, "GET", own.json.meta.file_meta.file_url)).bytes, bytes);
  } finally {
    await server.close();
  }
});

Deno.test("files: Range requests are 206 with Content-Range; past the end is 416", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(1_000_000);
    const record = await writeFile(server, alice, bytes);
    const url = async () =>
      (await call(server, "GET", `${FILES}/${record.meta.record_id}`, { token: alice.token })).json
        .meta.file_meta.file_url as string;
    const cases: Array<[string, number, number]> = [
      ["bytes=0-9", 0, 10],
      ["bytes=999990-", 999_990, 1_000_000],
      ["bytes=-100", 999_900, 1_000_000],
      ["bytes=300000-700000", 300_000, 700_001],
    ];
    for (const [range, start, end] of cases) {
      const reply = await send(server, "GET", await url(), undefined, { range });
      assert.equal(reply.status, 206, range);
      assert.equal(reply.headers.get("content-range"), `bytes ${start}-${end - 1}/1000000`);
      assert.equal(reply.headers.get("content-length"), String(end - start));
      assert.deepEqual(reply.bytes, bytes.subarray(start, end), range);
    }
    const past = await send(server, "GET", await url(), undefined, { range: "bytes=1000000-" });
    assertError(past, 416);
    assert.equal(past.headers.get("content-range"), "bytes */1000000");
    const ignored = await send(server, "GET", await url(), undefined, { range: "bytes=0-1,5-6" });
    assert.equal(ignored.status, 200);
    assert.equal(ignored.bytes.length, 1_000_000);
  } finally {
    await server.close();
  }
});

Deno.test("files: bad input is a 4xx JSON error", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const good = fileBody(alice, randomBytes(10));
    const post = (body: unknown, token = alice.token) =>
      call(server, "POST", FILES, { token, body });
    assertError(await call(server, "POST", FILES, { body: good }), 401);
    assertError(await post("not json"), 400);
    assertError(
      await post({ meta: { ...good.meta, file_meta: undefined }, data: {} }),
      400,
      /file_meta/,
    );
    const withMeta = (fileMeta: unknown) =>
      post({ meta: { ...good.meta, file_meta: fileMeta }, data: {} });
    assertError(
      await withMeta({ checksum: "d41d8cd98f00b204e9800998ecf8427e", size: 1 }),
      400,
      /checksum/,
    );
    assertError(await withMeta({ checksum: good.meta.file_meta.checksum, size: -1 }), 400, /size/);
    assertError(await withMeta({ checksum: good.meta.file_meta.checksum, size: 1.5 }), 400, /size/);
    assertError(
      await withMeta({ checksum: good.meta.file_meta.checksum, size: 2 ** 41 }),
      400,
      /size/,
    );
    assertError(
      await withMeta({ checksum: good.meta.file_meta.checksum, size: "10" }),
      400,
      /size/,
    );
    assertError(
      await withMeta({ ...good.meta.file_meta, compression: "Not Raw!" }),
      400,
      /compression/,
    );
    assertError(await post({ ...good, data: { f: "plain text" } }), 400, /data/);
    assertError(await post(good, bob.token), 403, /writer_id/);

    const pending = await startUpload(server, alice, randomBytes(10));
    assertError(await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token }), 409);
    assertError(await call(server, "PATCH", `${FILES}/${pending.id}`, { token: bob.token }), 404);
    assertError(await call(server, "PATCH", `${FILES}/not-an-id`, { token: alice.token }), 404);
    assertError(await call(server, "GET", `${FILES}/not-an-id`, { token: alice.token }), 404);
    const unknown = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
    assertError(await call(server, "GET", `${FILES}/${unknown}`, { token: alice.token }), 404);
    assertError(
      await send(server, "PUT", `/v1/arca/files/upload/nope?token=x`, randomBytes(1)),
      404,
    );

    const plainRecord = await call(server, "POST", "/v1/storage/records", {
      token: alice.token,
      body: { meta: { writer_id: alice.clientId, user_id: alice.clientId, type: "t" }, data: {} },
    });
    const notFile = await call(server, "GET", `${FILES}/${plainRecord.json.meta.record_id}`, {
      token: alice.token,
    });
    assertError(notFile, 404, /not a file/);
  } finally {
    await server.close();
  }
});

Deno.test("files: without a blob store the files API is 501", async () => {
  const store = await openSqliteStore(":memory:");
  try {
    const app = createApp({ store });
    const reply = await app.request(`${FILES}/b2a735c5-9f3a-4c1e-8e0f-0123456789ab`, {
      method: "PATCH",
      headers: { authorization: "Bearer nope" },
    });
    assert.equal(reply.status, 401, "authentication still comes first");
    const put = await app.request("/v1/arca/files/upload/b2a735c5-9f3a-4c1e-8e0f-0123456789ab", {
      method: "PUT",
      body: "x",
    });
    assert.equal(put.status, 501);
    assert.match((await put.json()).error, /no file storage/);
  } finally {
    await store.close();
  }
});

Deno.test("files: deleting a file record deletes its bytes", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeFile(server, alice, randomBytes(1234));
    const blobKey = record.meta.file_meta.file_name;
    assert.equal(await server.blobs.size(blobKey), 1234);
    const url = record.meta.file_meta.file_url;
    const stale = await call(
      server,
      "DELETE",
      `/v1/storage/records/safe/${record.meta.record_id}/b2a735c5-9f3a-4c1e-8e0f-0123456789ab`,
      { token: alice.token },
    );
    assertError(stale, 409);
    assert.equal(await server.blobs.size(blobKey), 1234, "a refused delete keeps the bytes");
    const deleted = await call(
      server,
      "DELETE",
      `/v1/storage/records/safe/${record.meta.record_id}/${record.meta.version}`,
      { token: alice.token },
    );
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(await server.blobs.size(blobKey), undefined);
    assert.deepEqual(await server.store.files.listBlobDeletions(10), []);
    assertError(await send(server, "GET", url), 404);
  } finally {
    await server.close();
  }
});

Deno.test("files: file records appear in v1 query with file_meta and record_data {}", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const record = await writeFile(server, alice, randomBytes(100));
    const reply = await call(server, "POST", "/v1/storage/search", {
      token: alice.token,
      body: { content_types: ["large_files"], include_data: true },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.results.length, 1);
    const [row] = reply.json.results;
    assert.deepEqual(row.record_data, {});
    assert.equal(row.meta.record_id, record.meta.record_id);
    assert.equal(row.meta.file_meta.checksum, record.meta.file_meta.checksum);
    assert.equal(row.meta.file_meta.size, 100);
    assert.equal(row.meta.file_meta.file_name, record.meta.file_meta.file_name);
  } finally {
    await server.close();
  }
});

Deno.test("files: the sweep never takes a live upload's temporary file for abandoned, whatever the server's clock says", async () => {
  const server = await fileTestServer();
  try {
    await Deno.mkdir(join(server.blobsDir, ".tmp"), { recursive: true });
    const live = join(server.blobsDir, ".tmp", "live.1");
    await Deno.writeTextFile(live, "being written");
    // The test clock runs weeks ahead of the wall; a month more, as a skewed clock could.
    server.clock.advanceSeconds(30 * 24 * 3600);
    const swept = await sweepFiles({
      store: server.store,
      blobs: server.blobs,
      clock: server.clock.read,
    });
    assert.equal(swept.abandonedWrites, 0);
    assert.equal(await Deno.readTextFile(live), "being written");
  } finally {
    await server.close();
  }
});

Deno.test("files: the sweep drops uncommitted uploads and their bytes (injected clock)", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const uploaded = await startUpload(server, alice, new Uint8Array(10));
    assert.equal((await send(server, "PUT", uploaded.file_url, new Uint8Array(10))).status, 200);
    const waiting = await startUpload(server, alice, new Uint8Array(20));
    const kept = await writeFile(server, alice, new Uint8Array(30));
    const uploadedKey = (await server.store.files.getPending(uploaded.id))!.blobKey;
    assert.equal(await server.blobs.size(uploadedKey), 10);
    await Deno.mkdir(join(server.blobsDir, ".tmp"), { recursive: true });
    const crashed = join(server.blobsDir, ".tmp", "crashed.1");
    await Deno.writeTextFile(crashed, "partial");
    // File times are wall-clock times: the sweep compares them with the wall, not with the
    // injected clock (which runs ahead of it), so live uploads are never taken for abandoned.
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    await Deno.utime(crashed, hoursAgo(23), hoursAgo(23));

    const deps = { store: server.store, blobs: server.blobs, clock: server.clock.read };
    server.clock.advanceSeconds(23 * 3600);
    const early = await sweepFiles(deps);
    assert.equal(early.expiredPendingFiles, 0);
    assert.equal(early.abandonedWrites, 0, "a recent temporary file may be a live upload");
    assert.ok(early.forgottenTokens >= 2, "used tokens past their expiry are forgotten");

    server.clock.advanceSeconds(2 * 3600);
    await Deno.utime(crashed, hoursAgo(25), hoursAgo(25));
    const result = await sweepFiles(deps);
    assert.deepEqual(result, {
      expiredPendingFiles: 2,
      deletedBlobs: 1,
      forgottenTokens: 0,
      abandonedWrites: 1,
    });
    assert.equal(await server.blobs.size(uploadedKey), undefined);
    assert.equal(await server.store.files.getPending(waiting.id), undefined);
    const later = await refreshToken(server, alice);
    assertError(
      await call(server, "PATCH", `${FILES}/${uploaded.id}`, { token: later.token }),
      404,
    );
    assert.equal(
      await server.blobs.size(kept.meta.file_meta.file_name),
      30,
      "committed files stay",
    );
    assert.deepEqual(await sweepFiles(deps), {
      expiredPendingFiles: 0,
      deletedBlobs: 0,
      forgottenTokens: 0,
      abandonedWrites: 0,
    });
  } finally {
    await server.close();
  }
});

Deno.test("files: an expired pending file cannot be committed, even before the sweep", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    const pending = await startUpload(server, alice, new Uint8Array(3));
    assert.equal((await send(server, "PUT", pending.file_url, new Uint8Array(3))).status, 200);
    server.clock.advanceSeconds(24 * 3600);
    const later = await refreshToken(server, alice);
    assertError(
      await call(server, "PATCH", `${FILES}/${pending.id}`, { token: later.token }),
      404,
      /expired/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("files: ARCA_FILE_URL_KEY is read from the environment and checked", () => {
  const key = new Uint8Array(32).fill(7);
  const options = serverOptionsFromEnv(new Map([["ARCA_FILE_URL_KEY", encodeBase64Url(key)]]));
  assert.deepEqual(options.fileUrlKey, key);
  assert.equal("fileUrlKey" in serverOptionsFromEnv(new Map()), false);
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_FILE_URL_KEY", encodeBase64Url(key.subarray(8))]])),
    /at least 32 bytes/,
  );
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_FILE_URL_KEY", "!!"]])),
    ValidationError,
  );
});

Deno.test("files: URLs signed with a shared key work across app instances", async () => {
  const fileUrlKey = crypto.getRandomValues(new Uint8Array(32));
  const server = await fileTestServer({ fileUrlKey });
  try {
    const alice = await registerClient(server, "alice");
    const pending = await startUpload(server, alice, new Uint8Array(5));
    const twin = createApp({
      store: server.store,
      clock: server.clock.read,
      blobs: server.blobs,
      settings: { fileUrlKey },
    });
    const other = createApp({ store: server.store, clock: server.clock.read, blobs: server.blobs });
    // A second valid token for the same pending file (only possible with the key) is refused
    // once the bytes are there: the state guard backs up single use.
    const second = await issueCapability(fileUrlKey, {
      kind: "upload",
      fileId: pending.id,
      clientId: alice.clientId,
      expires: server.clock.now + 60_000_000,
    });
    const secondUrl = `/v1/arca/files/upload/${pending.id}?token=${second}`;
    const refused = await other.request(pending.file_url, {
      method: "PUT",
      body: new Uint8Array(5),
    });
    assert.equal(refused.status, 403, "another key does not verify");
    const accepted = await twin.request(pending.file_url, {
      method: "PUT",
      body: new Uint8Array(5),
    });
    assert.equal(accepted.status, 200, await accepted.text());
    const again = await twin.request(secondUrl, { method: "PUT", body: new Uint8Array(5) });
    assert.equal(again.status, 409, "the bytes are already there");
    assert.match((await again.json()).error, /already/);
    assert.throws(
      () => createApp({ store: server.store, settings: { fileUrlKey: new Uint8Array(16) } }),
      /at least 32 bytes/,
    );
  } finally {
    await server.close();
  }
});
