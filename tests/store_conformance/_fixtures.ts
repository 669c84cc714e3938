/** Shared pieces of the Store conformance sections: the test registrar and seed rows. */
import type { ClientRow } from "../../lib/store/clients.ts";
import type { PendingFileRow } from "../../lib/store/files.ts";
import type { GrantKey } from "../../lib/store/grant_key.ts";
import type { NoteRow } from "../../lib/store/notes.ts";
import type { PolicyRow } from "../../lib/store/policies.ts";
import type { NewRecord } from "../../lib/store/records.ts";
import type { Store } from "../../lib/store/store.ts";

/** Opens a fresh, empty, migrated store. */
export type StoreFactory = () => Promise<Store>;

/** Registers one conformance test, run on a fresh store that is closed afterwards. */
export type StoreTest = (name: string, fn: (store: Store) => Promise<void>) => void;

/** A {@linkcode StoreTest} for `backend`, opening each store with `open` (none when `ignore`). */
export function storeTest(backend: string, open: StoreFactory, ignore = false): StoreTest {
  return (name, fn) =>
    Deno.test({ name: `${backend} store: ${name}`, ignore }, async () => {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
}

/** A time in microseconds, in 2027. */
export const T0 = 1_800_000_000_000_000;
/** One second in microseconds. */
export const SECOND = 1_000_000;

let idCounter = 0;

/** A fresh lower-case UUID-shaped id. */
export function id(): string {
  idCounter++;
  return `00000000-0000-4000-8000-${idCounter.toString(16).padStart(12, "0")}`;
}

/** Adds an account; returns its id. */
export async function seedAccount(store: Store): Promise<string> {
  const accountId = id();
  await store.accounts.create({ accountId, name: "acct", created: T0 });
  return accountId;
}

/** Adds a client to the account; returns its row. */
export async function seedClient(
  store: Store,
  accountId: string,
  name = "client",
): Promise<ClientRow> {
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
    disabled: false,
  };
  await store.clients.create(client);
  return client;
}

/** A new record by `writerId`, with `overrides`. */
export function newRecord(writerId: string, overrides: Partial<NewRecord> = {}): NewRecord {
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

/** A policy at `key` with every flag off, then `flags`. */
export function policy(key: GrantKey, flags: Partial<PolicyRow> = {}): PolicyRow {
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

/** A note with every field set, then `overrides`. */
export function newNote(overrides: Partial<NoteRow> = {}): NoteRow {
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

/** A pending upload by `writerId`, then `overrides`. */
export function pendingFile(
  writerId: string,
  overrides: Partial<PendingFileRow> = {},
): PendingFileRow {
  const pendingId = id();
  return {
    pendingId,
    writerId,
    userId: writerId,
    type: "t",
    plain: { a: "1" },
    data: {},
    recSig: null,
    checksum: null,
    compression: "raw",
    size: null,
    blobKey: `${pendingId}-1`,
    state: "pending",
    created: 100,
    expires: 200,
    ...overrides,
  };
}
