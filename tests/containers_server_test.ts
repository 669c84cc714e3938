/**
 * Containers over real HTTP (bodies built by hand; key blobs and sealed parts are opaque test
 * bytes): every permission bit allowed and refused, expiry with an injected clock, version
 * conflicts, pending uploads, inline and uploaded content, a 64 MiB stream in bounded memory,
 * the last access taking the bytes, a deleted client's access, and every malformed input.
 */
import assert from "node:assert/strict";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { runHousekeeping } from "../lib/server/_housekeeping.ts";
import { realHttpServer, sendBytes } from "./_real_http_server.ts";
import { assertError, call, registerClient, type TestClient } from "./_server_helpers.ts";
import {
  CONTAINERS,
  createInline,
  entry,
  eventsOf,
  getContainer,
  keyBlob,
  randomBytesOf,
} from "./_container_helpers.ts";

const ALL = 127;
const DOWNLOAD = 1, DECRYPT = 2, UPLOAD = 4, VIEW = 8, MODIFY = 16, TYPE_MODIFY = 32;
const TYPE_VIEW = 64;

async function setup(settings = {}) {
  const server = await realHttpServer(settings);
  const alice = await registerClient(server, "alice");
  const bob = await registerClient(server, "bob");
  return { server, alice, bob };
}

/** A new version body (re-key) written by `writer` for `users`. */
function rekey(writer: TestClient, version: number, users: [TestClient, number][]) {
  return {
    version,
    length: 3,
    header: "bmV3",
    content: encodeBase64Url(randomBytesOf(50)),
    access: users.map(([user, permissions]) => entry(writer, user, permissions)),
  };
}

Deno.test("containers: create inline, then each caller's view (fields, type, access, key blob, header, content)", async () => {
  const { server, alice, bob } = await setup();
  try {
    const { id, reply, content } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 11),
    ]);
    assert.equal(reply.json.container_id, id);
    assert.equal(reply.json.version, 1);
    assert.equal(reply.json.created_by, alice.clientId);
    assert.equal(reply.json.content_size, 100);
    const own = await getContainer(server, alice, id, "?content=inline");
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(Object.keys(own.json).sort(), [
      "access",
      "container_id",
      "content",
      "content_size",
      "created_at",
      "created_by",
      "header",
      "key_blob",
      "length",
      "modified_at",
      "modified_by",
      "type",
      "version",
    ]);
    assert.equal(own.json.type, "memo");
    assert.equal(own.json.header, "aGVhZGVy");
    assert.equal(own.json.content, encodeBase64Url(content));
    assert.equal(own.json.key_blob.writer_id, alice.clientId);
    assert.equal(own.json.access.length, 2);
    const seen = await getContainer(server, bob, id);
    assert.equal(seen.json.type, null); // 11 has no container.type.view
    assert.equal(seen.json.content, null); // not asked inline
    assert.equal(seen.json.header, "aGVhZGVy");
    assert.equal(seen.json.access.length, 2); // access.view
    assert.equal(
      seen.json.access.find((a: { user_id: string }) => a.user_id === bob.clientId).granted_by,
      alice.clientId,
    );
    const bytes = await fetch(`${server.url}${CONTAINERS}/${id}/content`, {
      headers: { authorization: `Bearer ${bob.token}` },
    });
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers.get("arca-container-version"), "1");
    assert.equal(bytes.headers.get("content-length"), "100");
    assert.deepEqual(new Uint8Array(await bytes.arrayBuffer()), content);
    const carol = await registerClient(server, "carol");
    assertError(await getContainer(server, carol, id), 404, /^Container not found$/);
    assertError(
      await getContainer(server, alice, crypto.randomUUID()),
      404,
      /^Container not found$/,
    );
    // With access given, the creator has access only if listed.
    const { id: other } = await createInline(server, alice, [entry(alice, bob, 11)]);
    assertError(await getContainer(server, alice, other), 404);
    assert.equal((await getContainer(server, bob, other)).status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("containers: read bits: download, decrypt, access.view, container.type.view, allowed and refused", async () => {
  const { server, alice, bob } = await setup();
  try {
    const { id } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 0),
    ]);
    const without = await getContainer(server, bob, id, "?content=inline");
    assert.equal(without.status, 200, without.text);
    assert.equal(without.json.header, null);
    assert.equal(without.json.content, null);
    assert.equal(without.json.key_blob, null);
    assert.equal(without.json.type, null);
    assert.deepEqual(without.json.access.map((a: { user_id: string }) => a.user_id), [
      bob.clientId,
    ]);
    const content = await call(server, "GET", `${CONTAINERS}/${id}/content`, { token: bob.token });
    assertError(content, 403, /^container\.download permission required$/);
    const patch = (body: unknown) =>
      call(server, "PATCH", `${CONTAINERS}/${id}`, { token: alice.token, body });
    const grant = (permissions: number) =>
      patch({
        access: [{ user_id: alice.clientId, permissions: ALL }, entry(alice, bob, permissions)],
      });
    assert.equal((await grant(DOWNLOAD | DECRYPT | VIEW | TYPE_VIEW)).status, 200);
    const withAll = await getContainer(server, bob, id, "?content=inline");
    assert.equal(withAll.json.header, "aGVhZGVy");
    assert.notEqual(withAll.json.content, null);
    assert.notEqual(withAll.json.key_blob, null);
    assert.equal(withAll.json.type, "memo");
    assert.equal(withAll.json.access.length, 2);
    const allowed = await call(server, "GET", `${CONTAINERS}/${id}/content`, { token: bob.token });
    assert.equal(allowed.status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("containers: write bits: upload (+ access.modify), access.modify, container.type.modify, allowed and refused", async () => {
  const { server, alice, bob } = await setup();
  try {
    const base = DOWNLOAD | DECRYPT | VIEW;
    const { id } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, base),
    ]);
    const asBob = (body: unknown) =>
      call(server, "PATCH", `${CONTAINERS}/${id}`, { token: bob.token, body });
    const setBob = async (permissions: number) => {
      const reply = await call(server, "PATCH", `${CONTAINERS}/${id}`, {
        token: alice.token,
        body: {
          access: [{ user_id: alice.clientId, permissions: ALL }, entry(alice, bob, permissions)],
        },
      });
      assert.equal(reply.status, 200, reply.text);
      return reply.json.version;
    };
    const version = () => getContainer(server, alice, id).then((r) => r.json.version as number);
    assertError(await asBob({ type: "x" }), 403, /^container\.type\.modify permission required$/);
    assertError(
      await asBob({ access: [{ user_id: bob.clientId, permissions: ALL }] }),
      403,
      /^access\.modify permission required$/,
    );
    const body = () => rekey(bob, 0, [[alice, ALL], [bob, ALL]]);
    assertError(
      await asBob({ ...body(), version: 2 }),
      403,
      /^container\.upload permission required$/,
    );
    await setBob(base | UPLOAD);
    assertError(
      await asBob({ ...body(), version: 2 }),
      403,
      /^access\.modify permission required to upload/,
    );
    await setBob(base | UPLOAD | MODIFY | TYPE_MODIFY);
    const typed = await asBob({ type: "renamed" });
    assert.equal(typed.status, 200, typed.text);
    assert.equal(await version(), 1);
    assert.equal((await getContainer(server, alice, id)).json.type, "renamed");
    const uploaded = await asBob({ ...body(), version: 2 });
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.equal(uploaded.json.version, 2);
    assert.equal(uploaded.json.header, "bmV3");
    assert.equal(uploaded.json.modified_by, bob.clientId);
    // Re-key: every kept user got the new key blob written by bob.
    assert.equal((await getContainer(server, alice, id)).json.key_blob.writer_id, bob.clientId);
    const access = await asBob({
      access: [{ user_id: alice.clientId, permissions: ALL }, {
        user_id: bob.clientId,
        permissions: ALL,
      }],
    });
    assert.equal(access.status, 200, access.text); // kept entries keep their key blobs
    assert.equal(access.json.key_blob.writer_id, bob.clientId);
  } finally {
    await server.close();
  }
});

Deno.test("containers: version conflicts are 409; key blobs are required and must be the caller's", async () => {
  const { server, alice, bob } = await setup();
  try {
    const { id } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 11),
    ]);
    const patch = (body: unknown) =>
      call(server, "PATCH", `${CONTAINERS}/${id}`, { token: alice.token, body });
    assertError(
      await patch(rekey(alice, 3, [[alice, ALL]])),
      409,
      /current version is 1, so the new one must be 2/,
    );
    assert.equal((await patch(rekey(alice, 2, [[alice, ALL], [bob, 11]]))).status, 200);
    assertError(await patch(rekey(alice, 2, [[alice, ALL]])), 409, /current version is 2/);
    const noBlob = { ...rekey(alice, 3, [[alice, ALL]]) };
    noBlob.access = [{ user_id: alice.clientId, permissions: ALL, expiration: null }];
    assertError(await patch(noBlob), 400, /has container\.decrypt but no key_blob/);
    const foreign = rekey(alice, 3, [[alice, ALL]]);
    (foreign.access[0] as { key_blob: unknown }).key_blob = keyBlob(bob);
    assertError(await patch(foreign), 400, /must have the caller as writer_id/);
    const newcomer = await registerClient(server, "newcomer");
    assertError(
      await patch({
        access: [entry(alice, alice, ALL), { user_id: newcomer.clientId, permissions: 3 }],
      }),
      400,
      /no key_blob/,
    );
    const stranger = crypto.randomUUID();
    assertError(
      await patch({ access: [entry(alice, alice, ALL), { user_id: stranger, permissions: 8 }] }),
      400,
      new RegExp(`user ${stranger} is not a registered client`),
    );
  } finally {
    await server.close();
  }
});

Deno.test("containers: expiry: an expired entry is no access at once; housekeeping removes it with a deleted event", async () => {
  const { server, alice, bob } = await setup();
  try {
    const expiration = server.clock.now + 10_000_000;
    const { id } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 11, expiration),
    ]);
    assert.equal((await getContainer(server, bob, id)).status, 200);
    server.clock.advanceSeconds(10);
    assertError(await getContainer(server, bob, id), 404, /^Container not found$/);
    const listed = await call(server, "GET", CONTAINERS, { token: bob.token });
    assert.deepEqual(listed.json.containers, []);
    // The access list others see leaves it out even before the sweep.
    assert.equal((await getContainer(server, alice, id)).json.access.length, 1);
    const result = await runHousekeeping({
      store: server.store,
      blobs: server.blobs,
      clock: server.clock.read,
    });
    assert.equal(result.containers.expiredAccess, 1);
    const deleted = (await eventsOf(server, bob)).filter((e) => e.action === "deleted");
    assert.equal(deleted.length, 1);
    assert.equal(deleted[0]!.container_expired_at, expiration);
    assert.equal(deleted[0]!.container_id, id);
    assert.equal((await server.store.containers.listAccess(id)).length, 1);
    // The creator's entry never expires unless set; its own expiry deletes the container.
    const { id: lone } = await createInline(server, alice, [
      entry(alice, alice, ALL, server.clock.now + 1),
    ]);
    server.clock.advanceSeconds(1);
    await runHousekeeping({ store: server.store, blobs: server.blobs, clock: server.clock.read });
    assert.equal(await server.store.containers.get(lone), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("containers: an uploaded container is invisible until its PUT; sizes checked; only its writer uploads; swept after an hour", async () => {
  const { server, alice, bob } = await setup();
  try {
    const id = crypto.randomUUID();
    const bytes = randomBytesOf(5000);
    const created = await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: {
        container_id: id,
        length: 4000,
        content_size: bytes.length,
        access: [entry(alice, alice, ALL), entry(alice, bob, 11)],
      },
    });
    assert.equal(created.status, 201, created.text);
    assertError(await getContainer(server, alice, id), 404);
    assertError(await getContainer(server, bob, id), 404);
    assert.deepEqual(
      (await call(server, "GET", CONTAINERS, { token: alice.token })).json.containers,
      [],
    );
    const again = await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: { container_id: id, length: 1, content: "AA", access: [entry(alice, alice, ALL)] },
    });
    assertError(again, 409, /is taken/);
    const put = (client: TestClient, body: Uint8Array, version = 1) =>
      sendBytes(server, "PUT", `${CONTAINERS}/${id}/content/${version}`, body, {
        authorization: `Bearer ${client.token}`,
      });
    assert.equal((await put(bob, bytes)).status, 404);
    assert.equal((await put(alice, bytes, 2)).status, 404);
    assert.equal((await put(alice, bytes.subarray(1))).status, 400);
    const done = await put(alice, bytes);
    assert.equal(done.status, 204, done.text);
    const seen = await getContainer(server, bob, id, "?content=inline");
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.content_size, 5000);
    assert.equal(seen.json.content, encodeBase64Url(bytes)); // small enough to answer inline
    assert.equal((await put(alice, bytes)).status, 404); // used up
    // An announced upload never completed is swept after an hour, bytes and all.
    const late = crypto.randomUUID();
    await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: { container_id: late, length: 1, content_size: 10, access: [entry(alice, alice, ALL)] },
    });
    server.clock.advanceSeconds(3600);
    const swept = await runHousekeeping({
      store: server.store,
      blobs: server.blobs,
      clock: server.clock.read,
    });
    assert.equal(swept.containers.expiredUploads, 1);
    assert.equal(await server.store.containers.getUpload(late, 1), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("containers: inline limit (413 naming the setting) and content answered inline only when small", async () => {
  const { server, alice } = await setup({ containerInlineBytes: 1024 });
  try {
    const big = await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: {
        container_id: crypto.randomUUID(),
        length: 1,
        content: encodeBase64Url(randomBytesOf(1025)),
        access: [entry(alice, alice, ALL)],
      },
    });
    assertError(big, 413, /ARCA_CONTAINER_INLINE_BYTES/);
    const id = crypto.randomUUID();
    await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: { container_id: id, length: 1, content_size: 2048, access: [entry(alice, alice, ALL)] },
    });
    const bytes = randomBytesOf(2048);
    const put = await sendBytes(server, "PUT", `${CONTAINERS}/${id}/content/1`, bytes, {
      authorization: `Bearer ${alice.token}`,
    });
    assert.equal(put.status, 204, put.text);
    const view = await getContainer(server, alice, id, "?content=inline");
    assert.equal(view.json.content, null); // too large: read it from /content
    const tooBig = await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: {
        container_id: crypto.randomUUID(),
        length: 1,
        content_size: 2 ** 50,
        access: [entry(alice, alice, ALL)],
      },
    });
    assertError(tooBig, 413, /ARCA_MAX_FILE_BYTES/);
  } finally {
    await server.close();
  }
});

Deno.test("containers: 128 MiB through PUT and GET content without holding it in memory", async () => {
  const { server, alice } = await setup();
  try {
    // RSS grows by a constant 50-80 MB of allocator slack here (16 MiB and 256 MiB measured
    // alike); a server holding the content whole would grow by more than the content.
    const size = 128 * 1024 * 1024;
    const chunk = randomBytesOf(1 << 20);
    const id = crypto.randomUUID();
    await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: {
        container_id: id,
        length: size - 1000,
        content_size: size,
        access: [entry(alice, alice, ALL)],
      },
    });
    const before = Deno.memoryUsage().rss;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const put = await sendBytes(server, "PUT", `${CONTAINERS}/${id}/content/1`, body, {
      authorization: `Bearer ${alice.token}`,
    });
    assert.equal(put.status, 204, put.text);
    const response = await fetch(`${server.url}${CONTAINERS}/${id}/content`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    assert.equal(response.headers.get("content-length"), String(size));
    let received = 0;
    let first: Uint8Array | undefined;
    for await (const part of response.body!) {
      if (first === undefined) first = part.slice(0, 16);
      received += part.length;
    }
    assert.equal(received, size);
    assert.deepEqual(first, chunk.slice(0, 16));
    const growthMb = (Deno.memoryUsage().rss - before) / 1e6;
    assert.ok(growthMb < 112, `RSS grew by ${growthMb.toFixed(1)} MB for 128 MiB`);
  } finally {
    await server.close();
  }
});

Deno.test("containers: delete removes only the caller's access; the last one takes the container and its blob", async () => {
  const { server, alice, bob } = await setup();
  try {
    const id = crypto.randomUUID();
    await call(server, "POST", CONTAINERS, {
      token: alice.token,
      body: {
        container_id: id,
        length: 1,
        content_size: 100,
        access: [entry(alice, alice, ALL), entry(alice, bob, 11)],
      },
    });
    await sendBytes(server, "PUT", `${CONTAINERS}/${id}/content/1`, randomBytesOf(100), {
      authorization: `Bearer ${alice.token}`,
    });
    const blobKey = (await server.store.containers.get(id))!.blobKey!;
    assert.equal(await server.blobs.size(blobKey), 100);
    const del = (client: TestClient) =>
      call(server, "DELETE", `${CONTAINERS}/${id}`, { token: client.token });
    assert.equal((await del(alice)).status, 204);
    assertError(await getContainer(server, alice, id), 404);
    assertError(await del(alice), 404);
    assert.equal((await getContainer(server, bob, id)).status, 200);
    assert.equal(await server.blobs.size(blobKey), 100);
    assert.equal((await del(bob)).status, 204);
    assert.equal(await server.store.containers.get(id), undefined);
    assert.equal(await server.blobs.size(blobKey), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("containers: a deleted client's access goes with it; containers nobody else reaches are deleted", async () => {
  const { server, alice, bob } = await setup({ adminToken: "admin-token-for-tests-0123456789" });
  try {
    const { id: shared } = await createInline(server, alice, [
      entry(alice, alice, ALL),
      entry(alice, bob, 11),
    ]);
    const { id: own } = await createInline(server, alice, [entry(alice, alice, ALL)]);
    const removed = await call(server, "DELETE", `/v1/arca/admin/clients/${alice.clientId}`, {
      token: "admin-token-for-tests-0123456789",
    });
    assert.equal(removed.status, 204, removed.text);
    assert.equal(await server.store.containers.get(own), undefined);
    const left = await getContainer(server, bob, shared);
    assert.deepEqual(left.json.access.map((a: { user_id: string }) => a.user_id), [bob.clientId]);
    const updated = (await eventsOf(server, bob)).filter((e) => e.action === "updated");
    assert.equal(updated.at(-1)!.related_user_id, alice.clientId);
  } finally {
    await server.close();
  }
});

Deno.test("containers: list pages by id with next and filters by type", async () => {
  const { server, alice } = await setup();
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await createInline(server, alice, [entry(alice, alice, ALL)], {
          type: i % 2 ? "odd" : "even",
        })).id,
      );
    }
    ids.sort();
    const page1 = await call(server, "GET", `${CONTAINERS}?limit=2`, { token: alice.token });
    assert.deepEqual(
      page1.json.containers.map((c: { container_id: string }) => c.container_id),
      ids.slice(0, 2),
    );
    assert.equal(page1.json.next, ids[1]);
    assert.equal(page1.json.containers[0].header, null);
    assert.equal(page1.json.containers[0].key_blob, null);
    const page2 = await call(server, "GET", `${CONTAINERS}?limit=10&after=${page1.json.next}`, {
      token: alice.token,
    });
    assert.deepEqual(
      page2.json.containers.map((c: { container_id: string }) => c.container_id),
      ids.slice(2),
    );
    assert.equal(page2.json.next, null);
    const odd = await call(server, "GET", `${CONTAINERS}?type=odd`, { token: alice.token });
    assert.equal(odd.json.containers.length, 2);
  } finally {
    await server.close();
  }
});

Deno.test("containers: malformed bodies, ids and parameters are 400 with a precise message", async () => {
  const { server, alice } = await setup();
  try {
    const post = (body: unknown) => call(server, "POST", CONTAINERS, { token: alice.token, body });
    const ok = {
      container_id: crypto.randomUUID(),
      length: 1,
      content: "AAAA",
      access: [entry(alice, alice, ALL)],
    };
    const cases: [unknown, RegExp][] = [
      ["{", /not valid JSON/],
      [[], /must be an object/],
      [{ ...ok, container_id: "nope" }, /container_id/],
      [{ ...ok, access: [] }, /access: must list at least one user/],
      [
        { ...ok, access: [{ user_id: alice.clientId, permissions: 128 }] },
        /permissions: must be an integer 0\.\.127/,
      ],
      [{ ...ok, access: [{ user_id: alice.clientId, permissions: 1.5 }] }, /permissions/],
      [{ ...ok, access: [entry(alice, alice, 8), entry(alice, alice, 8)] }, /twice/],
      [{ ...ok, content_size: 4 }, /exactly one of content/],
      [{ ...ok, content: "a=b" }, /content: must be unpadded base64url/],
      [{ ...ok, length: -1 }, /length: must be >= 0/],
      [{ ...ok, type: "" }, /type: must not be empty/],
      [{ ...ok, access: [{ ...entry(alice, alice, ALL), expiration: "soon" }] }, /expiration/],
      [{
        ...ok,
        access: [{ ...entry(alice, alice, ALL), key_blob: { writer_id: alice.clientId } }],
      }, /key_blob/],
    ];
    for (const [body, message] of cases) assertError(await post(body), 400, message);
    const { id } = await createInline(server, alice, [entry(alice, alice, ALL)]);
    const patch = (body: unknown) =>
      call(server, "PATCH", `${CONTAINERS}/${id}`, { token: alice.token, body });
    assertError(await patch({}), 400, /at least one of/);
    assertError(await patch({ header: "AA" }), 400, /a new version needs version/);
    assertError(
      await patch({ version: 1, length: 1, content: "AA", access: [entry(alice, alice, ALL)] }),
      400,
      /version: must be an integer >= 2/,
    );
    for (const path of [`${CONTAINERS}/nope`, `${CONTAINERS}/nope/content`]) {
      assertError(
        await call(server, "GET", path, { token: alice.token }),
        400,
        /container_id must be a UUID/,
      );
    }
    assertError(await call(server, "DELETE", `${CONTAINERS}/x`, { token: alice.token }), 400);
    const bad = (path: string, message: RegExp) =>
      call(server, "GET", path, { token: alice.token }).then((r) => assertError(r, 400, message));
    await bad(`${CONTAINERS}/${id}?content=all`, /content must be "inline"/);
    await bad(`${CONTAINERS}?limit=0`, /limit must be an integer from 1 to 1000/);
    await bad(`${CONTAINERS}?limit=abc`, /limit/);
    await bad(`${CONTAINERS}?after=%20x`, /after must be a container id/);
    const put = await sendBytes(server, "PUT", `${CONTAINERS}/${id}/content/x`, new Uint8Array(1), {
      authorization: `Bearer ${alice.token}`,
    });
    assert.equal(put.status, 400);
    assert.match((put.json as { error: string }).error, /version must be an integer >= 1/);
    assertError(await call(server, "GET", CONTAINERS), 401);
  } finally {
    await server.close();
  }
});
