/**
 * The `arca` CLI end to end against a real server: in-process runs (fast, every command) and
 * `deno run -A cli.ts` subprocesses (exit codes, --json output, usage errors).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { type CliRun, InProcessCli, runCliProcess, withHome } from "./_cli_helpers.ts";
import {
  startHttpServer,
  TEST_ADMIN_TOKEN,
  TEST_REGISTRATION_TOKEN,
  withServer,
} from "./_sdk_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A failed run: the exit code and exactly one `arca: ...` line on stderr, no stack trace. */
function assertFailure(run: CliRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `expected exit ${code}: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${run.stderr}`);
  assert.match(lines[0]!, /^arca: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

Deno.test("CLI in-process: register, profile, records, query, sharing", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const alice: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      assert.equal(alice.name, "alice");
      assert.equal(alice.suite, "Sodium");
      assert.equal(alice.path, join(home, ".tozny", "e3db.json"));
      const bob: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "bob",
        "--profile",
        "bob",
      );
      assert.equal(bob.path, join(home, ".tozny", "bob", "e3db.json"));

      const shown = await cli.run("profile", "show", "--json");
      assert.equal(shown.code, 0);
      const saved = await Config.load(undefined, { home });
      assert.ok(!shown.stdout.includes(saved.apiSecret), "no API secret");
      assert.ok(!shown.stdout.includes(saved.privateKey), "no private key");
      assert.ok(!shown.stdout.includes(saved.privateSigningKey!), "no private signing key");
      assert.equal(JSON.parse(shown.stdout).clientId, alice.clientId);
      const table = await cli.run("profile", "show");
      assert.match(table.stdout, /client id.*│ [0-9a-f-]{36}/);

      const written: Json = await cli.json(
        "write",
        "contact",
        "--data",
        '{"name":"Jon","email":"jon@example.com"}',
        "--plain",
        '{"house":"Stark"}',
      );
      const id = written.meta.recordId;
      assert.equal(written.data.name, "Jon");
      const read: Json = await cli.json("read", id);
      assert.deepEqual(read.data, { name: "Jon", email: "jon@example.com" });
      assert.ok(read.signature);
      const human = await cli.run("read", id);
      assert.match(human.stdout, /data\.name\s+│ Jon/);

      const updated: Json = await cli.json("update", id, "--data", '{"name":"Jon Snow"}');
      assert.deepEqual(updated.meta.plain, { house: "Stark" }, "plain kept");
      assert.notEqual(updated.meta.version, written.meta.version);
      assertFailure(
        await cli.run("update", id, "--data", '{"a":"b"}', "--version", written.meta.version),
        1,
        /Record version is stale \(HTTP 409\)/,
      );

      await cli.json(
        "write",
        "contact",
        "--data",
        '{"name":"Arya"}',
        "--plain",
        '{"house":"Stark"}',
      );
      await cli.json(
        "write",
        "contact",
        "--data",
        '{"name":"Cersei"}',
        "--plain",
        '{"house":"Lannister"}',
      );
      const starks: Json = await cli.json(
        "query",
        "--type",
        "contact",
        "--plain",
        '{"house":"Stark"}',
      );
      assert.deepEqual(starks.map((r: Json) => r.data.name).sort(), ["Arya", "Jon Snow"]);
      const dsl: Json = await cli.json(
        "query",
        "--plain",
        '{"not":{"eq":{"name":"house","value":"Stark"}}}',
        "--no-data",
      );
      assert.equal(dsl.length, 1);
      assert.deepEqual(dsl[0].data, {});
      assert.equal(
        (await cli.json("query", "--limit", "2", "--page-size", "1") as Json[]).length,
        2,
      );
      const queryTable = await cli.run("query", "--type", "nothing");
      assert.equal(queryTable.stdout, "No records\n");

      assertFailure(
        await cli.run("read", id, "--profile", "bob"),
        1,
        /not shared with you \(HTTP 403\)/,
      );
      const shared = await cli.run("share", "contact", bob.clientId);
      assert.equal(shared.code, 0, shared.stderr);
      const bobRead: Json = await cli.json("read", id, "--profile", "bob");
      assert.equal(bobRead.data.name, "Jon Snow");
      const sharing: Json = await cli.json("sharing");
      assert.deepEqual(sharing.outgoing, [{
        readerId: bob.clientId,
        readerName: "bob",
        recordType: "contact",
      }]);
      cli.env.set("ARCA_PROFILE", "bob");
      const incoming: Json = await cli.json("sharing", "--incoming");
      assert.deepEqual(incoming, [{
        writerId: alice.clientId,
        writerName: "alice",
        recordType: "contact",
      }]);
      const all: Json = await cli.json("query", "--all-writers", "--writer", alice.clientId);
      assert.equal(all.length, 3);
      cli.env.delete("ARCA_PROFILE");
      assert.equal((await cli.run("revoke", "contact", bob.clientId)).code, 0);
      assertFailure(await cli.run("read", id, "--profile", "bob"), 1, /HTTP 403/);

      const deleted: Json = await cli.json("delete", id);
      assert.equal(deleted.deleted, id);
      assertFailure(await cli.run("read", id), 1, /HTTP 404/);
      assertFailure(await cli.run("delete", id), 1, /not found/);
    });
  });
});

Deno.test("CLI in-process: authorizers and admin", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const writer: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "writer");
      const authorizer: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "authorizer",
        "--profile",
        "auth",
      );
      const reader: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "reader",
        "--profile",
        "reader",
      );
      const record: Json = await cli.json("write", "lab", "--data", '{"result":"ok"}');

      await cli.json("authorizer", "add", authorizer.clientId, "lab");
      const listed: Json = await cli.json("authorizer", "list");
      assert.deepEqual(listed.proxies.map((g: Json) => g.authorizerId), [authorizer.clientId]);
      const granted: Json = await cli.json("authorizer", "list", "--profile", "auth");
      assert.deepEqual(granted.granted.map((g: Json) => g.writerId), [writer.clientId]);

      const shared: Json = await cli.json(
        "authorizer",
        "share",
        writer.clientId,
        "lab",
        reader.clientId,
        "--profile",
        "auth",
      );
      assert.deepEqual(shared, {
        writerId: writer.clientId,
        recordType: "lab",
        readerId: reader.clientId,
        shared: true,
      });
      const seen: Json = await cli.json("read", record.meta.recordId, "--profile", "reader");
      assert.equal(seen.data.result, "ok");
      const revoked: Json = await cli.json(
        "authorizer",
        "revoke",
        writer.clientId,
        "lab",
        reader.clientId,
        "--profile",
        "auth",
      );
      assert.equal(revoked.revoked, true);
      assertFailure(
        await cli.run("read", record.meta.recordId, "--profile", "reader"),
        1,
        /HTTP 403/,
      );
      await cli.json("authorizer", "remove", authorizer.clientId);
      assertFailure(
        await cli.run(
          "authorizer",
          "share",
          writer.clientId,
          "lab",
          reader.clientId,
          "--profile",
          "auth",
        ),
        1,
        /not an authorizer/,
      );

      assertFailure(await cli.run("admin", "clients"), 2, /ARCA_ADMIN_TOKEN/);
      cli.env.set("ARCA_ADMIN_TOKEN", TEST_ADMIN_TOKEN);
      const clients: Json = await cli.json("admin", "clients");
      assert.equal(clients.length, 3);
      const issued: Json = await cli.json("admin", "token", "create", "--name", "ci", "--reusable");
      assert.equal(issued.oneTime, false);
      assert.equal(typeof issued.token, "string");
      const tokens: Json = await cli.json("admin", "token", "list");
      assert.ok(tokens.some((t: Json) => t.tokenId === issued.tokenId && !("token" in t)));
      await cli.json("admin", "token", "revoke", issued.tokenId);
      const after: Json = await cli.json("admin", "token", "list");
      assert.ok(after.some((t: Json) => t.tokenId === issued.tokenId && t.revoked));
      const tokenTable = await cli.run("admin", "token", "list");
      assert.match(tokenTable.stdout, /token id/);
      cli.env.set("ARCA_ADMIN_TOKEN", "wrong");
      assertFailure(await cli.run("admin", "clients"), 1, /Admin token is missing or wrong/);
    });
  });
});

Deno.test("CLI in-process: NIST registration and records", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url, ARCA_CRYPTO_SUITE: "NIST" });
      const registered: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "nist");
      assert.equal(registered.suite, "NIST");
      const config = await Config.load(undefined, { home });
      assert.equal(config.cryptoSuite, "NIST");
      const written: Json = await cli.json("write", "t", "--data", '{"k":"v"}');
      const read: Json = await cli.json("read", written.meta.recordId);
      assert.equal(read.data.k, "v");
      const other: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "s",
        "--profile",
        "s",
        "--suite",
        "sodium",
      );
      assert.equal(other.suite, "Sodium");
    });
  });
});

Deno.test("CLI in-process: usage errors exit 2, help exits 0", async () => {
  await withHome(async (home) => {
    const cli = new InProcessCli({ HOME: home, ARCA_API_URL: "http://127.0.0.1:9" });
    const cases: [string[], RegExp][] = [
      [["bogus"], /unknown command 'bogus'/],
      [["read"], /missing required argument 'id'/],
      [["write", "t"], /required option '--data <json>' not specified/],
      [["write", "t", "--data", "{bad"], /Not valid JSON/],
      [["write", "t", "--data", '{"n":1}'], /Value "n" must be a string/],
      [["read", "not-a-uuid"], /Expected a UUID/],
      [["query", "--limit", "0"], /Expected an integer from 1/],
      [["query", "--page-size", "5000"], /Expected an integer from 1 to 1000/],
      [["query", "--writer", "x"], /Expected a UUID/],
      [["sharing", "--incoming", "--outgoing"], /not both/],
      [["register", "t", "n", "--suite", "rsa"], /Unknown crypto suite "rsa"/],
      [["read", "0e8eb8c6-839f-46ca-9843-801c539e490f", "--nope"], /unknown option '--nope'/],
    ];
    for (const [args, pattern] of cases) {
      const run = await cli.run(...args);
      assertFailure(run, 2, pattern);
      assert.equal(run.stdout, "");
    }
    const help = await cli.run("--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: arca/);
    const noProfile = await cli.run("read", "0e8eb8c6-839f-46ca-9843-801c539e490f");
    assertFailure(noProfile, 1, /No credential file at/);
  });
});

Deno.test("CLI in-process: register refuses to replace a profile unless --overwrite", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const first: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "first");
      assertFailure(
        await cli.run("register", TEST_REGISTRATION_TOKEN, "second"),
        2,
        /already exists: save this one under another name with --profile NAME \(or replace it with --overwrite, which loses its client's keys\)/,
      );
      assert.equal((await Config.load(undefined, { home })).clientId, first.clientId);
      // --overwrite asks first; anything but "y" keeps the file.
      cli.stdin = "n\n";
      const refused = await cli.run("register", TEST_REGISTRATION_TOKEN, "second", "--overwrite");
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /Replace ".*e3db.json"\? Its client's private keys are lost/);
      assert.match(refused.stderr, /arca: Not confirmed: nothing replaced/);
      assert.equal((await Config.load(undefined, { home })).clientId, first.clientId);
      cli.stdin = "y\n";
      const confirmed: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "confirmed",
        "--overwrite",
      );
      assert.equal((await Config.load(undefined, { home })).clientId, confirmed.clientId);
      cli.stdin = undefined;
      const second: Json = await cli.json(
        "register",
        TEST_REGISTRATION_TOKEN,
        "second",
        "--overwrite",
        "--yes",
      );
      assert.equal((await Config.load(undefined, { home })).clientId, second.clientId);
      assertFailure(await cli.run("register", "wrong-token", "x", "--profile", "p"), 1, /HTTP 401/);
    });
  });
});

Deno.test("CLI in-process: serve runs a server until stopped", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-cli-serve-" });
  try {
    const cli = new InProcessCli({ ARCA_REGISTRATION_TOKEN: "serve-token" });
    let stdout = "";
    const io = {
      out: (text: string) => void (stdout += text),
      err: (_text: string) => {},
      env: cli.env,
      stopSignal: () => new Promise<void>((resolve) => stop = resolve),
    };
    let stop: () => void = () => {};
    const { runCli } = await import("../lib/cli/main.ts");
    const running = runCli(["serve", "--port", "0", "--data-dir", dataDir, "--json"], io);
    let url: string | undefined;
    for (let i = 0; i < 200 && url === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const line = stdout.split("\n").find((text) => text.startsWith("{"));
      if (line !== undefined) url = JSON.parse(line).url;
    }
    assert.ok(url, "serve printed its URL");
    const keys = await Client.generateKeypair("Sodium");
    const registration = await Client.register("serve-token", "via-serve", keys, { apiUrl: url });
    assert.match(registration.clientId, /^[0-9a-f-]{36}$/);
    stop();
    assert.equal(await running, 0);
    assert.ok((await Deno.stat(join(dataDir, "arca.sqlite3"))).isFile);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("CLI subprocess: deno run -A cli.ts, exit codes and --json", async () => {
  const server = await startHttpServer();
  try {
    await withHome(async (home) => {
      const env = { HOME: home, ARCA_API_URL: server.url };
      const registered = await runCliProcess(
        ["register", TEST_REGISTRATION_TOKEN, "proc", "--json"],
        env,
      );
      assert.equal(registered.code, 0, registered.stderr);
      const registration = JSON.parse(registered.stdout);
      assert.match(registration.clientId, /^[0-9a-f-]{36}$/);
      const file = JSON.parse(await Deno.readTextFile(join(home, ".tozny", "e3db.json")));
      assert.equal(file.version, "2");

      const written = await runCliProcess(
        ["write", "note", "--data", '{"text":"hello"}', "--json"],
        env,
      );
      assert.equal(written.code, 0, written.stderr);
      const id = JSON.parse(written.stdout).meta.recordId;
      const read = await runCliProcess(["--json", "read", id], env);
      assert.equal(read.code, 0, read.stderr);
      assert.equal(JSON.parse(read.stdout).data.text, "hello");

      const usage = await runCliProcess(["write", "note", "--data", "nope"], env);
      assertFailure(usage, 2, /Not valid JSON/);
      const missing = await runCliProcess(["read", "00000000-0000-4000-8000-000000000000"], env);
      assertFailure(missing, 1, /HTTP 404/);
      assert.ok(!missing.stderr.includes(file.api_secret));
      const help = await runCliProcess(["--help"], env);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Commands:/);
    });
  } finally {
    await server.close();
  }
});
