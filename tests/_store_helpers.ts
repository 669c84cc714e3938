/** Store fixtures: an account with one client that writes records. */
import type { Store } from "../lib/store/store.ts";

/** The client id {@linkcode addWriter} registers. */
export const WRITER_ID = "00000000-0000-4000-8000-00000000000c";

/** Creates an account and the client {@linkcode WRITER_ID} in `store`. */
export async function addWriter(store: Store): Promise<void> {
  await store.accounts.create({ accountId: "acct", name: "acct", created: 1 });
  await store.clients.create({
    clientId: WRITER_ID,
    accountId: "acct",
    name: "writer",
    publicKeyType: "curve25519",
    publicKey: "pk",
    signingKeyType: null,
    signingKey: null,
    apiKeyId: "key",
    apiSecretHash: "hash",
    backupClientId: WRITER_ID,
    backedUp: null,
    created: 1,
  });
}
