/** `arca note …`, `arca login` and `arca admin realm|identity …` against a real server. */
import assert from "node:assert/strict";
import { runCli } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { Config } from "../lib/sdk/config.ts";
import { TEST_ADMIN_TOKEN, TEST_REGISTRATION_TOKEN, withServer } from "./_sdk_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `arca` in-process with an environment and, optionally, standard input. */
function cli(env: Record<string, string>) {
  return async (args: string[], stdin?: string): Promise<Run> => {
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      out: (text) => void (stdout += text),
      err: (text) => void (stderr += text),
      env: new Map(Object.entries(env)),
      stopSignal: () => new Promise(() => {}),
      stdin: () => Promise.resolve(stdin ?? ""),
    };
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  };
}

async function withHome(body: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "arca-cli-notes-" });
  try {
    await body(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function json(run: Run): Json {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

Deno.test("CLI: note write (flag, stdin, file), read by id and name, burn, delete", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const arca = cli({ HOME: home, ARCA_API_URL: url });
      json(
        await arca([
          "register",
          TEST_REGISTRATION_TOKEN,
          "writer",
          "--profile",
          "writer",
          "--json",
        ]),
      );
      json(
        await arca([
          "register",
          TEST_REGISTRATION_TOKEN,
          "reader",
          "--profile",
          "reader",
          "--json",
        ]),
      );
      const reader = await Config.load("reader", { home });
      const to = ["--to-key", reader.publicKey, "--to-signing-key", reader.publicSigningKey!];

      const written = json(
        await arca([
          "--profile",
          "writer",
          "note",
          "write",
          ...to,
          "--data",
          '{"secret":"from a flag"}',
          "--max-views",
          "1",
          "--json",
        ]),
      );
      assert.match(written.noteId, /^[0-9a-f-]{36}$/);
      assert.equal(written.maxViews, 1);
      assert.equal(written.data, undefined, "the written data is not echoed");
      const read = json(
        await arca(["--profile", "reader", "note", "read", written.noteId, "--json"]),
      );
      assert.deepEqual(read.data, { secret: "from a flag" });
      const burned = await arca(["--profile", "reader", "note", "read", written.noteId]);
      assert.equal(burned.code, 1);
      assert.match(burned.stderr, /^arca: .*not found/i);

      const piped = json(
        await arca(
          [
            "--profile",
            "writer",
            "note",
            "write",
            ...to,
            "--field",
            "letter",
            "--name",
            "letter-1",
            "--json",
          ],
          "Dear reader,\nhello.\n",
        ),
      );
      const byName = await arca(["--profile", "reader", "note", "read", "--name", "letter-1"]);
      assert.equal(byName.code, 0, byName.stderr);
      assert.match(byName.stdout, /data\.letter/);
      const again = json(
        await arca(["--profile", "reader", "note", "read", piped.noteId, "--json"]),
      );
      assert.equal(again.data.letter, "Dear reader,\nhello.\n");

      const file = `${home}/note.json`;
      await Deno.writeTextFile(file, '{"a":"1","b":"2"}');
      const fromFile = json(
        await arca(["--profile", "writer", "note", "write", ...to, "--file", file, "--json"]),
      );
      const jsonStdin = json(
        await arca(["--profile", "writer", "note", "write", ...to, "--json"], '{"c":"3"}'),
      );
      assert.deepEqual(
        json(await arca(["--profile", "reader", "note", "read", fromFile.noteId, "--json"])).data,
        { a: "1", b: "2" },
      );
      assert.deepEqual(
        json(await arca(["--profile", "reader", "note", "read", jsonStdin.noteId, "--json"])).data,
        { c: "3" },
      );

      const deleted = await arca(["--profile", "writer", "note", "delete", fromFile.noteId]);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.match(deleted.stdout, /Deleted note/);
      assert.equal((await arca(["--profile", "reader", "note", "read", fromFile.noteId])).code, 1);

      // usage errors: exit 2
      const notJson = await arca(["--profile", "writer", "note", "write", ...to], "not json");
      assert.equal(notJson.code, 2);
      assert.equal((await arca(["--profile", "reader", "note", "read"])).code, 2);
      assert.equal((await arca(["--profile", "reader", "note", "read", "not-a-uuid"])).code, 2);
      const both = await arca([
        "--profile",
        "writer",
        "note",
        "write",
        ...to,
        "--data",
        "{}",
        "--file",
        file,
      ]);
      assert.equal(both.code, 2);
    });
  });
});

Deno.test("CLI: admin realm and identity, then arca login writes a working profile", async () => {
  await withServer(async ({ url }) => {
    await withHome(async (home) => {
      const arca = cli({ HOME: home, ARCA_API_URL: url, ARCA_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
      const realm = json(await arca(["admin", "realm", "create", "CliRealm", "--json"]));
      assert.equal(realm.domain, "clirealm");
      const list = await arca(["admin", "realm", "list"]);
      assert.match(list.stdout, /CliRealm/);
      const made = json(
        await arca(
          ["admin", "identity", "register", "CliRealm", "Carol", "--password-stdin", "--json"],
          "open sesame\n",
        ),
      );
      assert.equal(made.username, "carol");

      const wrong = await arca(
        ["--profile", "carol", "login", "carol", "--realm", "CliRealm", "--password-stdin"],
        "open barley\n",
      );
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /^arca: Invalid username or password/);
      const noPassword = await arca([
        "--profile",
        "carol",
        "login",
        "carol",
        "--realm",
        "CliRealm",
      ]);
      assert.equal(noPassword.code, 2);

      const login = json(
        await arca(
          [
            "--profile",
            "carol",
            "login",
            "carol",
            "--realm",
            "CliRealm",
            "--password-stdin",
            "--json",
          ],
          "open sesame\n",
        ),
      );
      assert.equal(login.clientId, made.clientId);
      const config = await Config.load("carol", { home });
      assert.equal(config.clientId, made.clientId);
      const record = json(
        await arca(["--profile", "carol", "write", "diary", "--data", '{"entry":"hi"}', "--json"]),
      );
      const back = json(await arca(["--profile", "carol", "read", record.meta.recordId, "--json"]));
      assert.equal(back.data.entry, "hi");

      const again = await arca(
        ["--profile", "carol", "login", "carol", "--realm", "CliRealm", "--password-stdin"],
        "open sesame\n",
      );
      assert.equal(again.code, 2, "an existing profile is not overwritten");
      const deleted = await arca(["admin", "identity", "delete", "CliRealm", "carol"]);
      assert.equal(deleted.code, 0, deleted.stderr);
      const noAdmin = await cli({ HOME: home, ARCA_API_URL: url })(["admin", "realm", "list"]);
      assert.equal(noAdmin.code, 2);
    });
  });
});
