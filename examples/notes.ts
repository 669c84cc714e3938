/**
 * One-way encrypted notes: a registered client writes for a recipient's keys; the recipient reads
 * with key pairs alone; views are counted and the note burns.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/notes.ts
 */
import { Client, NotFoundError, readAnonymousNote, writeAnonymousNote } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

// A registered writer (notes are TSV1-signed, so it needs signing keys).
const { config } = await Client.register(
  registrationToken(),
  "note-writer",
  await Client.generateKeypair(),
  { apiUrl, signingKeys: await Client.generateSigningKeypair() },
);
const writer = new Client(config);

// The recipient is just two key pairs: no registration needed to read a note.
const recipient = {
  encryption: await Client.generateKeypair(),
  signing: await Client.generateSigningKeypair(),
};

// 1. A named note, readable twice, expiring in an hour.
const note = await writer.writeNote(
  { secret: "the eagle has landed" },
  recipient.encryption.publicKey,
  recipient.signing.publicKey,
  {
    idString: `drop-${crypto.randomUUID()}`,
    maxViews: 2,
    expiration: new Date(Date.now() + 3600_000),
  },
);
console.log(`wrote note ${note.noteId} (${note.maxViews} views)`);

// 2. The recipient reads it: every field is signature-checked before it is returned.
for (let view = 1; view <= 3; view++) {
  try {
    const read = await readAnonymousNote(note.noteId, recipient, { apiUrl });
    console.log(`view ${read.views}: ${read.data.secret}`);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    console.log(`view ${view}: gone (burned after ${note.maxViews} views)`);
  }
}

// 3. Anonymous writers need no registration either, but get no premium options.
const anonymous = await writeAnonymousNote(
  { hello: "from nobody" },
  recipient.encryption.publicKey,
  recipient.signing.publicKey,
  { encryption: await Client.generateKeypair(), signing: await Client.generateSigningKeypair() },
  { apiUrl, note: { idString: "ignored", maxViews: 10 } },
);
console.log(`anonymous note: name "${anonymous.idString}", ${anonymous.maxViews} view`);
console.log(
  `anonymous read: ${
    (await readAnonymousNote(anonymous.noteId, recipient, { apiUrl })).data.hello
  }`,
);
