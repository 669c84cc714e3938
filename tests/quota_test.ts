/**
 * Finding 7 (issue 10): per-client storage quotas (records' stored bytes plus file bytes,
 * `ARCA_CLIENT_QUOTA_BYTES`) enforced atomically, freed on delete, and a cap on a file's size
 * (`ARCA_MAX_FILE_BYTES`), each a 413 naming its limit. Over real HTTP.
 */
import assert from "node:assert/strict";
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import { ValidationError } from "../lib/errors.ts";
import { DatabaseSync } from "node:sqlite";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { SQLITE_MIGRATIONS } from "../lib/store/sqlite/migrations.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { byteStream, randomBytes } from "./_file_helpers.ts";
import { type RealHttpServer, realHttpServer, sendBytes } from "./_real_http_server.ts";
import {
  assertError,
  call,
  registerClient,
  type TestClient,
  writeRecord,
} from "./_server_helpers.ts";

const FILES = "/v1/storage/files";

/** An encrypted field of the right shape whose ciphertext part is `bytes` long. */
function field(bytes: number): string {
  return `${"A".repeat(64)}.${"B".repeat(32)}.${"C".repeat(bytes)}.${"D".repeat(32)}`;
}

function writeBody(client: TestClient, bytes: number) {
  return {
    meta: { writer_id: client.clientId, user_id: client.clientId, type: "q", plain: {} },
    data: { f: field(bytes) },
  };
}

async function startFile(
  server: RealHttpServer,
  client: TestClient,
  fileMeta: object,
) {
  return await call(server, "POST", FILES, {
    token: client.token,
    body: {
      meta: {
        writer_id: client.clientId,
        user_id: client.clientId,
        type: "files",
        file_meta: { compression: "raw", ...fileMeta },
      },
      data: {},
    },
  });
}

Deno.test("quota: ARCA_CLIENT_QUOTA_BYTES and ARCA_MAX_FILE_BYTES are read and checked", () => {
  const options = serverOptionsFromEnv(
    new Map([["ARCA_CLIENT_QUOTA_BYTES", "0"], ["ARCA_MAX_FILE_BYTES", "1048576"]]),
  );
  assert.equal(options.clientQuotaBytes, 0);
  assert.equal(options.maxFileBytes, 1048576);
  assert.equal("clientQuotaBytes" in serverOptionsFromEnv(new Map()), false);
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_CLIENT_QUOTA_BYTES", "10G"]])),
    ValidationError,
  );
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_MAX_FILE_BYTES", "0"]])),
    /ARCA_MAX_FILE_BYTES/,
  );
});

Deno.test("quota: record writes past the quota are 413; updates count growth; deletes free", async () => {
  const server = await realHttpServer({ clientQuotaBytes: 50_000 });
  try {
    const alice = await registerClient(server, "alice");
    const bob = await registerClient(server, "bob");
    const written = [];
    for (let n = 0; n < 4; n++) {
      const reply = await call(server, "POST", "/v1/storage/records", {
        token: alice.token,
        body: writeBody(alice, 10_000),
      });
      assert.equal(reply.status, 201, reply.text);
      written.push(reply.json);
    }
    const used = await server.store.usage.bytes(alice.clientId);
    assert.ok(used > 40_000 && used < 50_000, `usage ${used}`);
    const refused = await call(server, "POST", "/v1/storage/records", {
      token: alice.token,
      body: writeBody(alice, 10_000),
    });
    assertError(refused, 413, /quota of 50000 bytes \(ARCA_CLIENT_QUOTA_BYTES\)/);
    assert.equal(await server.store.usage.bytes(alice.clientId), used, "nothing counted");
    // Another client has its own quota.
    await writeRecord(server, bob, "q", {}, { f: field(10_000) });
    // An update that grows past the quota is refused; one that shrinks is fine.
    const first = written[0];
    const grow = await call(
      server,
      "PUT",
      `/v1/storage/records/safe/${first.meta.record_id}/${first.meta.version}`,
      { token: alice.token, body: writeBody(alice, 30_000) },
    );
    assertError(grow, 413, /ARCA_CLIENT_QUOTA_BYTES/);
    const shrink = await call(
      server,
      "PUT",
      `/v1/storage/records/safe/${first.meta.record_id}/${first.meta.version}`,
      { token: alice.token, body: writeBody(alice, 100) },
    );
    assert.equal(shrink.status, 200, shrink.text);
    assert.ok(await server.store.usage.bytes(alice.clientId) < used - 9_000);
    // Deleting frees the record's bytes.
    for (const record of written.slice(1)) {
      const reply = await call(
        server,
        "DELETE",
        `/v1/storage/records/safe/${record.meta.record_id}/${record.meta.version}`,
        { token: alice.token },
      );
      assert.equal(reply.status, 204);
    }
    const small = await server.store.usage.bytes(alice.clientId);
    assert.ok(small > 0 && small < 1_000, `usage ${small}`);
    const again = await call(server, "POST", "/v1/storage/records", {
      token: alice.token,
      body: writeBody(alice, 30_000),
    });
    assert.equal(again.status, 201, again.text);
  } finally {
    await server.close();
  }
});

Deno.test("quota: concurrent writes cannot pass the quota together", async () => {
  const server = await realHttpServer({ clientQuotaBytes: 100_000 });
  try {
    const alice = await registerClient(server, "alice");
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(server, "POST", "/v1/storage/records", {
          token: alice.token,
          body: writeBody(alice, 9_900),
        })),
    );
    const created = replies.filter((reply) => reply.status === 201).length;
    for (const reply of replies) assert.ok(reply.status === 201 || reply.status === 413);
    // Each record counts a little over 10,000 bytes: nine fit in 100,000, ten do not.
    assert.equal(created, 9);
    assert.ok(await server.store.usage.bytes(alice.clientId) <= 100_000);
  } finally {
    await server.close();
  }
});

Deno.test("quota: files count their bytes, are capped by ARCA_MAX_FILE_BYTES, and free on delete", async () => {
  const server = await realHttpServer({ clientQuotaBytes: 60_000, maxFileBytes: 40_000 });
  try {
    const alice = await registerClient(server, "alice");
    // An announced size past the largest file is refused at once.
    assertError(
      await startFile(server, alice, { size: 40_001 }),
      413,
      /limit of 40000 bytes \(ARCA_MAX_FILE_BYTES\)/,
    );
    // Without an announced size, the body is cut off past the limit.
    const open = await startFile(server, alice, {});
    assert.equal(open.status, 202, open.text);
    const tooLong = await sendBytes(
      server,
      "PUT",
      open.json.file_url,
      byteStream(randomBytes(45_000)),
    );
    assertError(tooLong as never, 413, /ARCA_MAX_FILE_BYTES/);

    // A 30,000-byte file counts in the quota once uploaded and once committed.
    const bytes = randomBytes(30_000);
    const pending = await startFile(server, alice, fileChecksum(bytes));
    assert.equal(pending.status, 202, pending.text);
    assert.equal((await sendBytes(server, "PUT", pending.json.file_url, bytes)).status, 200);
    assert.equal(await server.store.usage.bytes(alice.clientId), 30_000);
    const commit = await call(server, "PATCH", `${FILES}/${pending.json.id}`, {
      token: alice.token,
    });
    assert.equal(commit.status, 201, commit.text);
    const afterCommit = await server.store.usage.bytes(alice.clientId);
    assert.ok(afterCommit > 30_000 && afterCommit < 31_000, `usage ${afterCommit}`);

    // A second 30,000-byte file does not fit: refused when announced, and when streamed.
    const second = randomBytes(30_000);
    assertError(await startFile(server, alice, fileChecksum(second)), 413, /quota/);
    const streamed = await startFile(server, alice, {});
    const cut = await sendBytes(server, "PUT", streamed.json.file_url, byteStream(second));
    assertError(cut as never, 413, /ARCA_CLIENT_QUOTA_BYTES/);
    assert.equal((await server.store.files.getPending(streamed.json.id))?.state, "pending");

    // Deleting the file record frees its bytes; the same upload URL then succeeds.
    const record = commit.json.meta;
    const deleted = await call(
      server,
      "DELETE",
      `/v1/storage/records/safe/${record.record_id}/${record.version}`,
      { token: alice.token },
    );
    assert.equal(deleted.status, 204);
    assert.equal(await server.store.usage.bytes(alice.clientId), 0);
    const retried = await sendBytes(server, "PUT", streamed.json.file_url, byteStream(second));
    assert.equal(retried.status, 200, retried.text);
    assert.equal(await server.store.usage.bytes(alice.clientId), 30_000);
  } finally {
    await server.close();
  }
});

Deno.test("quota: the usage migration counts what was stored before it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-usage-migration-" });
  const path = `${dir}/arca.sqlite3`;
  try {
    const old = await openSqliteStore(path, { migrations: SQLITE_MIGRATIONS.slice(0, 5) });
    await old.close();
    // Rows as the schema before the usage migration had them (today's store writes newer columns).
    const raw = new DatabaseSync(path);
    const writer = crypto.randomUUID();
    raw.prepare("INSERT INTO accounts (account_id, name, created) VALUES (?, 'a', 1)").run(writer);
    raw.prepare(
      "INSERT INTO clients (client_id, account_id, name, public_key_type, public_key," +
        " api_key_id, api_secret_hash, backup_client_id, created)" +
        " VALUES (?1, ?1, 'c', 'curve25519', 'k', ?1, 'h', ?1, 1)",
    ).run(writer);
    const insert = raw.prepare(
      "INSERT INTO records (record_id, writer_id, user_id, type, plain, data, rec_sig," +
        " file_meta, created, last_modified, version) VALUES (?, ?, ?, 't', ?, ?, ?, ?, 1, 1, 'v')",
    );
    insert.run(crypto.randomUUID(), writer, writer, '{"k":"é"}', '{"f":"abc"}', "sig", null);
    insert.run(crypto.randomUUID(), writer, writer, "{}", "{}", null, '{"size":1000}');
    raw.close();
    const store = await openSqliteStore(path);
    assert.equal(await store.usage.bytes(writer), (10 + 11 + 3) + (2 + 2 + 13 + 1000));
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
