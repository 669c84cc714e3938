/**
 * No secret reaches the server's log (issue 15): a full end-to-end run (register, write, read,
 * share, note, file, user with a key file, container, admin and metrics) against a real server
 * process logging at `debug`, then its whole stdout and stderr are searched for every secret and
 * every plaintext the run used.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Arca, Client, readAnonymousNote } from "../mod.ts";
import { withTestDatabase } from "./_postgres.ts";
import { startServerProcess } from "./_server_process.ts";
import { testBackend } from "./_test_store.ts";

/** A fresh random value, unmistakable in a log. */
function unique(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

async function register(token: string, name: string, apiUrl: string): Promise<Client> {
  const registration = await Client.register(token, name, await Client.generateKeypair(), {
    apiUrl,
    signingKeys: await Client.generateSigningKeypair(),
  });
  return new Client(registration.config);
}

Deno.test("logs: a full end-to-end run leaves no secret, token, key or plaintext in the server's output", async () => {
  if (testBackend === "postgres") await withTestDatabase(fullRunLeavesNoSecret);
  else await fullRunLeavesNoSecret("");
});

/** The run, on SQLite (`databaseUrl` empty) or on the PostgreSQL database `databaseUrl`. */
async function fullRunLeavesNoSecret(databaseUrl: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arca-log-secrets-" });
  const secrets: Record<string, string> = {
    registrationToken: unique("registration"),
    adminToken: unique("admin"),
  };
  const { server, url } = await startServerProcess("run", {
    ARCA_DATA_DIR: join(dir, "data"),
    ARCA_PORT: "0",
    ARCA_DATABASE_URL: databaseUrl,
    ARCA_LOG_LEVEL: "debug",
    ARCA_REGISTRATION_TOKEN: secrets.registrationToken!,
    ARCA_ADMIN_TOKEN: secrets.adminToken!,
  });
  try {
    const alice = await register(secrets.registrationToken!, unique("alice"), url);
    const bob = await register(secrets.registrationToken!, unique("bob"), url);
    for (const [who, client] of [["alice", alice], ["bob", bob]] as const) {
      secrets[`${who}ApiSecret`] = client.config.apiSecret;
      secrets[`${who}PrivateKey`] = client.config.privateKey;
      secrets[`${who}PrivateSigningKey`] = client.config.privateSigningKey!;
    }

    // Records: write, read, share.
    secrets.recordField = unique("record-field");
    secrets.recordPlain = unique("record-plain");
    const record = await alice.write("log-test", { field: secrets.recordField }, {
      tag: secrets.recordPlain,
    });
    assert.equal((await alice.read(record.meta.recordId)).data.field, secrets.recordField);
    await alice.share("log-test", bob.clientId);
    assert.equal((await bob.read(record.meta.recordId)).data.field, secrets.recordField);

    // A bearer token fetched by hand and used.
    const auth = await fetch(`${url}/v1/auth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${alice.config.apiKeyId}:${alice.config.apiSecret}`)}`,
      },
      body: "grant_type=client_credentials",
    });
    secrets.bearer = (await auth.json()).access_token;
    const byBearer = await fetch(`${url}/v1/storage/records/${record.meta.recordId}`, {
      headers: { authorization: `Bearer ${secrets.bearer}` },
    });
    assert.equal(byBearer.status, 200);
    await byBearer.body?.cancel();

    // A note to a recipient who holds only key pairs.
    secrets.noteText = unique("note-text");
    secrets.noteName = unique("note-name");
    const recipient = {
      encryption: await Client.generateKeypair(),
      signing: await Client.generateSigningKeypair(),
    };
    secrets.recipientKey = recipient.encryption.privateKey;
    const note = await alice.writeNote(
      { secret: secrets.noteText },
      recipient.encryption.publicKey,
      recipient.signing.publicKey,
      { idString: secrets.noteName, maxViews: 2 },
    );
    const readNote = await readAnonymousNote(note.noteId, recipient, { apiUrl: url });
    assert.equal(readNote.data.secret, secrets.noteText);

    // A file, shared and read back.
    secrets.fileText = unique("file-bytes");
    secrets.fileName = unique("file-name");
    const source = join(dir, "source.txt");
    await Deno.writeTextFile(source, secrets.fileText.repeat(100));
    const file = await alice.writeFile("log-files", source, { name: secrets.fileName });
    await alice.share("log-files", bob.clientId);
    const copy = join(dir, "copy.txt");
    await bob.readFile(file.meta.recordId, copy);
    assert.equal(await Deno.readTextFile(copy), secrets.fileText.repeat(100));

    // A user with a key file, logged in on a second device, and a container.
    secrets.password = unique("Pw1");
    secrets.passphrase = unique("Passphrase 1");
    secrets.reminder = unique("reminder");
    const keyFileKdf = { opslimit: 1, memlimit: 8192, iterations: 1000 };
    const app = await Arca.initialize(secrets.registrationToken!, {
      serverUrl: url,
      rootDir: join(dir, "device-1"),
      keyFileKdf,
    });
    const user = await app.users.create(secrets.password, secrets.reminder, secrets.passphrase);
    const device = await Arca.initialize("", {
      serverUrl: url,
      rootDir: join(dir, "device-2"),
      keyFileKdf,
    });
    const again = await device.login(user.userId, { passphrase: secrets.passphrase });
    secrets.containerText = unique("container-content");
    secrets.containerHeader = unique("container-header");
    const made = await again.containers.create(secrets.containerText, {
      header: { subject: secrets.containerHeader },
      type: "memo",
    });
    const seen = await user.containers.get(made.id);
    assert.equal(await seen.content!.text(), secrets.containerText);

    // The admin API and the metrics.
    for (const path of ["/v1/arca/admin/clients", "/metrics"]) {
      const reply = await fetch(`${url}${path}`, {
        headers: { authorization: `Bearer ${secrets.adminToken}` },
      });
      assert.equal(reply.status, 200);
      await reply.body?.cancel();
    }
  } finally {
    server.child.kill("SIGTERM");
    assert.equal(await server.exited(), 0);
    await Deno.remove(dir, { recursive: true });
  }
  const output = server.output();
  const requestLines = output.split("\n").filter((line) => line.includes('"message":"request"'));
  assert.ok(requestLines.length >= 30, `the run was logged:\n${output}`);
  for (const line of requestLines) JSON.parse(line); // every request line is one JSON object
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(secret.length >= 16, `${name} is long enough to search for`);
    assert.ok(!output.includes(secret), `the server's output holds ${name}`);
  }
}
