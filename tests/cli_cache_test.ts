/**
 * `arca cache stats|purge`, `--provider` and `--cached` in-process: a cached read keeps working
 * once the server is gone, `ofs` works with no server, and purge empties the partition.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { InProcessCli } from "./_cli_helpers.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SECRETS = "Tr0ub4dor&3\ncorrect Horse battery 9\n";

Deno.test("CLI cache: --cached reads offline, stats, purge, and --provider ofs", async () => {
  const server = await realHttpServer();
  const home = await Deno.makeTempDir({ prefix: "arca-cli-cache-" });
  let closed = false;
  try {
    const cli = new InProcessCli({
      HOME: home,
      ARCA_API_URL: server.url,
      ARCA_REGISTRATION_TOKEN: server.registrationToken,
      ARCA_KEY_FILE_KDF: JSON.stringify(CHEAP_KDF),
    });
    cli.stdin = SECRETS;
    await cli.json("user", "create", "--secrets-stdin");
    const made: Json = await cli.json("container", "create", "--text", "cached text");
    const empty: Json = await cli.json("cache", "stats");
    assert.equal(empty.containers, 1); // The write filled the cache.
    assert.equal(((await cli.json("container", "get", made.id)) as Json).content, "cached text");

    await server.close();
    closed = true;
    const offline: Json = await cli.json("container", "get", made.id, "--cached");
    assert.equal(offline.content, "cached text");
    const refused = await cli.run("container", "get", made.id);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Cannot reach/);
    const stats: Json = await cli.json("cache", "stats");
    assert.ok(stats.rows >= 1 && stats.bytes > 0);
    assert.deepEqual(await cli.json("cache", "purge"), { purged: true });
    assert.equal(((await cli.json("cache", "stats")) as Json).rows, 0);
    const gone = await cli.run("container", "get", made.id, "--cached");
    assert.equal(gone.code, 1);

    const local = join(home, "local");
    const ofs = ["--provider", "ofs", "--root-dir", local];
    const kept: Json = await cli.json("container", "create", "--text", "no server", ...ofs);
    assert.equal(
      ((await cli.json("container", "get", kept.id, ...ofs)) as Json).content,
      "no server",
    );
    assert.deepEqual(
      ((await cli.json("container", "list", ...ofs)) as Json).containers.map((c: Json) => c.id),
      [kept.id],
    );
    const bad = await cli.run("container", "list", "--provider", "cloud");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /provider must be one of/);
  } finally {
    if (!closed) await server.close();
    await Deno.remove(home, { recursive: true });
  }
});
