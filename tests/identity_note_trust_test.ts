/**
 * Identity login does not trust the server with the credential note (issue 10, finding 2): the
 * note must be signed by the signing key derived from the password, not by whatever key the note
 * names. A malicious server (a real HTTP proxy in front of a real server) that plants a
 * look-alike credential note, sealed to the identity's derived public keys (which the server
 * knows) and pointing at a client the attacker controls, makes login fail with IntegrityError.
 */
import assert from "node:assert/strict";
import { deriveNoteCredentials } from "../lib/crypto/identity_credentials.ts";
import { encryptNote } from "../lib/crypto/note_crypto.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { IntegrityError } from "../lib/errors.ts";
import { identityLogin } from "../lib/sdk/identity.ts";
import { createRealm, registerIdentity } from "../lib/sdk/identity_admin.ts";
import { anonymousNoteParty, readNote, writeNote } from "../lib/sdk/notes.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../lib/sdk/key_text.ts";
import { jsonResponse, startHostileProxy } from "./_hostile_proxy.ts";
import { registerTestClient, TEST_ADMIN_TOKEN, withServer } from "./_sdk_helpers.ts";

Deno.test("identity login refuses a credential note not signed by the derived key", async () => {
  await withServer(async ({ url }) => {
    const admin = { apiUrl: url, adminToken: TEST_ADMIN_TOKEN };
    await createRealm("TrustRealm", admin);
    await registerIdentity({ ...admin, realmName: "TrustRealm", username: "vera", password: "pw" });
    const attackerClient = await registerTestClient(url, "attacker");
    const suite = await getSuite("Sodium");
    const derived = await deriveNoteCredentials(suite, "vera", "pw", "TrustRealm");
    const attackerKeys = {
      encryption: await suite.generateEncryptionKeyPair(),
      signing: await suite.generateSigningKeyPair(),
    };
    const proxy = startHostileProxy(url);
    try {
      // The honest path through the proxy works.
      proxy.setRewrite(pointLoginAt(url, proxy.url));
      const honest = await identityLogin("vera", "pw", "TrustRealm", "account", {
        apiUrl: proxy.url,
      });
      assert.equal(honest.config.realm_name, "TrustRealm");

      proxy.setRewrite(async (exchange) => {
        const rewritten = pointLoginAt(url, proxy.url)(exchange);
        if (rewritten !== undefined) return rewritten;
        if (!exchange.path.startsWith("/v2/storage/notes?id_string=")) return undefined;
        const genuine = exchange.json as Record<string, unknown>;
        const planted = await encryptNote(suite, {
          data: {
            config: JSON.stringify({ ...honest.config }),
            storage: JSON.stringify(attackerClient.config.toJSON()),
          },
          recipientEncryptionKey: derived.encryptionKeys.publicKey,
          recipientSigningKey: derived.signingKeys.publicKey,
          writerKeys: attackerKeys,
        });
        return jsonResponse({ ...genuine, ...planted });
      });
      await assert.rejects(
        () => identityLogin("vera", "pw", "TrustRealm", "account", { apiUrl: proxy.url }),
        IntegrityError,
      );
    } finally {
      await proxy.close();
    }
  });
});

Deno.test("readNote with writerSigningKey refuses a note signed by another key", async () => {
  await withServer(async ({ url }) => {
    const recipient = {
      encryption: await generateKeyPairText("Sodium"),
      signing: await generateSigningKeyPairText("Sodium"),
    };
    const writerKeys = {
      encryption: await generateKeyPairText("Sodium"),
      signing: await generateSigningKeyPairText("Sodium"),
    };
    const writer = await anonymousNoteParty(writerKeys, { apiUrl: url });
    const reader = await anonymousNoteParty(recipient, { apiUrl: url });
    const write = () =>
      writeNote(writer, { a: "1" }, recipient.encryption.publicKey, recipient.signing.publicKey);
    const expected = await readNote(reader, (await write()).noteId, {
      writerSigningKey: writerKeys.signing.publicKey,
    });
    assert.equal(expected.data.a, "1");
    const other = await generateSigningKeyPairText("Sodium");
    await assert.rejects(
      async () =>
        await readNote(reader, (await write()).noteId, { writerSigningKey: other.publicKey }),
      IntegrityError,
    );
  });
});

/** Rewrites login answers so their action URLs point at the proxy (as a real proxy would). */
function pointLoginAt(upstream: string, proxyUrl: string) {
  return (exchange: { path: string; json: unknown }) => {
    if (!exchange.path.startsWith("/v1/identity/login")) return undefined;
    const text = JSON.stringify(exchange.json).replaceAll(upstream, proxyUrl);
    return jsonResponse(JSON.parse(text));
  };
}
