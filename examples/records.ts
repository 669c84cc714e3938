/**
 * Encrypted records: write, read, update, query and delete.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/records.ts
 */
import { Client, ConflictError } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const { config } = await Client.register(
  registrationToken(),
  "records-example",
  await Client.generateKeypair(),
  { apiUrl, signingKeys: await Client.generateSigningKeypair() },
);
const client = new Client(config);

// Data fields are encrypted one by one; `plain` stays clear and searchable.
const jon = await client.write("contact", { name: "Jon Snow", email: "jon@example.com" }, {
  house: "Stark",
});
await client.write("contact", { name: "Arya Stark" }, { house: "Stark" });
await client.write("contact", { name: "Cersei Lannister" }, { house: "Lannister" });
console.log(`wrote ${jon.meta.recordId}, signed: ${jon.signature !== undefined}`);

const read = await client.read(jon.meta.recordId);
console.log(`read back: ${read.data.name} <${read.data.email}>`);

// Updates name the version they replace; a stale version is a ConflictError.
const updated = await client.update({ ...read, data: { ...read.data, email: "lord@example.com" } });
try {
  await client.update(read);
} catch (error) {
  if (!(error instanceof ConflictError)) throw error;
  console.log("stale update refused (409)");
}

// Query by type and clear metadata; results come in pages.
const starks = await client.query({
  types: ["contact"],
  plain: { eq: { name: "house", value: "Stark" } },
}).collect();
console.log(`Starks: ${starks.map((record) => record.data.name).sort().join(", ")}`);
for await (const page of client.query({ types: ["contact"], pageSize: 2 })) {
  console.log(`page of ${page.records.length}, lastIndex ${page.lastIndex}`);
}

await client.delete(updated.meta.recordId, updated.meta.version);
console.log(
  `deleted; ${(await client.query({ types: ["contact"] }).collect()).length} contacts left`,
);
