/** `arca admin clients list|disable|enable|delete` against a real server (issue 10, #10). */
import assert from "node:assert/strict";
import { InProcessCli } from "./_cli_helpers.ts";
import { TEST_ADMIN_TOKEN, TEST_REGISTRATION_TOKEN, withServer } from "./_sdk_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("CLI admin clients: disable, enable, delete (with confirmation), --json", async () => {
  await withServer(async ({ url }) => {
    const home = await Deno.makeTempDir({ prefix: "arca-cli-admin-" });
    try {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      const alice: Json = await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      await cli.json("write", "note", "--data", '{"body":"hi"}');
      cli.env.set("ARCA_ADMIN_TOKEN", TEST_ADMIN_TOKEN);

      const disabled: Json = await cli.json("admin", "clients", "disable", alice.clientId);
      assert.equal(disabled.disabled, true);
      const listed: Json = await cli.json("admin", "clients");
      assert.equal(listed.find((c: Json) => c.clientId === alice.clientId).disabled, true);
      const table = await cli.run("admin", "clients", "list");
      assert.match(table.stdout, /disabled/);
      const refused = await cli.run("query", "--type", "note");
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /Client is disabled/);

      const enabled: Json = await cli.json("admin", "clients", "enable", alice.clientId);
      assert.equal(enabled.disabled, false);
      assert.equal((await cli.run("query", "--type", "note")).code, 0);

      cli.stdin = "no\n";
      const declined = await cli.run("admin", "clients", "delete", alice.clientId);
      assert.equal(declined.code, 2, declined.stderr);
      assert.match(declined.stderr, /Not confirmed: nothing deleted/);
      assert.equal(((await cli.json("admin", "clients")) as Json).length, 1);

      cli.stdin = "y\n";
      const confirmed = await cli.run("admin", "clients", "delete", alice.clientId);
      assert.equal(confirmed.code, 0, confirmed.stderr);
      assert.match(confirmed.stdout, /Deleted client/);
      assert.deepEqual(await cli.json("admin", "clients"), []);
      cli.stdin = undefined;
      const missing = await cli.run("admin", "clients", "delete", alice.clientId, "--yes");
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Client not found/);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  });
});
