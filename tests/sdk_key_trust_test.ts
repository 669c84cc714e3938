/**
 * The SDK does not take its own access keys from the server on trust (issue 10, findings 1 and
 * 9): a malicious server (a real HTTP proxy in front of a real server) that answers the client's
 * own EAK with one sealed under an attacker's key pair is refused, a query row carrying an
 * attacker's EAK never becomes the key later writes use, and two devices of one client creating
 * a type's key at once end up with one key.
 */
import assert from "node:assert/strict";
import { wrapAccessKey } from "../lib/crypto/access_key.ts";
import { decryptRecordData } from "../lib/crypto/fields.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { randomUuid } from "../lib/crypto/uuid.ts";
import { IntegrityError } from "../lib/errors.ts";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { type Exchange, jsonResponse, startHostileProxy } from "./_hostile_proxy.ts";
import { registerTestClient, withServer } from "./_sdk_helpers.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** An attacker's access key, boxed for `client` under the attacker's own key pair. */
async function attackerEak(suiteName: SuiteName, client: Client, authorizerId: string) {
  const suite = await getSuite(suiteName);
  const attacker = await suite.generateEncryptionKeyPair();
  const accessKey = suite.randomBytes(suite.keyBytes);
  const eak = await wrapAccessKey(
    suite,
    accessKey,
    suite.decodePublicKey(client.config.publicKey),
    attacker.privateKey,
  );
  return {
    accessKey,
    reply: {
      eak,
      authorizer_id: authorizerId,
      authorizer_public_key: { [suite.publicKeyType]: suite.encodePublicKey(attacker.publicKey) },
    },
  };
}

function isOwnEakGet(exchange: Exchange, client: Client, type: string): boolean {
  const self = client.clientId;
  return exchange.method === "GET" &&
    exchange.path === `/v1/storage/access_keys/${self}/${self}/${self}/${type}`;
}

/** Whether the stored record's data opens with `accessKey`. */
async function opensWith(suiteName: SuiteName, accessKey: Uint8Array, data: unknown) {
  try {
    await decryptRecordData(await getSuite(suiteName), accessKey, data as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

for (const suite of SUITES) {
  Deno.test(`${suite}: an own EAK sealed under another key pair is refused`, async () => {
    await withServer(async ({ url }) => {
      const honest = await registerTestClient(url, "victim", suite);
      await honest.write("secret", { pin: "1234" });
      const proxy = startHostileProxy(url);
      try {
        const config = Config.fromObject({ ...honest.config.toJSON(), api_url: proxy.url });
        for (const authorizer of ["attacker", "self"] as const) {
          const victim = new Client(config);
          const forged = await attackerEak(
            suite,
            victim,
            authorizer === "self" ? victim.clientId : randomUuid(),
          );
          const posted: string[] = [];
          proxy.setRewrite((exchange) => {
            if (exchange.method === "POST" && exchange.path === "/v1/storage/records") {
              posted.push(exchange.requestBody);
            }
            return isOwnEakGet(exchange, victim, "secret") ? jsonResponse(forged.reply) : undefined;
          });
          await assert.rejects(() => victim.write("secret", { pin: "5678" }), IntegrityError);
          await assert.rejects(() => victim.share("secret", randomUuid()), IntegrityError);
          assert.deepEqual(posted, [], `${authorizer}: nothing was written under the forged key`);
        }
      } finally {
        await proxy.close();
      }
    });
  });

  Deno.test(`${suite}: a query row's EAK never becomes the key writes use`, async () => {
    await withServer(async ({ url }) => {
      const honest = await registerTestClient(url, "victim", suite);
      await honest.write("secret", { pin: "1234" });
      const proxy = startHostileProxy(url);
      try {
        const config = Config.fromObject({ ...honest.config.toJSON(), api_url: proxy.url });
        const victim = new Client(config);
        const forged = await attackerEak(suite, victim, victim.clientId);
        proxy.setRewrite((exchange) => {
          if (exchange.path !== "/v1/storage/search") return undefined;
          const page = exchange.json as { results: { access_key: unknown }[] };
          for (const row of page.results) row.access_key = forged.reply;
          return jsonResponse(page);
        });
        // The forged row key cannot open the genuine row, so the query may fail; either way
        // the key must not reach writes.
        await victim.query({ types: ["secret"] }).collect().catch(() => {});
        proxy.setRewrite(undefined);
        const written = await victim.write("secret", { pin: "5678" });
        const stored = await honest.read(written.meta.recordId);
        assert.equal(stored.data.pin, "5678");
        const raw = await fetch(`${url}/v1/storage/records/${written.meta.recordId}`, {
          headers: { authorization: `Bearer ${await bearer(url, honest)}` },
        });
        const json = await raw.json() as { data: unknown };
        assert.equal(await opensWith(suite, forged.accessKey, json.data), false);
      } finally {
        await proxy.close();
      }
    });
  });

  Deno.test(`${suite}: two devices creating a type's key at once share one key`, async () => {
    await withServer(async ({ url }) => {
      const first = await registerTestClient(url, "two devices", suite);
      const second = new Client(Config.fromObject(first.config.toJSON()));
      const [a, b] = await Promise.all([
        first.write("diary", { entry: "from device A" }),
        second.write("diary", { entry: "from device B" }),
      ]);
      for (const device of [first, second, new Client(first.config)]) {
        assert.equal((await device.read(a.meta.recordId)).data.entry, "from device A");
        assert.equal((await device.read(b.meta.recordId)).data.entry, "from device B");
      }
    });
  });
}

Deno.test("the server answers 409 to a second own EAK for a type, and keeps the first", async () => {
  await withServer(async ({ url }) => {
    const client = await registerTestClient(url, "owner");
    await client.write("diary", { entry: "one" });
    const self = client.clientId;
    const path = `${url}/v1/storage/access_keys/${self}/${self}/${self}/diary`;
    const token = await bearer(url, client);
    const answer = await fetch(path, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ eak: "AAAA.AAAA" }),
    });
    assert.equal(answer.status, 409);
    assert.match(((await answer.json()) as { error: string }).error, /already/);
    const fresh = new Client(client.config);
    assert.equal((await fresh.query({ types: ["diary"] }).collect())[0]?.data.entry, "one");
  });
});

async function bearer(url: string, client: Client): Promise<string> {
  const answer = await fetch(`${url}/v1/auth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${client.config.apiKeyId}:${client.config.apiSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}
