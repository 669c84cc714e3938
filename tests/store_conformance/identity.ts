/** Conformance: realms, identities, login sessions and identity tokens. */
import assert from "node:assert/strict";
import type { IdentityRow } from "../../lib/store/identity.ts";
import type { Store } from "../../lib/store/store.ts";
import { SECOND, type StoreTest, T0 } from "./_fixtures.ts";
async function seedIdentity(store: Store, username = "alice"): Promise<IdentityRow> {
  const accountId = crypto.randomUUID();
  await store.accounts.create({ accountId, name: "a", created: T0 });
  const clientId = crypto.randomUUID();
  await store.clients.create({
    clientId,
    accountId,
    name: "c",
    publicKeyType: "curve25519",
    publicKey: "pk",
    signingKeyType: "ed25519",
    signingKey: "sk",
    apiKeyId: `key-${clientId}`,
    apiSecretHash: "h",
    backupClientId: clientId,
    backedUp: null,
    created: T0,
  });
  await store.identity.createRealm({
    name: "Acme",
    domain: "acme",
    brokerId: crypto.randomUUID(),
    created: T0,
  })
    .catch(() => false);
  const identity: IdentityRow = {
    identityId: crypto.randomUUID(),
    realmDomain: "acme",
    username,
    clientId,
    signingKey: `signing-${username}`,
    encryptionKey: `enc-${username}`,
    created: T0,
  };
  assert.equal(await store.identity.create(identity), true);
  return identity;
}

export function identityConformance(test: StoreTest): void {
  test("realms: unique domains, listed in order", async (store) => {
    assert.equal(
      await store.identity.createRealm({ name: "Zed", domain: "zed", brokerId: "b1", created: T0 }),
      true,
    );
    assert.equal(
      await store.identity.createRealm({ name: "ZED", domain: "zed", brokerId: "b2", created: T0 }),
      false,
    );
    assert.equal(
      await store.identity.createRealm({
        name: "Acme",
        domain: "acme",
        brokerId: "b3",
        created: T0,
      }),
      true,
    );
    assert.deepEqual((await store.identity.listRealms()).map((r) => r.name), ["Acme", "Zed"]);
    assert.equal((await store.identity.getRealm("zed"))?.brokerId, "b1");
    assert.equal(await store.identity.getRealm("none"), undefined);
  });

  test("identities: unique per realm, found by name and id, deleted with cascade", async (store) => {
    const alice = await seedIdentity(store, "alice");
    await seedIdentity(store, "bob");
    assert.deepEqual(await store.identity.get("acme", "alice"), alice);
    assert.deepEqual(await store.identity.getById(alice.identityId), alice);
    assert.equal(await store.identity.create({ ...alice, identityId: crypto.randomUUID() }), false);
    assert.deepEqual((await store.identity.list("acme")).map((i) => i.username), ["alice", "bob"]);

    await store.identity.createLoginSession({
      sessionId: crypto.randomUUID(),
      identityId: alice.identityId,
      appName: "account",
      codeChallenge: "c",
      stage: "continue",
      sessionCodeHash: null,
      execution: "e",
      tabId: "t",
      expires: T0 + SECOND,
    });
    await store.identity.createToken({
      tokenHash: "h1",
      kind: "access",
      identityId: alice.identityId,
      expires: T0 + SECOND,
    });
    assert.equal(await store.identity.delete(alice.identityId), true);
    assert.equal(await store.identity.delete(alice.identityId), false);
    assert.equal(await store.identity.findToken("h1"), undefined);
  });

  test("login sessions advance once, before expiry, and are consumed once", async (store) => {
    const alice = await seedIdentity(store);
    const session = {
      sessionId: crypto.randomUUID(),
      identityId: alice.identityId,
      appName: "account",
      codeChallenge: "challenge",
      stage: "continue" as const,
      sessionCodeHash: null,
      execution: "exec",
      tabId: "tab",
      expires: T0 + 10 * SECOND,
    };
    await store.identity.createLoginSession(session);
    assert.deepEqual(await store.identity.getLoginSession(session.sessionId), session);
    assert.equal(
      await store.identity.advanceLoginSession(session.sessionId, "code", T0 + 10 * SECOND),
      false,
    );
    assert.equal(await store.identity.advanceLoginSession(session.sessionId, "code", T0), true);
    assert.equal(await store.identity.advanceLoginSession(session.sessionId, "code2", T0), false);
    const advanced = await store.identity.getLoginSession(session.sessionId);
    assert.equal(advanced?.stage, "fetch");
    assert.equal(advanced?.sessionCodeHash, "code");
    assert.equal(await store.identity.deleteLoginSession(session.sessionId), true);
    assert.equal(await store.identity.deleteLoginSession(session.sessionId), false);
  });

  test("identity tokens: found, deleted once, expired ones purged", async (store) => {
    const alice = await seedIdentity(store);
    const token = {
      tokenHash: "t1",
      kind: "refresh" as const,
      identityId: alice.identityId,
      expires: T0 + SECOND,
    };
    await store.identity.createToken(token);
    await store.identity.createToken({
      ...token,
      tokenHash: "t2",
      kind: "access",
      expires: T0 + 100 * SECOND,
    });
    assert.deepEqual(await store.identity.findToken("t1"), token);
    assert.equal(await store.identity.deleteExpired(T0 + SECOND), 1);
    assert.equal(await store.identity.findToken("t1"), undefined);
    assert.equal(await store.identity.deleteToken("t2"), true);
    assert.equal(await store.identity.deleteToken("t2"), false);
  });
}
