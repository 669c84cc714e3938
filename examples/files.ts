/**
 * Large encrypted files: stream a file up, share it, read it back, delete it.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/files.ts
 */
import { join } from "node:path";
import { Client, ForbiddenError } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

async function register(name: string): Promise<Client> {
  const { config } = await Client.register(
    registrationToken(),
    name,
    await Client.generateKeypair(),
    {
      apiUrl,
    },
  );
  return new Client(config);
}

const alice = await register("files-example-alice");
const bob = await register("files-example-bob");
const dir = await Deno.makeTempDir({ prefix: "arca-files-example-" });

try {
  // A 5 MiB file: encrypted in 64 KiB chunks as it uploads, never held whole in memory.
  const source = join(dir, "scan.bin");
  const chunk = new Uint8Array(1024 * 1024);
  const file = await Deno.open(source, { write: true, create: true });
  for (let i = 0; i < 5; i++) {
    crypto.getRandomValues(chunk.subarray(0, 65536));
    await file.write(chunk);
  }
  file.close();

  let reported = 0;
  const record = await alice.writeFile("scans", source, { name: "scan.bin" }, {
    onProgress: ({ bytes }) => reported = bytes,
  });
  console.log(`uploaded ${reported} bytes as record ${record.meta.recordId}`);
  console.log(
    `encrypted size ${record.meta.fileMeta?.size}, MD5 ${record.meta.fileMeta?.checksum}`,
  );

  // Readers get their own short-lived, single-use download URL; bytes are checked and decrypted.
  await alice.share("scans", bob.clientId);
  const copy = join(dir, "copy.bin");
  await bob.readFile(record.meta.recordId, copy);
  const [original, received] = [await Deno.readFile(source), await Deno.readFile(copy)];
  const same = original.length === received.length && original.every((b, i) => b === received[i]);
  console.log(`bob read it back: ${same ? "identical" : "DIFFERENT"}`);

  // A stream works too (here: into memory).
  const chunks: Uint8Array[] = [];
  await alice.readFile(
    record.meta.recordId,
    new WritableStream({ write: (c) => void chunks.push(c) }),
  );
  console.log(`streamed ${chunks.reduce((n, c) => n + c.length, 0)} bytes`);

  // After a revoke, Bob is refused, even with a URL issued before.
  await alice.revoke("scans", bob.clientId);
  try {
    await bob.readFile(record.meta.recordId, copy);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    console.log("after revoke: forbidden");
  }

  // Deleting the record deletes the bytes.
  await alice.delete(record.meta.recordId, record.meta.version);
  console.log("deleted");
} finally {
  await Deno.remove(dir, { recursive: true });
}
