/**
 * Conformance of the note and identity parts of a Store: every backend must pass. Call
 * `noteIdentityConformance("SQLite", () => openSqliteStore(":memory:"))` from a test file.
 */
import assert from "node:assert/strict";
import type { IdentityRow } from "../lib/store/identity_store.ts";
import type { NoteRow } from "../lib/store/note_store.ts";
import type { Store } from "../lib/store/store.ts";
import type { StoreFactory } from "./store_conformance.ts";

const T0 = 1_800_000_000_000_000;
const SECOND = 1_000_000;

function note(overrides: Partial<NoteRow> = {}): NoteRow {
  return {
    noteId: crypto.randomUUID(),
    idString: null,
    clientId: null,
    ownerSigningKey: "owner",
    mode: "Sodium",
    recipientSigningKey: "recipient",
    writerSigningKey: "writer",
    writerEncryptionKey: "writer-enc",
    encryptedAccessKey: "ct.nonce",
    type: "",
    data: { secret: "a.b.c.d" },
    plain: { p: "1" },
    fileMeta: { size: 3 },
    signature: "signed",
    eacp: null,
    maxViews: -1,
    views: 0,
    expiration: null,
    created: T0,
    ...overrides,
  };
}

async function seedIdentity(store: Store, username = "alice"): Promise<IdentityRow> {
  const accountId = crypto.randomUUID();
  await store.createAccount({ accountId, name: "a", created: T0 });
  const clientId = crypto.randomUUID();
  await store.createClient({
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
  await store.createRealm({
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
  assert.equal(await store.createIdentity(identity), true);
  return identity;
}

/** Registers the conformance tests for a backend. */
export function noteIdentityConformance(name: string, open: StoreFactory): void {
  const test = (what: string, fn: (store: Store) => Promise<void>) =>
    Deno.test(`${name} store: ${what}`, async () => {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });

  test("notes round trip every field", async (store) => {
    const row = note({
      idString: "n",
      clientId: crypto.randomUUID(),
      eacp: { tozid_eacp: { realm_name: "A" } },
      expiration: T0 + SECOND,
      maxViews: 4,
      views: 1,
    });
    assert.equal(await store.insertNote(row), true);
    assert.deepEqual(await store.getNote({ noteId: row.noteId }, T0), row);
    assert.deepEqual(await store.getNote({ idString: "n" }, T0), row);
    assert.equal(await store.getNote({ idString: "other" }, T0), undefined);
  });

  test("note names are unique among live notes; expired names are reusable", async (store) => {
    assert.equal(await store.insertNote(note({ idString: "x", expiration: T0 + SECOND })), true);
    assert.equal(await store.insertNote(note({ idString: "x" })), false);
    assert.equal(await store.insertNote(note({ idString: null })), true);
    assert.equal(await store.insertNote(note({ idString: null })), true);
    const later = note({ idString: "x", created: T0 + SECOND });
    assert.equal(await store.insertNote(later), true);
    assert.equal((await store.getNote({ idString: "x" }, T0 + SECOND))?.noteId, later.noteId);
  });

  test("takeNoteView counts and burns at max_views", async (store) => {
    const row = note({ maxViews: 2 });
    await store.insertNote(row);
    assert.equal((await store.takeNoteView(row.noteId, T0))?.views, 1);
    assert.equal((await store.getNote({ noteId: row.noteId }, T0))?.views, 1);
    assert.equal((await store.takeNoteView(row.noteId, T0))?.views, 2);
    assert.equal(await store.getNote({ noteId: row.noteId }, T0), undefined);
    assert.equal(await store.takeNoteView(row.noteId, T0), undefined);
    const open = note({ maxViews: -1 });
    await store.insertNote(open);
    for (let i = 1; i <= 10; i++) {
      assert.equal((await store.takeNoteView(open.noteId, T0))?.views, i);
    }
  });

  test("concurrent takeNoteView never exceeds max_views", async (store) => {
    const row = note({ maxViews: 5 });
    await store.insertNote(row);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => store.takeNoteView(row.noteId, T0)),
    );
    assert.equal(results.filter((r) => r !== undefined).length, 5);
  });

  test("expired notes are invisible, untakeable and purged", async (store) => {
    const row = note({ expiration: T0 + 10 * SECOND });
    await store.insertNote(row);
    assert.ok(await store.getNote({ noteId: row.noteId }, T0 + 9 * SECOND));
    assert.equal(await store.getNote({ noteId: row.noteId }, T0 + 10 * SECOND), undefined);
    assert.equal(await store.takeNoteView(row.noteId, T0 + 10 * SECOND), undefined);
    await store.insertNote(note());
    assert.equal(await store.deleteExpiredNotes(T0 + 10 * SECOND), 1);
    assert.equal(await store.deleteExpiredNotes(T0 + 10 * SECOND), 0);
  });

  test("deleteNote reports whether it deleted", async (store) => {
    const row = note();
    await store.insertNote(row);
    assert.equal(await store.deleteNote(row.noteId), true);
    assert.equal(await store.deleteNote(row.noteId), false);
  });

  test("note writes roll back with their transaction", async (store) => {
    const row = note({ idString: "tx" });
    await assert.rejects(store.transaction(async (tx) => {
      await tx.insertNote(row);
      throw new Error("abort");
    }));
    assert.equal(await store.getNote({ idString: "tx" }, T0), undefined);
  });

  test("realms: unique domains, listed in order", async (store) => {
    assert.equal(
      await store.createRealm({ name: "Zed", domain: "zed", brokerId: "b1", created: T0 }),
      true,
    );
    assert.equal(
      await store.createRealm({ name: "ZED", domain: "zed", brokerId: "b2", created: T0 }),
      false,
    );
    assert.equal(
      await store.createRealm({ name: "Acme", domain: "acme", brokerId: "b3", created: T0 }),
      true,
    );
    assert.deepEqual((await store.listRealms()).map((r) => r.name), ["Acme", "Zed"]);
    assert.equal((await store.getRealm("zed"))?.brokerId, "b1");
    assert.equal(await store.getRealm("none"), undefined);
  });

  test("identities: unique per realm, found by name and id, deleted with cascade", async (store) => {
    const alice = await seedIdentity(store, "alice");
    await seedIdentity(store, "bob");
    assert.deepEqual(await store.getIdentity("acme", "alice"), alice);
    assert.deepEqual(await store.getIdentityById(alice.identityId), alice);
    assert.equal(await store.createIdentity({ ...alice, identityId: crypto.randomUUID() }), false);
    assert.deepEqual((await store.listIdentities("acme")).map((i) => i.username), ["alice", "bob"]);

    await store.createLoginSession({
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
    await store.createIdentityToken({
      tokenHash: "h1",
      kind: "access",
      identityId: alice.identityId,
      expires: T0 + SECOND,
    });
    assert.equal(await store.deleteIdentity(alice.identityId), true);
    assert.equal(await store.deleteIdentity(alice.identityId), false);
    assert.equal(await store.findIdentityToken("h1"), undefined);
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
    await store.createLoginSession(session);
    assert.deepEqual(await store.getLoginSession(session.sessionId), session);
    assert.equal(
      await store.advanceLoginSession(session.sessionId, "code", T0 + 10 * SECOND),
      false,
    );
    assert.equal(await store.advanceLoginSession(session.sessionId, "code", T0), true);
    assert.equal(await store.advanceLoginSession(session.sessionId, "code2", T0), false);
    const advanced = await store.getLoginSession(session.sessionId);
    assert.equal(advanced?.stage, "fetch");
    assert.equal(advanced?.sessionCodeHash, "code");
    assert.equal(await store.deleteLoginSession(session.sessionId), true);
    assert.equal(await store.deleteLoginSession(session.sessionId), false);
  });

  test("identity tokens: found, deleted once, expired ones purged", async (store) => {
    const alice = await seedIdentity(store);
    const token = {
      tokenHash: "t1",
      kind: "refresh" as const,
      identityId: alice.identityId,
      expires: T0 + SECOND,
    };
    await store.createIdentityToken(token);
    await store.createIdentityToken({
      ...token,
      tokenHash: "t2",
      kind: "access",
      expires: T0 + 100 * SECOND,
    });
    assert.deepEqual(await store.findIdentityToken("t1"), token);
    assert.equal(await store.deleteExpiredIdentityRows(T0 + SECOND), 1);
    assert.equal(await store.findIdentityToken("t1"), undefined);
    assert.equal(await store.deleteIdentityToken("t2"), true);
    assert.equal(await store.deleteIdentityToken("t2"), false);
  });
}
