/**
 * Finding 16 (issue 10): an upload URL may be retried until it expires; only a completed upload
 * consumes it. Over real HTTP.
 */
import assert from "node:assert/strict";
import { byteStream, fileUploadBody, randomBytes } from "./_file_helpers.ts";
import { type RealHttpServer, realHttpServer, sendBytes } from "./_real_http_server.ts";
import { assertError, call, registerClient, type TestClient } from "./_server_helpers.ts";
import { startServer } from "../lib/server/start_server.ts";

const FILES = "/v1/storage/files";

async function startUpload(server: RealHttpServer, client: TestClient, bytes: Uint8Array) {
  const reply = await call(server, "POST", FILES, {
    token: client.token,
    body: fileUploadBody(client.clientId, bytes),
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

Deno.test("upload retry: an upload cut off by a server crash can be retried after the restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-upload-restart-" });
  const options = {
    dataDir,
    port: 0,
    registrationToken: "upload-restart-token",
    fileUrlKey: randomBytes(32),
    print: () => {},
  };
  const json = async (url: string, init: RequestInit) => {
    const response = await fetch(url, init);
    return { status: response.status, json: await response.json() };
  };
  try {
    let server = await startServer(options);
    const key = () => btoa(String.fromCharCode(...randomBytes(32))).replace(/=+$/, "");
    const reg = await json(`${server.url}/v1/account/e3db/clients/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: options.registrationToken,
        client: { name: "a", public_key: { curve25519: key() }, signing_key: { ed25519: key() } },
      }),
    });
    assert.equal(reg.status, 201);
    const token = await json(`${server.url}/v1/auth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${reg.json.api_key_id}:${reg.json.api_secret}`)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const bytes = randomBytes(1000);
    const started = await json(`${server.url}${FILES}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token.json.access_token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(fileUploadBody(reg.json.client_id, bytes)),
    });
    assert.equal(started.status, 202);
    // The process dies in the middle of the upload: the pending file stays marked as uploading.
    await server.store.files.setPendingState(started.json.id, "pending", "uploading");
    await server.shutdown();
    server = await startServer(options);
    try {
      const path = new URL(started.json.file_url);
      const put = await fetch(`${server.url}${path.pathname}${path.search}`, {
        method: "PUT",
        body: bytes as BodyInit,
      });
      assert.equal(put.status, 200, await put.text());
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
