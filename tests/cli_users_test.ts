/**
 * `arca user ...` end to end against a real server, in both suites: in-process runs for every
 * command and failure, and `deno run cli.ts` subprocesses with secrets piped on standard input.
 */
import assert from "node:assert/strict";
import { keyFilePath } from "../lib/sdk/cache/partition.ts";
import { join } from "node:path";
import { Config } from "../lib/sdk/config.ts";
import { type CliRun, InProcessCli, runCliProcess } from "./_cli_helpers.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SECRETS = "Tr0ub4dor&3\ncorrect Horse battery 9\n";

function assertFailure(run: CliRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `expected exit ${code}: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split("\n");
  assert.match(lines.at(-1)!, /^arca: /);
  assert.match(lines.at(-1)!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

for (const suite of ["Sodium", "NIST"] as const) {
  Deno.test(`CLI users in-process (${suite}): every command and its failures`, async (t) => {
    const server = await realHttpServer({ keyFileAttemptsPerAddress: 1000 });
    const home = await Deno.makeTempDir({ prefix: "arca-cli-users-" });
    try {
      const cli = new InProcessCli({
        HOME: home,
        ARCA_API_URL: server.url,
        ARCA_REGISTRATION_TOKEN: server.registrationToken,
        ARCA_CRYPTO_SUITE: suite,
        ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
      });
      cli.stdin = SECRETS;
      const created: Json = await cli.json(
        "user",
        "create",
        "--reminder",
        "the horse",
        "--secrets-stdin",
      );
      const id: string = created.userId;

      await t.step("create saves the profile and the local key file", async () => {
        assert.equal(created.suite, suite);
        assert.equal(created.path, join(home, ".tozny", "e3db.json"));
        assert.equal(created.keyFile, keyFilePath(join(home, ".arca"), id));
        assert.ok(await exists(created.keyFile));
        assert.equal((await Config.load(undefined, { home })).clientId, id);
        // The profile is the user's client: the record commands work as the user.
        const written: Json = await cli.json("write", "diary", "--data", '{"entry":"hello"}');
        assert.equal(written.meta.writerId, id);
      });

      await t.step("reminder and keys", async () => {
        const reminder: Json = await cli.json("user", "reminder", id);
        assert.deepEqual(reminder, { userId: id, reminder: "the horse" });
        assert.equal((await cli.run("user", "reminder", id)).stdout, "the horse\n");
        const keys: Json = await cli.json("user", "keys", id);
        const config = await Config.load(undefined, { home });
        assert.equal(keys.publicKey, config.publicKey);
        assert.equal(keys.signingKey, config.publicSigningKey);
        const text = JSON.stringify(keys);
        assert.ok(!text.includes(config.privateKey) && !text.includes("private"));
      });

      await t.step("login: password needs a local copy, the passphrase fetches one", async () => {
        const fresh = join(home, "fresh");
        cli.stdin = "Tr0ub4dor&3\n";
        const refused = await cli.run(
          "user",
          "login",
          id,
          "--root-dir",
          fresh,
          "--secrets-stdin",
          "--profile",
          "laptop",
        );
        assertFailure(refused, 1, /give the passphrase/);
        cli.stdin = "correct Horse battery 9\n";
        const logged: Json = await cli.json(
          "user",
          "login",
          id,
          "--root-dir",
          fresh,
          "--passphrase-only",
          "--secrets-stdin",
          "--profile",
          "laptop",
        );
        assert.equal(logged.userId, id);
        assert.equal(logged.checksum, created.checksum);
        assert.equal(logged.path, join(home, ".tozny", "laptop", "e3db.json"));
        assert.ok(await exists(keyFilePath(fresh, id)));
        cli.stdin = "Wr0ng-password\n";
        const wrong = await cli.run(
          "user",
          "login",
          id,
          "--secrets-stdin",
          "--profile",
          "other",
        );
        assertFailure(wrong, 1, /key file/);
        assert.equal(await exists(join(home, ".tozny", "other", "e3db.json")), false);
      });

      await t.step("create refuses a weak password before sending anything", async () => {
        cli.stdin = "weak\ncorrect Horse battery 9\n";
        const weak = await cli.run("user", "create", "--secrets-stdin", "--profile", "weak");
        assertFailure(weak, 1, /default password rule/);
        assert.equal(await exists(join(home, ".tozny", "weak", "e3db.json")), false);
        cli.stdin = undefined;
        const noSecrets = await cli.run("user", "create", "--profile", "weak");
        assertFailure(noSecrets, 2, /--secrets-stdin/);
      });

      await t.step("change-credentials: a new checksum; the new password works", async () => {
        cli.stdin = "N3w-password!\nnew Passphrase 22\n";
        const changed: Json = await cli.json(
          "user",
          "change-credentials",
          "--secrets-stdin",
          "--reminder",
          "new reminder",
        );
        assert.equal(changed.userId, id);
        assert.notEqual(changed.checksum, created.checksum);
        assert.equal((await cli.json("user", "reminder", id) as Json).reminder, "new reminder");
        cli.stdin = "N3w-password!\n";
        const again: Json = await cli.json(
          "user",
          "login",
          id,
          "--secrets-stdin",
          "--profile",
          "again",
        );
        assert.equal(again.checksum, changed.checksum);
      });

      await t.step("delete asks first; --yes deletes and removes the profile", async () => {
        cli.stdin = "n\n";
        const declined = await cli.run("user", "delete");
        assertFailure(declined, 2, /Not confirmed/);
        const deleted: Json = await cli.json("user", "delete", "--yes");
        assert.deepEqual(deleted, { deleted: id });
        assert.equal(await exists(join(home, ".tozny", "e3db.json")), false);
        const stale = await cli.run(
          "write",
          "diary",
          "--data",
          '{"entry":"x"}',
          "--profile",
          "laptop",
        );
        assertFailure(stale, 1, /HTTP 401/);
        assertFailure(await cli.run("user", "reminder", id), 1, /unknown user/);
      });
    } finally {
      await server.close();
      await Deno.remove(home, { recursive: true });
    }
  });
}

Deno.test("CLI users as a subprocess: secrets on stdin, --json, usage errors", async () => {
  const server = await realHttpServer();
  const home = await Deno.makeTempDir({ prefix: "arca-cli-users-" });
  try {
    const env = {
      HOME: home,
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: server.registrationToken,
      ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
    };
    const created = await runCliProcess(
      ["user", "create", "--reminder", "r", "--secrets-stdin", "--json"],
      env,
      SECRETS,
    );
    assert.equal(created.code, 0, created.stderr);
    const id = JSON.parse(created.stdout).userId;
    const login = await runCliProcess(
      ["user", "login", id, "--secrets-stdin", "--json", "--profile", "p2"],
      env,
      "Tr0ub4dor&3\n",
    );
    assert.equal(login.code, 0, login.stderr);
    assert.equal(JSON.parse(login.stdout).userId, id);
    const noTty = await runCliProcess(["user", "login", id, "--profile", "p3"], env);
    assertFailure(noTty, 2, /--secrets-stdin/);
    const badId = await runCliProcess(["user", "reminder", "not-a-uuid"], env);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /Expected a UUID/);
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});
