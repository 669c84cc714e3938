/**
 * Finding 16 (issue 10): an upload URL may be retried until it expires; only a completed upload
 * consumes it. Over real HTTP.
 */
import assert from "node:assert/strict";
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import { byteStream, randomBytes } from "./_file_helpers.ts";
import { type RealHttpServer, realHttpServer, sendBytes } from "./_real_http_server.ts";
import { assertError, call, registerClient, type TestClient } from "./_server_helpers.ts";

const FILES = "/v1/storage/files";

async function startUpload(server: RealHttpServer, client: TestClient, bytes: Uint8Array) {
  const reply = await call(server, "POST", FILES, {
    token: client.token,
    body: {
      meta: {
        writer_id: client.clientId,
        user_id: client.clientId,
        type: "large_files",
        plain: {},
        file_meta: { ...fileChecksum(bytes), compression: "raw" },
      },
      data: {},
    },
  });
  assert.equal(reply.status, 202, reply.text);
  return reply.json as { id: string; file_url: string };
}

Deno.test("upload retry: a rejected upload leaves its URL usable; a completed one consumes it", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(50_000);
    const pending = await startUpload(server, alice, bytes);
    const wrong = bytes.slice();
    wrong[10]! ^= 1;
    assertError(await sendBytes(server, "PUT", pending.file_url, wrong), 400, /MD5/);
    assertError(
      await sendBytes(
        server,
        "PUT",
        pending.file_url,
        byteStream(bytes.slice(0, 1000)),
      ),
      400,
      /truncated/,
    );
    assert.equal((await server.store.files.getPending(pending.id))?.state, "pending");
    const put = await sendBytes(server, "PUT", pending.file_url, bytes);
    assert.equal(put.status, 200, put.text);
    assertError(await sendBytes(server, "PUT", pending.file_url, bytes), 403, /already been used/);
    const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token });
    assert.equal(patch.status, 201, patch.text);
    assert.equal(patch.json.meta.file_meta.size, bytes.length);
    const reuse = await sendBytes(server, "PUT", pending.file_url, bytes);
    assert.ok(reuse.status === 403 || reuse.status === 404, reuse.text);
  } finally {
    await server.close();
  }
});

Deno.test("upload retry: a dropped connection leaves the URL usable", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(200_000);
    const pending = await startUpload(server, alice, bytes);
    const aborter = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 70_000));
        setTimeout(() => aborter.abort(), 100);
      },
    });
    await assert.rejects(
      fetch(pending.file_url, {
        method: "PUT",
        body,
        signal: aborter.signal,
        duplex: "half",
      } as RequestInit).then((r) => r.text()),
    );
    // The server notices the dropped body and puts the file back to waiting for its bytes.
    for (let i = 0; i < 100; i++) {
      if ((await server.store.files.getPending(pending.id))?.state === "pending") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal((await server.store.files.getPending(pending.id))?.state, "pending");
    const put = await sendBytes(server, "PUT", pending.file_url, bytes);
    assert.equal(put.status, 200, put.text);
  } finally {
    await server.close();
  }
});

Deno.test("upload retry: concurrent uploads on one URL cannot both complete", async () => {
  const server = await realHttpServer();
  try {
    const alice = await registerClient(server, "alice");
    const bytes = randomBytes(300_000);
    const pending = await startUpload(server, alice, bytes);
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => sendBytes(server, "PUT", pending.file_url, bytes)),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(","));
    for (const reply of replies) {
      assert.ok(reply.status === 200 || reply.status === 409 || reply.status === 403, reply.text);
    }
    const patch = await call(server, "PATCH", `${FILES}/${pending.id}`, { token: alice.token });
    assert.equal(patch.status, 201, patch.text);
  } finally {
    await server.close();
  }
});
