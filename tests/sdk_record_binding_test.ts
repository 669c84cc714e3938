/**
 * A malicious server cannot strip, swap or roll back signed records (issue 10, finding 3). A real
 * HTTP proxy in front of a real server rewrites record replies; the real SDK must refuse them.
 */
import assert from "node:assert/strict";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { IntegrityError } from "../lib/errors.ts";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { type Exchange, jsonResponse, type Rewrite, startHostileProxy } from "./_hostile_proxy.ts";
import { registerTestClient, withServer } from "./_sdk_helpers.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

interface WireRecord {
  meta: Record<string, unknown> & { record_id: string; version: string };
  data: Record<string, string>;
  rec_sig?: string;
}

function isRead(exchange: Exchange, recordId: string): boolean {
  return exchange.method === "GET" && exchange.path === `/v1/storage/records/${recordId}`;
}

/** Runs `body` with the writer behind a proxy, plus a reader sharing its "note" records. */
async function withProxiedClients(
  suite: SuiteName,
  body: (clients: {
    writer: Client;
    reader: Client;
    viaProxy: (client: Client, options?: ConstructorParameters<typeof Client>[1]) => Client;
    setRewrite: (rewrite: Rewrite | undefined) => void;
  }) => Promise<void>,
): Promise<void> {
  await withServer(async ({ url }) => {
    const writer = await registerTestClient(url, "writer", suite);
    const reader = await registerTestClient(url, "reader", suite);
    const proxy = startHostileProxy(url);
    try {
      await body({
        writer,
        reader,
        viaProxy: (client, options) =>
          new Client(
            Config.fromObject({ ...client.config.toJSON(), api_url: proxy.url }),
            options,
          ),
        setRewrite: (rewrite) => proxy.setRewrite(rewrite),
      });
    } finally {
      await proxy.close();
    }
  });
}

for (const suite of SUITES) {
  Deno.test(`${suite}: a record's body served under another record id is refused`, async () => {
    await withProxiedClients(suite, async ({ writer, reader, viaProxy, setRewrite }) => {
      const a = await writer.write("note", { text: "pay 10" });
      const b = await writer.write("note", { text: "pay 1000" });
      await writer.share("note", reader.clientId);
      let bodyOfA: WireRecord | undefined;
      setRewrite((exchange) => {
        if (isRead(exchange, a.meta.recordId)) bodyOfA = exchange.json as WireRecord;
        if (!isRead(exchange, b.meta.recordId) || bodyOfA === undefined) return undefined;
        const genuine = exchange.json as WireRecord;
        return jsonResponse({
          ...bodyOfA,
          meta: { ...bodyOfA.meta, record_id: genuine.meta.record_id },
        });
      });
      for (const client of [viaProxy(writer), viaProxy(reader, { requireSignatures: "all" })]) {
        assert.equal((await client.read(a.meta.recordId)).data.text, "pay 10");
        await assert.rejects(() => client.read(b.meta.recordId), IntegrityError);
      }
    });
  });

  Deno.test(`${suite}: an old version served as the current one is refused`, async () => {
    await withProxiedClients(suite, async ({ writer, viaProxy, setRewrite }) => {
      const first = await writer.write("note", { text: "balance 5" });
      const old = await rawRecord(writer, first.meta.recordId);
      const updated = await writer.update({ ...first, data: { text: "balance 0" } });
      assert.notEqual(updated.meta.version, first.meta.version);
      assert.equal((await writer.read(first.meta.recordId)).data.text, "balance 0");
      setRewrite((exchange) => {
        if (!isRead(exchange, first.meta.recordId)) return undefined;
        const current = exchange.json as WireRecord;
        return jsonResponse({ ...old, meta: { ...old.meta, version: current.meta.version } });
      });
      await assert.rejects(() => viaProxy(writer).read(first.meta.recordId), IntegrityError);
      const queried = viaProxy(writer).query({ recordIds: [first.meta.recordId] }).collect();
      assert.equal((await queried)[0]?.data.text, "balance 0", "query rows are not rewritten");
    });
  });

  Deno.test(`${suite}: a stripped signature is refused for own records by default`, async () => {
    await withProxiedClients(suite, async ({ writer, reader, viaProxy, setRewrite }) => {
      const record = await writer.write("note", { text: "signed" });
      await writer.share("note", reader.clientId);
      setRewrite((exchange) => {
        if (!isRead(exchange, record.meta.recordId)) return undefined;
        const { rec_sig: _dropped, ...stripped } = exchange.json as WireRecord;
        return jsonResponse(stripped);
      });
      await assert.rejects(() => viaProxy(writer).read(record.meta.recordId), IntegrityError);
      // Other writers are not required to sign by default (E3DB's SDKs do not)...
      assert.equal((await viaProxy(reader).read(record.meta.recordId)).data.text, "signed");
      // ...unless the reader asks for it, for every writer or for this one.
      for (const requireSignatures of ["all", { writers: [writer.clientId] }] as const) {
        await assert.rejects(
          () => viaProxy(reader, { requireSignatures }).read(record.meta.recordId),
          IntegrityError,
        );
      }
      // "none" turns the requirement off, even for own records.
      const lax = viaProxy(writer, { requireSignatures: "none" });
      assert.equal((await lax.read(record.meta.recordId)).data.text, "signed");
    });
  });
}

async function rawRecord(client: Client, recordId: string): Promise<WireRecord> {
  const answer = await fetch(`${client.config.apiUrl}/v1/storage/records/${recordId}`, {
    headers: { authorization: `Bearer ${await bearerToken(client)}` },
  });
  return (await answer.json()) as WireRecord;
}

Deno.test("server: a chosen record id must be free and a chosen version must be new", async () => {
  await withServer(async ({ url }) => {
    const writer = await registerTestClient(url, "writer");
    const record = await writer.write("note", { text: "x" });
    const token = await bearerToken(writer);
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const meta = { writer_id: writer.clientId, user_id: writer.clientId, type: "note" };
    const taken = await call("POST", "/v1/storage/records", {
      meta: { ...meta, record_id: record.meta.recordId },
      data: {},
    });
    assert.equal(taken.status, 409);
    assert.match((await taken.json() as { error: string }).error, /already taken/);
    const notUuid = await call("POST", "/v1/storage/records", {
      meta: { ...meta, next_version: "v2" },
      data: {},
    });
    assert.equal(notUuid.status, 400);
    await notUuid.body?.cancel();
    const { recordId, version } = record.meta;
    const same = await call("PUT", `/v1/storage/records/safe/${recordId}/${version}`, {
      meta: { next_version: version },
      data: {},
    });
    assert.equal(same.status, 400);
    assert.match((await same.json() as { error: string }).error, /next_version/);
    assert.equal((await writer.read(recordId)).meta.version, version, "nothing changed");
  });
});

async function bearerToken(client: Client): Promise<string> {
  const token = await fetch(`${client.config.apiUrl}/v1/auth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${client.config.apiKeyId}:${client.config.apiSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await token.json()) as { access_token: string }).access_token;
}
