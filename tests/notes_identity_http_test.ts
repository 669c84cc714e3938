// Notes and identity login over real HTTP (Deno.serve on loopback).
import assert from "node:assert/strict";
import { signRequest } from "../lib/crypto/tsv1.ts";
import { NotFoundError, UnauthorizedError } from "../lib/errors.ts";
import { identityLogin } from "../lib/sdk/identity.ts";
import { createRealm, registerIdentity } from "../lib/sdk/identity_admin.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../lib/sdk/key_text.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import {
  anonymousNoteParty,
  type NoteKeysText,
  type NoteParty,
  readNote,
  writeAnonymousNote,
  writeNote,
} from "../lib/sdk/notes.ts";
import { registerTestClient, TEST_ADMIN_TOKEN, withServer } from "./_sdk_helpers.ts";

async function keysText(): Promise<NoteKeysText> {
  return {
    encryption: await generateKeyPairText("Sodium"),
    signing: await generateSigningKeyPairText("Sodium"),
  };
}

Deno.test("http: 50 parallel reads of a 5-view note give exactly 5 successes", async () => {
  await withServer(async ({ url }) => {
    const recipientKeys = await keysText();
    // Anonymous notes are capped at one view: the writer is a registered client.
    const config = (await registerTestClient(url, "note-writer")).config;
    const suite = await getSuite("Sodium");
    const writer: NoteParty = {
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
    const note = await writeNote(
      writer,
      { secret: "five reads" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      { maxViews: 5 },
    );
    const reader = await anonymousNoteParty(recipientKeys, { apiUrl: url });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => readNote(reader, note.noteId)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r) => r.status === "rejected");
    assert.equal(ok.length, 5);
    assert.equal(failed.length, 45);
    for (const failure of failed) {
      assert.ok((failure as PromiseRejectedResult).reason instanceof NotFoundError);
    }
    const views = ok.map((r) => (r as PromiseFulfilledResult<{ views: number }>).value.views);
    assert.deepEqual(views.sort(), [1, 2, 3, 4, 5]);
    for (const r of ok) {
      assert.deepEqual((r as PromiseFulfilledResult<{ data: unknown }>).value.data, {
        secret: "five reads",
      });
    }
  });
});

Deno.test("http: a replayed TSV1 request is refused (401)", async () => {
  await withServer(async ({ url }) => {
    const recipientKeys = await keysText();
    const note = await writeAnonymousNote(
      { a: "b" },
      recipientKeys.encryption.publicKey,
      recipientKeys.signing.publicKey,
      await keysText(),
      { apiUrl: url },
    );
    const reader = await anonymousNoteParty(recipientKeys, { apiUrl: url });
    const target = `${url}/v2/storage/notes?note_id=${note.noteId}`;
    const authorization = await signRequest(reader.suite, {
      method: "GET",
      url: target,
      signingKeys: reader.signingKeys,
    });
    const first = await fetch(target, { headers: { authorization } });
    assert.equal(first.status, 200, await first.text());
    const second = await fetch(target, { headers: { authorization } });
    assert.equal(second.status, 401);
    assert.match((await second.json()).error, /nonce/);
    const stale = await signRequest(reader.suite, {
      method: "GET",
      url: target,
      signingKeys: reader.signingKeys,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    const old = await fetch(target, { headers: { authorization: stale } });
    assert.equal(old.status, 401);
    await old.body?.cancel();
  });
});

Deno.test("http: identity login round trip, wrong password and unknown user", async () => {
  await withServer(async ({ url }) => {
    const admin = { apiUrl: url, adminToken: TEST_ADMIN_TOKEN };
    await createRealm("HttpRealm", admin);
    await registerIdentity({
      ...admin,
      realmName: "HttpRealm",
      username: "Ursula",
      password: "pa55",
    });
    const identity = await identityLogin("ursula", "pa55", "HttpRealm", "account", { apiUrl: url });
    const record = await identity.client.write("note-to-self", { body: "over http" });
    assert.equal((await identity.client.read(record.meta.recordId)).data.body, "over http");
    const before = identity.tokens.accessToken;
    const refreshed = await identity.refresh();
    assert.notEqual(refreshed.accessToken, before);
    assert.equal(identity.tokens.accessToken, refreshed.accessToken);
    const wrong = await identityLogin("ursula", "nope", "HttpRealm", "account", { apiUrl: url })
      .catch((e) => e);
    const unknown = await identityLogin("ulrich", "pa55", "HttpRealm", "account", { apiUrl: url })
      .catch((e) => e);
    assert.ok(wrong instanceof UnauthorizedError);
    assert.ok(unknown instanceof UnauthorizedError);
    assert.equal(wrong.message, unknown.message);
  });
});
