// Finding 17: 100 parallel readers of a note with max_views N over real HTTP: exactly N succeed,
// by id and by name, and every other reader is told 404 (the view count never over-runs).
import assert from "node:assert/strict";
import { getSuite } from "../lib/crypto/suites.ts";
import { NotFoundError } from "../lib/errors.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../lib/sdk/key_text.ts";
import {
  anonymousNoteParty,
  type Note,
  type NoteParty,
  readNote,
  readNoteByName,
  writeNote,
} from "../lib/sdk/notes.ts";
import { registerTestClient, withServer } from "./_sdk_helpers.ts";

const READERS = 100;

async function registeredWriter(url: string): Promise<NoteParty> {
  // Anonymous notes are capped at one view: the writer is a registered client.
  const config = (await registerTestClient(url, "max-views-writer")).config;
  const suite = await getSuite("Sodium");
  return {
    apiUrl: url,
    suite,
    clientId: config.clientId,
    encryptionKeys: {
      publicKey: suite.decodePublicKey(config.publicKey),
      privateKey: suite.decodePrivateKey(config.privateKey),
    },
    signingKeys: {
      publicKey: suite.decodePublicKey(config.publicSigningKey!),
      privateKey: suite.decodePrivateKey(config.privateSigningKey!),
    },
  };
}

function assertExactlyViews(results: PromiseSettledResult<Note>[], maxViews: number): void {
  const ok = results.filter((r): r is PromiseFulfilledResult<Note> => r.status === "fulfilled");
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  assert.equal(ok.length, maxViews, `${ok.length} of ${READERS} reads succeeded`);
  assert.equal(failed.length, READERS - maxViews);
  for (const failure of failed) assert.ok(failure.reason instanceof NotFoundError, failure.reason);
  const views = ok.map((r) => r.value.views).sort((a, b) => a - b);
  assert.deepEqual(views, Array.from({ length: maxViews }, (_, i) => i + 1));
  for (const r of ok) assert.deepEqual(r.value.data, { secret: "counted" });
}

for (const maxViews of [1, 7]) {
  Deno.test(`http: ${READERS} parallel readers of a ${maxViews}-view note: exactly ${maxViews} succeed`, async () => {
    await withServer(async ({ url }) => {
      const writer = await registeredWriter(url);
      const recipient = {
        encryption: await generateKeyPairText("Sodium"),
        signing: await generateSigningKeyPairText("Sodium"),
      };
      const name = `max-views-${crypto.randomUUID()}`;
      const byId = await writeNote(
        writer,
        { secret: "counted" },
        recipient.encryption.publicKey,
        recipient.signing.publicKey,
        { maxViews },
      );
      await writeNote(
        writer,
        { secret: "counted" },
        recipient.encryption.publicKey,
        recipient.signing.publicKey,
        { maxViews, idString: name },
      );
      const reader = await anonymousNoteParty(recipient, { apiUrl: url });
      assertExactlyViews(
        await Promise.allSettled(
          Array.from({ length: READERS }, () => readNote(reader, byId.noteId)),
        ),
        maxViews,
      );
      assertExactlyViews(
        await Promise.allSettled(
          Array.from({ length: READERS }, () => readNoteByName(reader, name)),
        ),
        maxViews,
      );
    });
  });
}
