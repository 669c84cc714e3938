// The SDK's note functions against the app in-process (injected fetch, fake clock).
import assert from "node:assert/strict";
import { signField } from "../lib/crypto/tfsp1.ts";
import {
  ArcaError,
  ConflictError,
  IntegrityError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../lib/errors.ts";
import { Client } from "../lib/sdk/client.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../lib/sdk/key_text.ts";
import {
  anonymousNoteParty,
  deleteNote,
  type NoteKeysText,
  type NoteParty,
  readAnonymousNote,
  readAnonymousNoteByName,
  readNote,
  readNoteByName,
  replaceNote,
  writeAnonymousNote,
  writeNote,
} from "../lib/sdk/notes.ts";
import { type TestServer, testServer } from "./_server_helpers.ts";
import { registeredHolder } from "./_tsv1_helpers.ts";

type Rewrite = (json: Record<string, unknown>) => Promise<void> | void;

function connection(server: TestServer, rewrite?: Rewrite) {
  return {
    apiUrl: "http://arca.test",
    now: () => Math.floor(server.clock.now / 1000),
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await server.app.request(
        input instanceof Request ? input : String(input),
        init,
      );
      if (rewrite === undefined || init?.method !== "GET" || !response.ok) return response;
      const json = await response.json();
      await rewrite(json);
      return new Response(JSON.stringify(json), { status: response.status });
    },
  };
}

async function keysText(suite: "Sodium" | "NIST" = "Sodium"): Promise<NoteKeysText> {
  return {
    encryption: await generateKeyPairText(suite),
    signing: await generateSigningKeyPairText(suite),
  };
}

/** A registered client as a note party. */
async function registeredParty(server: TestServer, rewrite?: Rewrite): Promise<NoteParty> {
  const holder = await registeredHolder(server);
  return {
    ...connection(server, rewrite),
    suite: holder.suite,
    clientId: holder.clientId,
    encryptionKeys: holder.encryption,
    signingKeys: holder.signing,
  };
}

async function withServer(fn: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await testServer();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

Deno.test("sdk notes: write, read by id and name, replace, delete", async () => {
  await withServer(async (server) => {
    const writer = await registeredParty(server);
    const recipientKeys = await keysText();
    const recipient = await anonymousNoteParty(recipientKeys, connection(server));
    const note = await writeNote(
      writer,
      { secret: "first" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      { idString: "sdk-note", plain: { tag: "t" }, type: "memo", maxViews: 10 },
    );
    assert.equal(note.idString, "sdk-note");
    assert.equal(note.clientId, writer.clientId);
    assert.deepEqual(note.data, { secret: "first" });
    assert.equal(note.maxViews, 10);
    assert.equal(note.type, "memo");
    assert.equal(note.expiration, null);

    const byId = await readNote(recipient, note.noteId);
    assert.deepEqual(byId.data, { secret: "first" });
    assert.deepEqual(byId.plain, { tag: "t" });
    assert.equal(byId.views, 1);
    assert.equal((await readNoteByName(recipient, "sdk-note")).views, 2);

    await assert.rejects(
      writeNote(writer, {}, recipientKeys.encryption.publicKey, recipientKeys.signing.publicKey, {
        idString: "sdk-note",
      }),
      ConflictError,
    );
    const replaced = await replaceNote(
      writer,
      { secret: "second" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      { idString: "sdk-note" },
    );
    assert.notEqual(replaced.noteId, note.noteId);
    assert.deepEqual((await readNoteByName(recipient, "sdk-note")).data, { secret: "second" });
    await assert.rejects(readNote(recipient, note.noteId), NotFoundError);

    await deleteNote(writer, replaced.noteId);
    await assert.rejects(readNoteByName(recipient, "sdk-note"), NotFoundError);
  });
});

Deno.test("sdk notes: anonymous helpers with key pairs only; expiration and max views", async () => {
  await withServer(async (server) => {
    const writerKeys = await keysText();
    const recipientKeys = await keysText();
    const conn = connection(server);
    const expiration = new Date(server.clock.now / 1000 + 3600_000);
    const note = await writeAnonymousNote(
      { hello: "anonymous" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      writerKeys,
      { ...conn, note: { idString: "dropped", expiration, maxViews: 3 } },
    );
    assert.equal(note.idString, "");
    assert.equal(note.clientId, null);
    assert.equal(note.maxViews, 1);
    assert.equal(Date.parse(note.expiration!), expiration.getTime());
    await assert.rejects(readAnonymousNoteByName("dropped", recipientKeys, conn), NotFoundError);
    const read = await readAnonymousNote(note.noteId, recipientKeys, conn);
    assert.deepEqual(read.data, { hello: "anonymous" });
    await assert.rejects(readAnonymousNote(note.noteId, recipientKeys, conn), NotFoundError);
  });
});

Deno.test("sdk notes: NIST notes round trip", async () => {
  await withServer(async (server) => {
    const writerKeys = await keysText("NIST");
    const recipientKeys = await keysText("NIST");
    const conn = connection(server);
    const note = await writeAnonymousNote(
      { curve: "P-384" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      writerKeys,
      conn,
    );
    assert.equal(note.mode, "NIST");
    assert.deepEqual((await readAnonymousNote(note.noteId, recipientKeys, conn)).data, {
      curve: "P-384",
    });
  });
});

Deno.test("sdk notes: a tampered note is an IntegrityError, never data", async () => {
  await withServer(async (server) => {
    const attacker = await anonymousNoteParty(await keysText(), connection(server));
    const tampers: Array<[string, Rewrite]> = [
      ["flipped ciphertext", (json) => {
        const data = json.data as Record<string, string>;
        const quad = data.secret!.split(".");
        quad[2] = quad[2]!.slice(0, 5) + (quad[2]![5] === "A" ? "B" : "A") + quad[2]!.slice(6);
        data.secret = quad.join(".");
      }],
      ["note signature re-signed by another key", async (json) => {
        json.signature = await signField(
          attacker.suite,
          "signature",
          crypto.randomUUID(),
          attacker.signingKeys.privateKey,
        );
      }],
      ["writer key swapped for the attacker's", (json) => {
        json.writer_signing_key = attacker.suite.encodePublicKey(attacker.signingKeys.publicKey);
      }],
      ["signature removed", (json) => {
        json.signature = "";
      }],
    ];
    const writer = await registeredParty(server);
    const recipientKeys = await keysText();
    for (const [what, rewrite] of tampers) {
      const note = await writeNote(
        writer,
        { secret: "intact" },
        recipientKeys.encryption.publicKey,
        recipientKeys.signing.publicKey,
      );
      const reader = await anonymousNoteParty(recipientKeys, connection(server, rewrite));
      await assert.rejects(readNote(reader, note.noteId), IntegrityError, what);
      const honest = await anonymousNoteParty(recipientKeys, connection(server));
      assert.deepEqual((await readNote(honest, note.noteId)).data, { secret: "intact" }, what);
    }
  });
});

Deno.test("sdk notes: bad inputs are ValidationErrors before any request", async () => {
  await withServer(async (server) => {
    const writer = await registeredParty(server);
    const keys = await keysText();
    const rk = keys.encryption.publicKey;
    const rs = keys.signing.publicKey;
    const nist = await keysText("NIST");
    await assert.rejects(writeNote(writer, { a: 1 as unknown as string }, rk, rs), ValidationError);
    await assert.rejects(writeNote(writer, {}, "not-a-key", rs), ValidationError);
    await assert.rejects(writeNote(writer, {}, nist.encryption.publicKey, rs), ValidationError);
    await assert.rejects(writeNote(writer, {}, rk, rs, { maxViews: 0 }), /maxViews/);
    await assert.rejects(writeNote(writer, {}, rk, rs, { expiration: "someday" }), ValidationError);
    await assert.rejects(replaceNote(writer, {}, rk, rs, { idString: "" }), ValidationError);
    await assert.rejects(readNote(writer, "aaaaaaaa-aaaa-aaaa-aaaa-aa"), ValidationError);
    await assert.rejects(readNoteByName(writer, ""), ValidationError);
    await assert.rejects(deleteNote(writer, "nope"), ValidationError);
    await assert.rejects(
      anonymousNoteParty(
        { encryption: keys.encryption, signing: nist.signing },
        connection(server),
      ),
      /same suite/,
    );
    await assert.rejects(
      anonymousNoteParty({ encryption: keys.encryption, signing: keys.encryption }, {
        apiUrl: "http://arca.test",
      }),
      ValidationError,
    );
  });
});

Deno.test("sdk notes: server refusals map to typed errors", async () => {
  await withServer(async (server) => {
    const writer = await registeredParty(server);
    const keys = await keysText();
    const wrongClock = { ...writer, now: () => Math.floor(server.clock.now / 1000) - 600_000 };
    await assert.rejects(
      writeNote(wrongClock, {}, keys.encryption.publicKey, keys.signing.publicKey),
      UnauthorizedError,
    );
    const anonymous = await anonymousNoteParty(keys, connection(server));
    const eacp = { tozid_eacp: { realm_name: "Acme" } };
    await assert.rejects(
      writeNote(anonymous, {}, keys.encryption.publicKey, keys.signing.publicKey, { eacp }),
      (e: unknown) => e instanceof ArcaError && e.status === 403,
    );
    const offline = { ...writer, fetch: () => Promise.reject(new TypeError("connection refused")) };
    await assert.rejects(
      writeNote(offline, {}, keys.encryption.publicKey, keys.signing.publicKey),
      /Cannot reach/,
    );
  });
});

Deno.test("sdk notes: Client methods sign as the client; v1 clients cannot", async () => {
  await withServer(async (server) => {
    const conn = connection(server);
    const register = async (name: string, signing: boolean) => {
      const { config } = await Client.register(
        server.registrationToken,
        name,
        await Client.generateKeypair("Sodium"),
        {
          ...conn,
          ...(signing ? { signingKeys: await Client.generateSigningKeypair("Sodium") } : {}),
        },
      );
      return new Client(config, conn);
    };
    const alice = await register("alice", true);
    const bob = await register("bob", true);
    const to = [bob.config.publicKey, bob.config.publicSigningKey!] as const;
    const note = await alice.writeNote({ hi: "bob" }, ...to, { idString: "for-bob" });
    assert.equal(note.clientId, alice.clientId);
    assert.deepEqual((await bob.readNote(note.noteId)).data, { hi: "bob" });
    await alice.replaceNote({ hi: "again" }, ...to, { idString: "for-bob" });
    assert.deepEqual((await bob.readNoteByName("for-bob")).data, { hi: "again" });
    await assert.rejects(alice.readNoteByName("for-bob"), NotFoundError);
    const again = await bob.readNoteByName("for-bob");
    await bob.deleteNote(again.noteId);
    await assert.rejects(bob.readNote(again.noteId), NotFoundError);
    const legacy = await register("legacy", false);
    await assert.rejects(legacy.writeNote({}, ...to), /signing keys/);
  });
});
