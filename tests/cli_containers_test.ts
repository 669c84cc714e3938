/**
 * `arca container ...`, `arca access ...` and `arca events` in-process against a real server:
 * two users (two profiles) share a container, change access, read events, and move content
 * through files and standard input.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { InProcessCli } from "./_cli_helpers.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SECRETS = "Tr0ub4dor&3\ncorrect Horse battery 9\n";

Deno.test("CLI containers: create, get, update, list, access grant/revoke/show, events, delete", async (t) => {
  const server = await realHttpServer();
  const home = await Deno.makeTempDir({ prefix: "arca-cli-containers-" });
  try {
    const cli = new InProcessCli({
      HOME: home,
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: server.registrationToken,
      ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
    });
    cli.stdin = SECRETS;
    const alice: Json = await cli.json("user", "create", "--secrets-stdin");
    const bob: Json = await cli.json("--profile", "bob", "user", "create", "--secrets-stdin");
    const asBob = (...args: string[]) => cli.run("--profile", "bob", ...args);

    let id = "";
    await t.step("create from --text with a header, a type and bob's access", async () => {
      const made: Json = await cli.json(
        "container",
        "create",
        "--text",
        "hello bob",
        "--header",
        '{"subject":"hi"}',
        "--type",
        "memo",
        "--access",
        `${alice.userId}=127`,
        "--access",
        bob.userId,
      );
      id = made.id;
      assert.equal(made.version, 1);
      assert.equal(made.length, 9);
      assert.deepEqual(made.header, { subject: "hi" });
      assert.deepEqual(
        made.access.map((entry: Json) => [entry.user_id, entry.permissions]).sort(),
        [[alice.userId, 127], [bob.userId, 11]].sort(),
      );
    });

    await t.step("bob gets it: content shown, type hidden; a table without --json", async () => {
      const seen: Json = JSON.parse((await asBob("container", "get", id, "--json")).stdout);
      assert.equal(seen.content, "hello bob");
      assert.equal(seen.type, null);
      const table = await asBob("container", "get", id);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /│ content\s+│ hello bob\s+│/);
      assert.match(table.stdout, /│ header\s+│ \{"subject":"hi"\}\s+│/);
    });

    await t.step("bob may not change the type: exit 1 with the server's rule", async () => {
      const refused = await asBob("container", "update", id, "--type", "x");
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^arca: .*container\.type\.modify/m);
    });

    await t.step("update from standard input re-keys; --output writes the content", async () => {
      cli.stdin = "new words";
      const updated: Json = await cli.json("container", "update", id, "-");
      assert.equal(updated.version, 2);
      const out = join(home, "out.txt");
      const written = await asBob("container", "get", id, "--output", out);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(await Deno.readTextFile(out), "new words");
    });

    await t.step("access show, grant with names and expiry, revoke", async () => {
      const shown: Json = await cli.json("access", "show", id);
      assert.equal(shown.length, 2);
      const granted: Json = await cli.json(
        "access",
        "grant",
        id,
        bob.userId,
        "--permissions",
        "container.download,container.decrypt,container.type.view",
        "--expires",
        "2099-01-01T00:00:00Z",
      );
      const entry = granted.find((item: Json) => item.user_id === bob.userId);
      assert.equal(entry.permissions, 67);
      assert.equal(entry.expiration, Date.parse("2099-01-01T00:00:00Z") * 1000);
      const seen: Json = JSON.parse((await asBob("container", "get", id, "--json")).stdout);
      assert.equal(seen.type, "memo");
      const table = await cli.run("access", "show", id);
      assert.match(table.stdout, /container\.download, container\.decrypt, container\.type\.view/);
      const revoked: Json = await cli.json("access", "revoke", id, bob.userId);
      assert.deepEqual(revoked.map((item: Json) => item.user_id), [alice.userId]);
      const gone = await asBob("container", "get", id);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /Container not found/);
      const again = await cli.run("access", "revoke", id, bob.userId);
      assert.equal(again.code, 2);
    });

    await t.step("list and events: new since the last call, then nothing", async () => {
      const file = join(home, "in.bin");
      await Deno.writeFile(file, new Uint8Array(3000).fill(7));
      const second: Json = await cli.json("container", "create", file, "--type", "blob");
      assert.equal(second.length, 3000);
      const listed: Json = await cli.json("container", "list", "--type", "blob");
      assert.deepEqual(listed.containers.map((item: Json) => item.id), [second.id]);
      const events: Json = await cli.json("events");
      assert.ok(events.length > 0);
      assert.ok(events.some((event: Json) => event.containerId === second.id));
      assert.deepEqual(await cli.json("events"), []);
      const added: Json = await cli.json("events", "--from", "0", "--action", "added");
      assert.ok(added.every((event: Json) => event.action === "added"));
      const bobs: Json = JSON.parse((await asBob("events", "--json")).stdout);
      assert.ok(bobs.some((event: Json) => event.action === "deleted" && event.containerId === id));
    });

    await t.step("delete removes alice's access", async () => {
      const deleted: Json = await cli.json("container", "delete", id);
      assert.deepEqual(deleted, { id, deleted: true });
      const gone = await cli.run("container", "get", id);
      assert.equal(gone.code, 1);
    });

    await t.step("bad arguments are usage errors", async () => {
      assert.equal((await cli.run("container", "create")).code, 2);
      assert.equal((await cli.run("container", "get", "not-a-uuid")).code, 2);
      const bits = await cli.run("access", "grant", id, bob.userId, "--permissions", "128");
      assert.equal(bits.code, 2);
      assert.equal((await cli.run("events", "--action", "eaten")).code, 2);
    });
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("CLI events --follow prints stored then live events until stopped", async () => {
  const server = await realHttpServer();
  const home = await Deno.makeTempDir({ prefix: "arca-cli-events-" });
  try {
    const cli = new InProcessCli({
      HOME: home,
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: server.registrationToken,
      ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
    });
    cli.stdin = SECRETS;
    await cli.json("user", "create", "--secrets-stdin");
    const made: Json = await cli.json("container", "create", "--text", "one", "--type", "t1");
    const writer = new InProcessCli(Object.fromEntries(cli.env));
    const following = cli.run("events", "--follow", "--json", "--container-id", made.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.json("container", "update", made.id, "--type", "t2");
    // Give the live event time to arrive, then stop the command as Ctrl-C would.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    cli.stop();
    const run = await following;
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines[0].action, "added");
    assert.ok(lines.some((event: Json) => event.action === "updated"));
    const ids = lines.map((event: Json) => event.eventId);
    assert.deepEqual(ids, [...new Set(ids)].sort((a, b) => a - b));
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});
