/**
 * Sharing by record type, revocation, and authorizers that share on a writer's behalf.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/sharing.ts
 */
import { Client, ForbiddenError } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

async function register(name: string): Promise<Client> {
  const { config } = await Client.register(
    registrationToken(),
    name,
    await Client.generateKeypair(),
    { apiUrl, signingKeys: await Client.generateSigningKeypair() },
  );
  return new Client(config);
}

const writer = await register("writer");
const reader = await register("reader");
const authorizer = await register("authorizer");

const record = await writer.write("lab-result", { result: "negative" }, { patient: "p-17" });

// Share the type: the reader gets the type's key (boxed for it) and a read policy.
await writer.share("lab-result", reader.clientId);
console.log(`reader sees: ${(await reader.read(record.meta.recordId)).data.result}`);
console.log(`incoming: ${(await reader.incomingSharing()).map((s) => s.recordType).join(", ")}`);

// Revoke: the server refuses the read, even though the reader cached the key.
await writer.revoke("lab-result", reader.clientId);
try {
  await reader.read(record.meta.recordId);
} catch (error) {
  if (!(error instanceof ForbiddenError)) throw error;
  console.log("after revoke: forbidden");
}

// Authorizers share (and revoke) on the writer's behalf.
await writer.addAuthorizer(authorizer.clientId, "lab-result");
await authorizer.shareOnBehalfOf(writer.clientId, "lab-result", reader.clientId);
console.log(`shared by authorizer: ${(await reader.read(record.meta.recordId)).data.result}`);
await authorizer.revokeOnBehalfOf(writer.clientId, "lab-result", reader.clientId);
await writer.removeAuthorizer(authorizer.clientId, "lab-result");
console.log(`authorizers left: ${(await writer.proxies()).length}`);
