/**
 * The SDK against a real server over HTTP (a random loopback port), in both cipher suites.
 */
import assert from "node:assert/strict";
import type { SuiteName } from "../lib/crypto/suite.ts";
import {
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  ValidationError,
} from "../lib/errors.ts";
import { AdminClient } from "../lib/sdk/admin_client.ts";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { Transport } from "../lib/sdk/_transport.ts";
import {
  registerTestClient,
  TEST_ADMIN_TOKEN,
  TEST_REGISTRATION_TOKEN,
  withServer,
} from "./_sdk_helpers.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** A transport acting as `client`, for requests the SDK would never make. */
function rawAs(client: Client): Transport {
  return new Transport({
    apiUrl: client.config.apiUrl,
    credentials: { apiKeyId: client.config.apiKeyId, apiSecret: client.config.apiSecret },
  });
}

for (const suite of SUITES) {
  Deno.test(`${suite}: write, read, update, delete with versions`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const written = await writer.write("contact", { name: "Jon", email: "jon@example.com" }, {
        house: "Stark",
      });
      assert.equal(written.meta.writerId, writer.clientId);
      assert.equal(written.meta.userId, writer.clientId);
      assert.deepEqual(written.meta.plain, { house: "Stark" });
      assert.ok(written.meta.created instanceof Date);
      assert.ok(written.signature, "signed by default with signing keys");

      const read = await writer.read(written.meta.recordId);
      assert.deepEqual(read.data, { name: "Jon", email: "jon@example.com" });
      assert.equal(read.meta.version, written.meta.version);

      const updated = await writer.update({
        meta: { ...read.meta, plain: { house: "Targaryen" } },
        data: { name: "Jon Snow" },
      });
      assert.notEqual(updated.meta.version, written.meta.version);
      assert.equal(updated.meta.created.getTime(), written.meta.created.getTime());
      const reread = await writer.read(written.meta.recordId);
      assert.deepEqual(reread.data, { name: "Jon Snow" });
      assert.deepEqual(reread.meta.plain, { house: "Targaryen" });

      await assert.rejects(() => writer.update(read), ConflictError, "stale update");
      await assert.rejects(
        () => writer.delete(written.meta.recordId, written.meta.version),
        ConflictError,
        "stale delete",
      );
      await writer.delete(updated.meta.recordId, updated.meta.version);
      await assert.rejects(() => writer.read(written.meta.recordId), NotFoundError);
    });
  });

  Deno.test(`${suite}: concurrent first writes of a type share one access key`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const written = await Promise.all(
        ["a", "b", "c", "d"].map((n) => writer.write("burst", { n })),
      );
      const fresh = new Client(writer.config); // no cached keys: uses the server's EAK
      for (const record of written) {
        assert.equal((await fresh.read(record.meta.recordId)).data.n, record.data.n);
      }
    });
  });

  Deno.test(`${suite}: query pages, filters, collect and deleted records`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const record = await writer.write("page", { n: String(i) }, {
          parity: i % 2 === 0 ? "even" : "odd",
        });
        ids.push(record.meta.recordId);
      }
      await writer.write("other", { n: "x" });

      const pages = [];
      for await (const page of writer.query({ types: ["page"], pageSize: 5 })) pages.push(page);
      assert.deepEqual(pages.map((page) => page.records.length), [5, 1]);
      assert.notEqual(pages[0]!.lastIndex, pages[1]!.lastIndex);
      assert.deepEqual(
        pages.flatMap((page) => page.records.map((record) => record.data.n)),
        ["0", "1", "2", "3", "4", "5"],
      );

      const resumed = await writer.query({
        types: ["page"],
        pageSize: 5,
        afterIndex: pages[0]!.lastIndex,
      }).collect();
      assert.deepEqual(resumed.map((record) => record.meta.recordId), [ids[5]]);

      const even = await writer.query({ plain: { eq: { name: "parity", value: "even" } } })
        .collect();
      assert.deepEqual(even.map((record) => record.data.n), ["0", "2", "4"]);
      const both = await writer.query({
        plain: {
          and: [{ eq: { name: "parity", value: "odd" } }, {
            not: { eq: { name: "x", value: "y" } },
          }],
        },
      }).collect();
      assert.equal(both.length, 3);

      assert.equal((await writer.query({ pageSize: 2 }).collect(3)).length, 3);
      const metaOnly = await writer.query({ recordIds: [ids[0]!], includeData: false }).collect();
      assert.equal(metaOnly.length, 1);
      assert.deepEqual(metaOnly[0]!.data, {});

      const streamed: string[] = [];
      for await (const record of writer.query({ types: ["other"] }).records()) {
        streamed.push(record.data.n!);
      }
      assert.deepEqual(streamed, ["x"]);

      const first = (await writer.read(ids[0]!)).meta;
      await writer.delete(first.recordId, first.version);
      const after = await writer.query({ types: ["page"] }).collect();
      assert.equal(after.length, 5);
      assert.ok(!after.some((record) => record.meta.recordId === ids[0]));
    });
  });

  Deno.test(`${suite}: sharing, and revocation holds although the reader cached the key`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const reader = await registerTestClient(url, "reader", suite);
      const outsider = await registerTestClient(url, "outsider", suite);
      const record = await writer.write("diary", { entry: "dear diary" });

      await assert.rejects(() => reader.read(record.meta.recordId), ForbiddenError);
      await writer.share("diary", reader.clientId);
      await writer.share("diary", writer.clientId); // sharing with oneself does nothing

      const seen = await reader.read(record.meta.recordId);
      assert.equal(seen.data.entry, "dear diary");
      assert.ok(seen.signature, "the writer's signature was verified by the reader");
      const shared = await reader.query({ allWriters: true, types: ["diary"] }).collect();
      assert.deepEqual(shared.map((r) => r.data.entry), ["dear diary"]);
      assert.deepEqual(await writer.outgoingSharing(), [
        { readerId: reader.clientId, readerName: "reader", recordType: "diary" },
      ]);
      assert.deepEqual(await reader.incomingSharing(), [
        { writerId: writer.clientId, writerName: "writer", recordType: "diary" },
      ]);
      await assert.rejects(() => outsider.read(record.meta.recordId), ForbiddenError);

      await writer.revoke("diary", reader.clientId);
      await assert.rejects(() => reader.read(record.meta.recordId), ForbiddenError);
      assert.deepEqual(await reader.query({ allWriters: true, types: ["diary"] }).collect(), []);
      assert.deepEqual(await writer.outgoingSharing(), []);
      await assert.rejects(
        () =>
          rawAs(reader).request(
            "GET",
            `/v1/storage/access_keys/${writer.clientId}/${writer.clientId}/${reader.clientId}/diary`,
          ),
        NotFoundError,
        "the EAK is gone",
      );
    });
  });

  Deno.test(`${suite}: authorizers share and revoke on behalf of a writer`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const authorizer = await registerTestClient(url, "authorizer", suite);
      const reader = await registerTestClient(url, "reader", suite);
      const record = await writer.write("medical", { result: "healthy" });

      await writer.addAuthorizer(authorizer.clientId, "medical");
      await writer.addAuthorizer(authorizer.clientId, "medical"); // idempotent
      const proxies = await writer.proxies();
      assert.equal(proxies.length, 1);
      assert.equal(proxies[0]!.authorizerId, authorizer.clientId);
      assert.equal(proxies[0]!.recordType, "medical");
      const granted = await authorizer.authorizersGranted();
      assert.deepEqual(granted.map((grant) => [grant.writerId, grant.recordType]), [
        [writer.clientId, "medical"],
      ]);
      await assert.rejects(
        () => authorizer.read(record.meta.recordId),
        ForbiddenError,
        "an authorizer is not a reader",
      );

      await authorizer.shareOnBehalfOf(writer.clientId, "medical", reader.clientId);
      const seen = await reader.read(record.meta.recordId);
      assert.equal(seen.data.result, "healthy");
      const eak = await rawAs(reader).request(
        "GET",
        `/v1/storage/access_keys/${writer.clientId}/${writer.clientId}/${reader.clientId}/medical`,
      );
      const eakJson = eak.json as { authorizer_id: string; authorizer_public_key: object };
      assert.equal(eakJson.authorizer_id, authorizer.clientId);
      assert.deepEqual(
        Object.values(eakJson.authorizer_public_key),
        [authorizer.config.publicKey],
        "the reader opens the EAK with the authorizer's key",
      );

      await authorizer.revokeOnBehalfOf(writer.clientId, "medical", reader.clientId);
      await assert.rejects(() => reader.read(record.meta.recordId), ForbiddenError);

      await writer.removeAuthorizer(authorizer.clientId, "medical");
      assert.deepEqual(await writer.proxies(), []);
      await assert.rejects(
        () => authorizer.shareOnBehalfOf(writer.clientId, "medical", reader.clientId),
        NotFoundError,
      );
      await assert.rejects(() => reader.read(record.meta.recordId), ForbiddenError);

      await writer.addAuthorizer(authorizer.clientId, "a");
      await writer.addAuthorizer(authorizer.clientId, "b");
      assert.equal((await writer.proxies()).length, 2);
      await writer.removeAuthorizer(authorizer.clientId);
      assert.deepEqual(await writer.proxies(), []);
      await assert.rejects(() => writer.addAuthorizer(writer.clientId, "a"), ValidationError);
    });
  });

  Deno.test(`${suite}: signed records verify; a tampered rec_sig is an IntegrityError`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const reader = await registerTestClient(url, "reader", suite);
      const genuine = await writer.write("note", { text: "pay 10" }, { to: "bob" });
      const other = await writer.write("note", { text: "pay 1000" }, { to: "bob" });
      const unsigned = await writer.write("note", { text: "plain" }, {}, { sign: false });
      assert.equal(unsigned.signature, undefined);
      // Own records must be signed by default (issue 10): reading one unsigned needs "none".
      await assert.rejects(() => writer.read(unsigned.meta.recordId), IntegrityError);
      const lax = new Client(writer.config, { requireSignatures: "none" });
      assert.equal((await lax.read(unsigned.meta.recordId)).signature, undefined);

      // Splice the signature of "pay 1000" onto the ciphertext of "pay 10".
      const raw = rawAs(writer);
      const stored = (await raw.request("GET", `/v1/storage/records/${genuine.meta.recordId}`))
        .json as { meta: Record<string, unknown>; data: Record<string, string> };
      const forged = await raw.request("POST", "/v1/storage/records", {
        body: {
          meta: {
            writer_id: writer.clientId,
            user_id: writer.clientId,
            type: "note",
            plain: {
              to: "bob",
            },
          },
          data: stored.data,
          rec_sig: other.signature,
        },
      });
      const forgedId = (forged.json as { meta: { record_id: string } }).meta.record_id;

      await writer.share("note", reader.clientId);
      assert.equal((await reader.read(genuine.meta.recordId)).data.text, "pay 10");
      for (const client of [writer, reader]) {
        await assert.rejects(() => client.read(forgedId), (error: unknown) => {
          assert.ok(error instanceof IntegrityError);
          assert.match(error.message, /Record signature does not verify/);
          return true;
        });
        await assert.rejects(
          () => client.query({ recordIds: [forgedId], allWriters: true }).collect(),
          IntegrityError,
        );
      }
      // Metadata-only queries need no decryption, so they still list it.
      assert.equal(
        (await writer.query({ recordIds: [forgedId], includeData: false }).collect()).length,
        1,
      );
    });
  });

  Deno.test(`${suite}: a 3 MB field round-trips`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registerTestClient(url, "writer", suite);
      const big = "0123456789abcdef".repeat(196_608); // 3 MiB
      const record = await writer.write("large", { blob: big, small: "s" });
      const read = await writer.read(record.meta.recordId);
      assert.equal(read.data.blob?.length, big.length);
      assert.equal(read.data.blob, big);
    });
  });

  Deno.test(`${suite}: credentials survive a credential-file round trip`, async () => {
    await withServer(async ({ url }) => {
      const home = await Deno.makeTempDir({ prefix: "arca-e2e-home-" });
      try {
        const keys = await Client.generateKeypair(suite);
        const signingKeys = await Client.generateSigningKeypair(suite);
        const registration = await Client.register(TEST_REGISTRATION_TOKEN, "saved", keys, {
          apiUrl: url,
          signingKeys,
        });
        assert.equal(registration.suite, suite);
        assert.equal(registration.backupClientId, registration.clientId);
        await registration.config.write("saved", { home });
        const original = new Client(registration.config);
        const record = await original.write("kept", { secret: "42" });

        const loaded = new Client(await Config.load("saved", { home }));
        assert.equal(loaded.config.cryptoSuite, suite);
        assert.equal((await loaded.read(record.meta.recordId)).data.secret, "42");
        const json = JSON.parse(await Deno.readTextFile(Config.path("saved", { home })));
        assert.equal(json.version, "2");
        assert.equal(json.crypto_suite, suite === "NIST" ? "NIST" : undefined);
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });
  });

  Deno.test(`${suite}: registration with backup writes a tozny.key_backup record`, async () => {
    await withServer(async ({ url }) => {
      const keys = await Client.generateKeypair(suite);
      const signingKeys = await Client.generateSigningKeypair(suite);
      const registration = await Client.register(TEST_REGISTRATION_TOKEN, "backed", keys, {
        apiUrl: url,
        signingKeys,
        backup: true,
      });
      assert.equal(registration.backedUp, true);
      const client = new Client(registration.config);
      const [backup] = await client.query({ types: ["tozny.key_backup"] }).collect();
      assert.ok(backup);
      assert.deepEqual(backup.meta.plain, { client: registration.clientId });
      assert.equal(backup.data.version, '"2"');
      assert.equal(backup.data.client_id, JSON.stringify(registration.clientId));
      assert.equal(JSON.parse(backup.data.private_key!), keys.privateKey);
      const admin = new AdminClient({ apiUrl: url, adminToken: TEST_ADMIN_TOKEN });
      const listed = (await admin.listClients()).find((c) => c.clientId === registration.clientId);
      assert.ok(listed?.backedUp instanceof Date);
    });
  });

  Deno.test(`${suite}: client info, bad ids and unknown clients`, async () => {
    await withServer(async ({ url }) => {
      const one = await registerTestClient(url, "one", suite);
      const two = await registerTestClient(url, "two", suite);
      const info = await one.clientInfo(two.clientId);
      assert.equal(info.clientId, two.clientId);
      assert.equal(info.publicKey, two.config.publicKey);
      assert.equal(info.publicKeyType, suite === "NIST" ? "p384" : "curve25519");
      assert.equal(info.signingKey, two.config.publicSigningKey);
      await assert.rejects(
        () => one.clientInfo("00000000-0000-4000-8000-000000000000"),
        NotFoundError,
      );
      await assert.rejects(() => one.clientInfo("doesnt exist"), ValidationError);
      await assert.rejects(() => one.read("nope"), ValidationError);
      await assert.rejects(() => one.share("", two.clientId), ValidationError);
      await assert.rejects(
        () => one.share("t", "00000000-0000-4000-8000-000000000000"),
        NotFoundError,
      );
      await assert.rejects(
        () => one.write("t", { n: 1 } as unknown as Record<string, string>),
        /Record data value "n" must be a string/,
      );
      assert.throws(() => one.query({ pageSize: 0 }), ValidationError);
      assert.throws(
        () => one.query({ plain: { like: "x" } as never }),
        /Query plain must be/,
      );
    });
  });
}

Deno.test("Sodium and NIST clients cannot share with each other", async () => {
  await withServer(async ({ url }) => {
    const sodium = await registerTestClient(url, "sodium", "Sodium");
    const nist = await registerTestClient(url, "nist", "NIST");
    await assert.rejects(
      () => sodium.share("t", nist.clientId),
      /has a p384 key, but this client uses the Sodium suite/,
    );
  });
});

Deno.test("Registration refuses bad input before contacting the server", async () => {
  const keys = await Client.generateKeypair("Sodium");
  const nistSigning = await Client.generateSigningKeypair("NIST");
  const apiUrl = "http://127.0.0.1:9";
  await assert.rejects(() => Client.register("", "n", keys, { apiUrl }), /Registration token/);
  await assert.rejects(() => Client.register("t", "", keys, { apiUrl }), /Client name/);
  await assert.rejects(
    () => Client.register("t", "n", keys, { apiUrl, suite: "NIST" }),
    /Suite is "NIST", but the keys are Sodium keys/,
  );
  await assert.rejects(
    () => Client.register("t", "n", keys, { apiUrl, signingKeys: nistSigning }),
    /Signing keys are NIST keys/,
  );
  await assert.rejects(
    () => Client.register("t", "n", { publicKey: keys.publicKey, privateKey: "AAAA" }, { apiUrl }),
    /Keys privateKey must be 32 bytes/,
  );
});

Deno.test("Registration with a wrong token is an UnauthorizedError", async () => {
  await withServer(async ({ url }) => {
    const keys = await Client.generateKeypair("Sodium");
    await assert.rejects(
      () => Client.register("wrong-token", "n", keys, { apiUrl: url }),
      (error: unknown) => error instanceof Error && error.name === "UnauthorizedError",
    );
  });
});

Deno.test("AdminClient creates, lists and revokes registration tokens", async () => {
  await withServer(async ({ url }) => {
    const admin = new AdminClient({ apiUrl: url, adminToken: TEST_ADMIN_TOKEN });
    const issued = await admin.createToken({ name: "laptop" });
    assert.equal(issued.oneTime, true);
    const keys = await Client.generateKeypair("Sodium");
    await Client.register(issued.token, "laptop", keys, { apiUrl: url });
    await assert.rejects(() => Client.register(issued.token, "again", keys, { apiUrl: url }));
    const reusable = await admin.createToken({ oneTime: false });
    const listed = await admin.listTokens();
    assert.ok(listed.some((t) => t.tokenId === issued.tokenId && t.uses === 1));
    await admin.revokeToken(reusable.tokenId);
    assert.ok((await admin.listTokens()).some((t) => t.tokenId === reusable.tokenId && t.revoked));
    await assert.rejects(() => admin.revokeToken("x"), ValidationError);
    const wrong = new AdminClient({ apiUrl: url, adminToken: "wrong" });
    await assert.rejects(() => wrong.listClients(), /Admin token is missing or wrong/);
  });
});
