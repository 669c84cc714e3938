/**
 * Public keys through the providers, both suites (docs/cache.md, "What is kept"):
 * `server_cache_ofs` keeps other users' keys once asked and answers them offline; `ofs` knows its
 * own user's keys and refuses the others clearly; `server` keeps nothing.
 */
import assert from "node:assert/strict";
import { Arca, NotFoundError } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): public keys are kept and answered offline`, async () => {
    const server = await realHttpServer();
    let closed = false;
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob] = await newUsers(app, 2);
      const fromServer = await alice!.keys.get(bob!.userId);
      assert.equal(fromServer.userId, bob!.userId);
      assert.equal(fromServer.publicKeyType, suite === "Sodium" ? "curve25519" : "p384");
      const own = await bob!.keys.get(bob!.userId);
      assert.deepEqual(own, fromServer, "own keys from the credentials equal the server's");
      await server.close();
      closed = true;
      assert.deepEqual(await alice!.keys.get(bob!.userId), fromServer, "answered from the cache");
      await alice!.logout();
      await bob!.logout();
    } finally {
      if (!closed) await server.close();
    }
  });

  Deno.test(`cache (${suite}): ofs answers its own keys and refuses unknown users`, async () => {
    const rootDir = await Deno.makeTempDir({ prefix: "arca-cache-keys-" });
    try {
      const app = await Arca.initialize("", {
        serverUrl: "http://127.0.0.1:9",
        rootDir,
        provider: "ofs",
        suite,
        keyFileKdf: CHEAP_KDF,
        fetch: () => Promise.reject(new Error("the ofs provider must not use the network")),
      });
      const carol = await app.users.create(PASSWORD, "reminder", PASSPHRASE);
      const own = await carol.keys.get(carol.userId);
      assert.equal(own.userId, carol.userId);
      assert.equal(own.publicKey, carol.client.config.publicKey);
      const stranger = crypto.randomUUID();
      await assert.rejects(carol.keys.get(stranger), (error: unknown) => {
        assert.ok(error instanceof NotFoundError);
        assert.match(error.message, /no server to ask/);
        return true;
      });
      await carol.logout({ purge: true });
    } finally {
      await Deno.remove(rootDir, { recursive: true });
    }
  });
}
