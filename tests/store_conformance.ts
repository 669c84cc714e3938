/**
 * The Store conformance suite: every backend must pass it. Call
 * `storeConformance("SQLite", () => openSqliteStore(":memory:"))` from a test file; it
 * registers one `Deno.test` per behaviour, each on a fresh store.
 */
import assert from "node:assert/strict";
import type { ClientRow, GrantKey, NewRecord, PolicyRow, Store } from "../lib/store/store.ts";

/** Opens a fresh, empty, migrated store. */
export type StoreFactory = () => Promise<Store>;

const T0 = 1_800_000_000_000_000;
let idCounter = 0;

/** A fresh lower-case UUID-shaped id. */
function id(): string {
  idCounter++;
  return `00000000-0000-4000-8000-${idCounter.toString(16).padStart(12, "0")}`;
}

async function seedAccount(store: Store): Promise<string> {
  const accountId = id();
  await store.createAccount({ accountId, name: "acct", created: T0 });
  return accountId;
}

async function seedClient(store: Store, accountId: string, name = "client"): Promise<ClientRow> {
  const clientId = id();
  const client: ClientRow = {
    clientId,
    accountId,
    name,
    publicKeyType: "curve25519",
    publicKey: "pk-" + clientId,
    signingKeyType: "ed25519",
    signingKey: "sk-" + clientId,
    apiKeyId: "key-" + clientId,
    apiSecretHash: "hash-" + clientId,
    backupClientId: clientId,
    backedUp: null,
    created: T0,
  };
  await store.createClient(client);
  return client;
}

function newRecord(writerId: string, overrides: Partial<NewRecord> = {}): NewRecord {
  return {
    recordId: id(),
    writerId,
    userId: writerId,
    type: "contact",
    plain: {},
    data: { name: "a.b.c.d" },
    recSig: null,
    fileMeta: null,
    created: T0,
    lastModified: T0,
    version: id(),
    ...overrides,
  };
}

function policy(key: GrantKey, flags: Partial<PolicyRow> = {}): PolicyRow {
  return {
    ...key,
    canRead: false,
    canAuthorize: false,
    canEdit: false,
    authorizedBy: key.writerId,
    updated: T0,
    ...flags,
  };
}

/**
 * Registers the conformance tests for a backend.
 *
 * @example
 * ```ts ignore
 * storeConformance("SQLite", () => openSqliteStore(":memory:"));
 * ```
 */
export function storeConformance(backend: string, factory: StoreFactory): void {
  const test = (name: string, fn: (store: Store) => Promise<void>) =>
    Deno.test(`${backend} store: ${name}`, async () => {
      const store = await factory();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });

  test("is migrated on open", async (store) => {
    assert.ok((await store.schemaVersion()) >= 1);
  });

  test("issues strictly increasing timestamps that never fall behind the clock", async (store) => {
    const a = await store.issueTimestamp(T0);
    const b = await store.issueTimestamp(T0);
    const c = await store.issueTimestamp(T0 - 5_000_000);
    const d = await store.issueTimestamp(T0 + 10_000_000);
    assert.equal(a, T0);
    assert.equal(b, T0 + 1);
    assert.equal(c, T0 + 2);
    assert.equal(d, T0 + 10_000_000);
    await assert.rejects(() => store.issueTimestamp(-1));
    await assert.rejects(() => store.issueTimestamp(1.5));
  });

  test("creates, gets and lists accounts", async (store) => {
    assert.deepEqual(await store.listAccounts(), []);
    const accountId = await seedAccount(store);
    assert.deepEqual(await store.getAccount(accountId), { accountId, name: "acct", created: T0 });
    assert.equal(await store.getAccount(id()), undefined);
    assert.equal((await store.listAccounts()).length, 1);
  });

  test("one-time registration tokens are usable once, reusable ones always", async (store) => {
    const accountId = await seedAccount(store);
    const base = { accountId, name: "t", uses: 0, revoked: false, created: T0 };
    const once = { ...base, tokenId: id(), tokenHash: "h-once", oneTime: true };
    const many = { ...base, tokenId: id(), tokenHash: "h-many", oneTime: false };
    await store.createRegistrationToken(once);
    await store.createRegistrationToken(many);
    assert.deepEqual(await store.findRegistrationToken("h-once"), once);
    assert.equal(await store.findRegistrationToken("h-none"), undefined);
    assert.equal(await store.useRegistrationToken(once.tokenId), true);
    assert.equal(await store.useRegistrationToken(once.tokenId), false);
    for (let i = 0; i < 3; i++) assert.equal(await store.useRegistrationToken(many.tokenId), true);
    assert.equal((await store.findRegistrationToken("h-many"))?.uses, 3);
    assert.equal(await store.revokeRegistrationToken(many.tokenId), true);
    assert.equal(await store.useRegistrationToken(many.tokenId), false);
    assert.equal((await store.findRegistrationToken("h-many"))?.revoked, true);
    assert.equal(await store.revokeRegistrationToken(id()), false);
    assert.equal(await store.useRegistrationToken(id()), false);
    assert.equal((await store.listRegistrationTokens()).length, 2);
  });

  test("rejects a duplicate registration token hash", async (store) => {
    const accountId = await seedAccount(store);
    const token = {
      tokenId: id(),
      tokenHash: "dup",
      accountId,
      name: "",
      oneTime: true,
      uses: 0,
      revoked: false,
      created: T0,
    };
    await store.createRegistrationToken(token);
    await assert.rejects(() => store.createRegistrationToken({ ...token, tokenId: id() }));
  });

  test("creates, finds and lists clients", async (store) => {
    const accountId = await seedAccount(store);
    const client = await seedClient(store, accountId, "alice");
    assert.deepEqual(await store.getClient(client.clientId), client);
    assert.deepEqual(await store.findClientByApiKeyId(client.apiKeyId), client);
    assert.equal(await store.getClient(id()), undefined);
    assert.equal(await store.findClientByApiKeyId("nope"), undefined);
    await store.markClientBackedUp(client.clientId, T0 + 7);
    assert.equal((await store.getClient(client.clientId))?.backedUp, T0 + 7);
    const noSigning = { ...client, clientId: id(), apiKeyId: "other", signingKey: null };
    await store.createClient({ ...noSigning, signingKeyType: null });
    assert.equal((await store.getClient(noSigning.clientId))?.signingKey, null);
    assert.equal((await store.listClients()).length, 2);
    await assert.rejects(() => store.createClient({ ...client, clientId: id() })); // api key id
  });

  test("stores bearer tokens and purges expired ones", async (store) => {
    const client = await seedClient(store, await seedAccount(store));
    await store.createBearerToken({ tokenHash: "old", clientId: client.clientId, expires: T0 });
    await store.createBearerToken({ tokenHash: "new", clientId: client.clientId, expires: T0 + 9 });
    assert.deepEqual(await store.findBearerToken("new"), {
      tokenHash: "new",
      clientId: client.clientId,
      expires: T0 + 9,
    });
    assert.equal(await store.deleteExpiredBearerTokens(T0), 1);
    assert.equal(await store.findBearerToken("old"), undefined);
    assert.ok(await store.findBearerToken("new"));
  });

  test("inserts and reads records with JSON, signatures and sequence", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const first = await store.insertRecord(newRecord(writer.clientId, {
      plain: { 'héllo "quoted"': "wörld 🔒", empty: "" },
      recSig: "c2ln",
      fileMeta: { size: 3, checksum: "x" },
    }));
    const second = await store.insertRecord(newRecord(writer.clientId));
    assert.ok(second.seq > first.seq);
    const read = await store.getRecord(first.recordId);
    assert.deepEqual(read, first);
    assert.deepEqual(read?.plain, { 'héllo "quoted"': "wörld 🔒", empty: "" });
    assert.equal(read?.recSig, "c2ln");
    assert.deepEqual(read?.fileMeta, { size: 3, checksum: "x" });
    assert.equal((await store.getRecord(second.recordId))?.fileMeta, null);
    assert.equal(await store.getRecord(id()), undefined);
    await assert.rejects(() => store.insertRecord(newRecord(writer.clientId, first)));
  });

  test("updates records only at the expected version", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const record = await store.insertRecord(newRecord(writer.clientId));
    const changes = {
      plain: { k: "v" },
      data: { f: "1.2.3.4" },
      recSig: null,
      lastModified: T0 + 5,
      version: id(),
    };
    const stale = await store.updateRecord(record.recordId, "wrong", changes);
    assert.deepEqual(stale, { status: "conflict" });
    assert.deepEqual(await store.updateRecord(id(), record.version, changes), {
      status: "missing",
    });
    const updated = await store.updateRecord(record.recordId, record.version, changes);
    assert.equal(updated.status, "ok");
    if (updated.status !== "ok") return;
    assert.equal(updated.value.version, changes.version);
    assert.equal(updated.value.created, record.created);
    assert.equal(updated.value.lastModified, T0 + 5);
    assert.equal(updated.value.seq, record.seq);
    assert.deepEqual(updated.value.plain, { k: "v" });
    assert.deepEqual(updated.value.data, { f: "1.2.3.4" });
    const again = await store.updateRecord(record.recordId, record.version, changes);
    assert.deepEqual(again, { status: "conflict" });
  });

  test("deletes records only at the expected version", async (store) => {
    const writer = await seedClient(store, await seedAccount(store));
    const record = await store.insertRecord(newRecord(writer.clientId));
    assert.deepEqual(await store.deleteRecord(record.recordId, "old"), { status: "conflict" });
    assert.ok(await store.getRecord(record.recordId));
    assert.deepEqual(await store.deleteRecord(record.recordId, record.version), {
      status: "ok",
      value: true,
    });
    assert.equal(await store.getRecord(record.recordId), undefined);
    assert.deepEqual(await store.deleteRecord(record.recordId, record.version), {
      status: "missing",
    });
  });

  test("queries own records with filters and paging", async (store) => {
    const accountId = await seedAccount(store);
    const alice = await seedClient(store, accountId);
    const bob = await seedClient(store, accountId);
    const records = [];
    for (let i = 0; i < 5; i++) {
      records.push(
        await store.insertRecord(newRecord(alice.clientId, {
          type: i % 2 === 0 ? "even" : "odd",
          plain: { n: String(i), house: i < 3 ? "stark" : "lannister" },
        })),
      );
    }
    await store.insertRecord(newRecord(bob.clientId, { type: "even" }));
    const base = {
      callerId: alice.clientId,
      scope: "own" as const,
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    };
    const ids = async (overrides: Partial<typeof base> | Record<string, unknown>) =>
      (await store.queryRecords({ ...base, ...overrides })).map((r) => r.plain.n);
    assert.deepEqual(await ids({}), ["0", "1", "2", "3", "4"]);
    assert.deepEqual(await ids({ types: ["odd"] }), ["1", "3"]);
    assert.deepEqual(await ids({ recordIds: [records[4]!.recordId, records[0]!.recordId] }), [
      "0",
      "4",
    ]);
    assert.deepEqual(await ids({ userIds: [bob.clientId] }), []);
    assert.deepEqual(await ids({ plain: { eq: { name: "house", value: "stark" } } }), [
      "0",
      "1",
      "2",
    ]);
    assert.deepEqual(
      await ids({
        plain: {
          and: [{ eq: { name: "house", value: "stark" } }, {
            not: { eq: { name: "n", value: "1" } },
          }],
        },
      }),
      ["0", "2"],
    );
    assert.deepEqual(
      await ids({
        plain: { or: [{ eq: { name: "n", value: "4" } }, { eq: { name: "n", value: "0" } }] },
      }),
      ["0", "4"],
    );
    assert.deepEqual(await ids({ plain: { eq: { name: "missing", value: "" } } }), []);
    const page1 = await store.queryRecords({ ...base, limit: 2 });
    assert.deepEqual(page1.map((r) => r.plain.n), ["0", "1"]);
    const page2 = await store.queryRecords({ ...base, limit: 2, afterSeq: page1.at(-1)!.seq });
    assert.deepEqual(page2.map((r) => r.plain.n), ["2", "3"]);
    await store.deleteRecord(records[2]!.recordId, records[2]!.version);
    assert.deepEqual(await ids({ afterSeq: page1.at(-1)!.seq }), ["3", "4"]);
  });

  test("readable scope adds records shared by an allow-read policy", async (store) => {
    const accountId = await seedAccount(store);
    const alice = await seedClient(store, accountId);
    const bob = await seedClient(store, accountId);
    await store.insertRecord(newRecord(alice.clientId, { type: "shared" }));
    await store.insertRecord(newRecord(alice.clientId, { type: "private" }));
    await store.insertRecord(newRecord(bob.clientId, { type: "mine" }));
    const query = {
      callerId: bob.clientId,
      scope: "readable" as const,
      afterSeq: 0,
      limit: 100,
      writerIds: [],
      userIds: [],
      recordIds: [],
      types: [],
      plain: null,
    };
    const key = { writerId: alice.clientId, userId: alice.clientId, readerId: bob.clientId };
    assert.deepEqual((await store.queryRecords(query)).map((r) => r.type), ["mine"]);
    await store.putPolicy(policy({ ...key, type: "shared" }, { canRead: true }));
    await store.putPolicy(policy({ ...key, type: "private" }, { canAuthorize: true }));
    assert.deepEqual((await store.queryRecords(query)).map((r) => r.type), ["shared", "mine"]);
    assert.deepEqual(
      (await store.queryRecords({ ...query, scope: "own" })).map((r) => r.type),
      ["mine"],
    );
    assert.deepEqual(
      (await store.queryRecords({ ...query, writerIds: [alice.clientId] })).map((r) => r.type),
      ["shared"],
    );
    await store.putPolicy(policy({ ...key, type: "shared" }, { canRead: false }));
    assert.deepEqual((await store.queryRecords(query)).map((r) => r.type), ["mine"]);
  });

  test("puts, replaces, gets and deletes access keys", async (store) => {
    const accountId = await seedAccount(store);
    const writer = await seedClient(store, accountId);
    const reader = await seedClient(store, accountId);
    const authorizer = await seedClient(store, accountId);
    const key = {
      writerId: writer.clientId,
      userId: writer.clientId,
      readerId: reader.clientId,
      type: "t",
    };
    assert.equal(await store.getAccessKey(key), undefined);
    await store.putAccessKey({ ...key, eak: "a.b", authorizerId: writer.clientId, created: T0 });
    await store.putAccessKey({ ...key, eak: "c.d", authorizerId: authorizer.clientId, created: 1 });
    assert.deepEqual(await store.getAccessKey(key), {
      ...key,
      eak: "c.d",
      authorizerId: authorizer.clientId,
      created: 1,
    });
    assert.equal(await store.getAccessKey({ ...key, type: "other" }), undefined);
    assert.equal(await store.deleteAccessKey(key), true);
    assert.equal(await store.deleteAccessKey(key), false);
    assert.equal(await store.getAccessKey(key), undefined);
  });

  test("puts, gets, lists policies and removes authorizers", async (store) => {
    const accountId = await seedAccount(store);
    const writer = await seedClient(store, accountId);
    const reader = await seedClient(store, accountId);
    const key = { writerId: writer.clientId, userId: writer.clientId, readerId: reader.clientId };
    await store.putPolicy(policy({ ...key, type: "a" }, { canRead: true, canEdit: true }));
    await store.putPolicy(policy({ ...key, type: "b" }, { canAuthorize: true }));
    await store.putPolicy(policy({ ...key, type: "c" }, { canAuthorize: true, canRead: true }));
    assert.deepEqual(
      await store.getPolicy({ ...key, type: "a" }),
      policy({ ...key, type: "a" }, {
        canRead: true,
        canEdit: true,
      }),
    );
    assert.equal(await store.getPolicy({ ...key, type: "z" }), undefined);
    const types = async (filter: Parameters<Store["listPolicies"]>[0]) =>
      (await store.listPolicies(filter)).map((p) => p.type);
    assert.deepEqual(await types({ writerId: writer.clientId, canRead: true }), ["a", "c"]);
    assert.deepEqual(await types({ readerId: reader.clientId, canAuthorize: true }), ["b", "c"]);
    assert.deepEqual(await types({ readerId: writer.clientId }), []);
    assert.deepEqual(await types({}), ["a", "b", "c"]);
    await store.putPolicy(policy({ ...key, type: "a" }, { canRead: false }));
    assert.equal((await store.getPolicy({ ...key, type: "a" }))?.canRead, false);
    assert.equal(
      await store.removeAuthorizer(writer.clientId, writer.clientId, reader.clientId),
      2,
    );
    assert.deepEqual(await types({ canAuthorize: true }), []);
    assert.equal((await store.getPolicy({ ...key, type: "c" }))?.canRead, true);
  });

  test("commits a transaction when it resolves", async (store) => {
    const result = await store.transaction(async (tx) => {
      await tx.createAccount({ accountId: id(), name: "in-tx", created: T0 });
      return 42;
    });
    assert.equal(result, 42);
    assert.equal((await store.listAccounts()).length, 1);
  });

  test("rolls a transaction back when it throws", async (store) => {
    await assert.rejects(
      () =>
        store.transaction(async (tx) => {
          await tx.createAccount({ accountId: id(), name: "doomed", created: T0 });
          await tx.issueTimestamp(T0 + 1_000_000);
          throw new Error("boom");
        }),
      /boom/,
    );
    assert.deepEqual(await store.listAccounts(), []);
    assert.equal(await store.issueTimestamp(T0), T0);
  });

  test("fails a transaction whose failed call the function caught", async (store) => {
    const kept = { accountId: id(), name: "kept", created: T0 };
    await store.createAccount(kept);
    await assert.rejects(() =>
      store.transaction(async (tx) => {
        await tx.createAccount({ accountId: id(), name: "doomed", created: T0 });
        await tx.createAccount(kept).catch(() => {/* a duplicate id, swallowed */});
        return "done";
      })
    );
    assert.deepEqual(await store.listAccounts(), [kept]);
  });

  test("keeps other callers out of an open transaction", async (store) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const inside = store.transaction(async (tx) => {
      await tx.createAccount({ accountId: id(), name: "pending", created: T0 });
      await gate;
      throw new Error("rollback");
    });
    const outside = store.listAccounts();
    release();
    await assert.rejects(() => inside, /rollback/);
    assert.deepEqual(await outside, []);
  });

  test("refuses a transaction store after its transaction ended", async (store) => {
    let escaped: Store | undefined;
    await store.transaction((tx) => {
      escaped = tx;
      return Promise.resolve();
    });
    await assert.rejects(() => escaped!.listAccounts());
  });
}
