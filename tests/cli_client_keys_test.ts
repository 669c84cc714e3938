// The CLI's E3DB-parity commands against a real server: `--config FILE`, `client info`,
// `keys generate`, anonymous notes, `register --backup`, and a malformed query as a usage error.
import assert from "node:assert/strict";
import { join } from "node:path";
import { Config } from "../lib/sdk/config.ts";
import { InProcessCli, withHome } from "./_cli_helpers.ts";
import { TEST_REGISTRATION_TOKEN, withServer } from "./_sdk_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("CLI: --config FILE registers into and reads from an explicit credential file", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const file = join(home, "elsewhere", "alice.json");
      await Deno.mkdir(join(home, "elsewhere"));
      const alice: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "a",
        "--config",
        file,
      );
      assert.equal(alice.path, file);
      assert.equal((await Config.load(undefined, { path: file })).clientId, alice.clientId);
      await assert.rejects(() => Config.load(undefined, { home }), /No credential file/);

      const written: Json = await cli.json("write", "t", "--data", '{"k":"v"}', "--config", file);
      const read: Json = await cli.json("--config", file, "read", written.meta.recordId);
      assert.deepEqual(read.data, { k: "v" });
      const shown: Json = await cli.json("profile", "show", "--config", file);
      assert.equal(shown.path, file);
      const missing = await cli.run("read", written.meta.recordId, "--config", join(home, "no"));
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /No credential file at ".*\/no"/);
    });
  });
});

Deno.test("CLI: client info shows another client's public keys; keys generate prints fresh keys", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      const bob: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "bob",
        "--profile",
        "bob",
        "--suite",
        "NIST",
      );
      const bobConfig = await Config.load("bob", { home });
      const info: Json = await cli.json("client", "info", bob.clientId);
      assert.equal(info.clientId, bob.clientId);
      assert.equal(info.publicKey, bobConfig.publicKey);
      assert.equal(info.publicKeyType, "p384");
      assert.equal(info.signingKey, bobConfig.publicSigningKey);
      const table = await cli.run("client", "info", bob.clientId);
      assert.match(table.stdout, /public key \(p384\)/);
      const unknown = await cli.run("client", "info", crypto.randomUUID());
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /^arca: Client not found \(HTTP 404\)\n$/);

      const sodium: Json = await cli.json("keys", "generate");
      assert.equal(sodium.suite, "Sodium");
      assert.equal(sodium.publicKey.length, 43);
      assert.equal(sodium.privateSigningKey.length, 86);
      const nist: Json = await cli.json("keys", "generate", "--suite", "NIST");
      assert.match(nist.publicKey, /^LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K/);
      assert.notEqual((await cli.json("keys", "generate") as Json).publicKey, sodium.publicKey);
    });
  });
});

Deno.test("CLI: anonymous notes, written without a profile and read with a key file", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const keys: Json = await cli.json("keys", "generate");
      const keyFile = join(home, "keys.json");
      await Deno.writeTextFile(keyFile, JSON.stringify(keys));
      const written: Json = await cli.json(
        "note",
        "write",
        "--anonymous",
        "--to-key",
        keys.publicKey,
        "--to-signing-key",
        keys.publicSigningKey,
        "--data",
        '{"secret":"the eagle has landed"}',
      );
      assert.equal(written.data, undefined, "the plaintext is not echoed");
      const read: Json = await cli.json(
        "note",
        "read",
        written.noteId,
        "--anonymous",
        "--keys",
        keyFile,
      );
      assert.deepEqual(read.data, { secret: "the eagle has landed" });
      // Without --keys the reader has nothing to decrypt with: a usage error.
      const noKeys = await cli.run("note", "read", written.noteId, "--anonymous");
      assert.equal(noKeys.code, 2);
      assert.match(noKeys.stderr, /--anonymous needs --keys FILE/);
      // No profile was ever made.
      await assert.rejects(() => Config.load(undefined, { home }), /No credential file/);
    });
  });
});

Deno.test("CLI: register --backup backs the credentials up as a tozny.key_backup record", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const plain: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "no-backup");
      assert.equal(plain.backedUp, false);
      const backed: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "with-backup",
        "--backup",
        "--profile",
        "b",
      );
      assert.equal(backed.backedUp, true);
      const found: Json = await cli.json(
        "--profile",
        "b",
        "query",
        "--type",
        "tozny.key_backup",
      );
      const records = Array.isArray(found) ? found : found.records;
      assert.equal(records.length, 1);
      const data = records[0].data;
      assert.equal(JSON.parse(data.client_id), backed.clientId);
      assert.equal(JSON.parse(data.api_url), url);
    });
  });
});

Deno.test("CLI: a malformed query filter is a usage error (exit 2), before any request", async () => {
  await withHome(async (home) => {
    const cli = new InProcessCli({ HOME: home });
    for (const filter of ['{"eq":{"name":1}}', '{"and":5}', '{"not":[]}']) {
      const run = await cli.run("query", "--plain", filter);
      assert.equal(run.code, 2, `${filter}: ${run.stderr}`);
      assert.match(run.stderr, /Malformed filter/);
    }
  });
});
