/**
 * Run by tests/durability_test.ts under `strace`: opens a data directory as the server does
 * (`prepareApp` with `sync` = the second argument), commits three records and writes one blob,
 * then exits at once (no close, so no checkpoint syncs the WAL).
 */
import { prepareApp } from "../lib/server/start_server.ts";

const [dataDir, sync] = Deno.args as [string, "normal" | "full"];
const { store, blobs } = await prepareApp({ dataDir, sync, print: () => {} });
const accountId = crypto.randomUUID();
const writerId = crypto.randomUUID();
await store.accounts.create({ accountId, name: "acme", created: 1 });
await store.clients.create({
  clientId: writerId,
  accountId,
  name: "probe",
  publicKeyType: "curve25519",
  publicKey: "pk",
  signingKeyType: null,
  signingKey: null,
  apiKeyId: "probe-key",
  apiSecretHash: "h",
  backupClientId: writerId,
  backedUp: null,
  created: 1,
});
for (let n = 0; n < 3; n++) {
  await store.records.insert({
    recordId: crypto.randomUUID(),
    writerId,
    userId: writerId,
    type: "probe",
    plain: {},
    data: {},
    recSig: null,
    fileMeta: null,
    created: 10 + n,
    lastModified: 10 + n,
    version: "v",
  });
}
await blobs!.put("ab12probe", new Blob(["bytes"]).stream());
Deno.exit(0);
