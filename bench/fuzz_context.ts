/**
 * Prepares a server for the fuzzer (over HTTP, like any client): two registered clients with
 * TSV1 keys and bearer tokens, records of one shared type, notes, pending files with their
 * upload URLs and a realm, so generated requests hit real rows as well as missing ones.
 *
 * @module
 */
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { encryptNote } from "../lib/crypto/note_crypto.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { signRequest } from "../lib/crypto/tsv1.ts";
import { anonymousSigner, type FuzzContext, type FuzzSigner } from "./fuzz_requests.ts";

/** The realm the fuzzer's identity requests name. */
export const FUZZ_REALM = "FuzzRealm";
const TYPE = "fuzz";

async function call(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined || typeof body === "string"
      ? headers
      : { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`fuzz setup: ${method} ${path} → ${response.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

function fakeField(): string {
  const part = (n: number) => encodeBase64Url(crypto.getRandomValues(new Uint8Array(n)));
  return `${part(48)}.${part(24)}.${part(24)}.${part(24)}`;
}

async function registeredSigner(url: string, registrationToken: string, name: string) {
  const signer = await anonymousSigner();
  const reg = await call(url, "POST", "/v1/account/e3db/clients/register", {}, {
    token: registrationToken,
    client: {
      name,
      public_key: { curve25519: signer.encryptionPublic },
      signing_key: { ed25519: signer.signingPublic },
    },
  });
  const token = await call(url, "POST", "/v1/auth/token", {
    authorization: `Basic ${btoa(`${reg.api_key_id}:${reg.api_secret}`)}`,
  }, "grant_type=client_credentials");
  return {
    signer: { ...signer, clientId: reg.client_id as string },
    client: {
      clientId: reg.client_id as string,
      apiKeyId: reg.api_key_id as string,
      apiSecret: reg.api_secret as string,
      token: token.access_token as string,
    },
  };
}

/**
 * Registers the fuzzer's clients and writes its fixtures; `adminToken` may be `""` (no realm).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and its registration token.
 * const ctx = await prepareFuzzContext("http://127.0.0.1:8000", token, adminToken);
 * ```
 */
export async function prepareFuzzContext(
  url: string,
  registrationToken: string,
  adminToken: string,
): Promise<FuzzContext> {
  const a = await registeredSigner(url, registrationToken, "fuzz-a");
  const b = await registeredSigner(url, registrationToken, "fuzz-b");
  const asA = { authorization: `Bearer ${a.client.token}` };
  const ctx: FuzzContext = {
    url,
    registrationToken,
    adminToken,
    clients: [a.client, b.client],
    signers: [a.signer, b.signer],
    recordIds: [],
    versions: [],
    noteIds: [],
    noteNames: [],
    pendingIds: [],
    fileUrlTokens: [],
    realm: FUZZ_REALM,
  };
  for (let i = 0; i < 4; i++) ctx.signers.push(await anonymousSigner());
  const grant = `${a.client.clientId}/${a.client.clientId}/${b.client.clientId}/${TYPE}`;
  await call(url, "PUT", `/v1/storage/policy/${grant}`, asA, { allow: [{ read: {} }] });
  for (let i = 0; i < 3; i++) {
    const written = await call(url, "POST", "/v1/storage/records", asA, {
      meta: { writer_id: a.client.clientId, user_id: a.client.clientId, type: TYPE, plain: {} },
      data: { name: fakeField() },
    });
    ctx.recordIds.push(written.meta.record_id);
    ctx.versions.push(written.meta.version);
  }
  for (const name of ["fuzz-note-1", ""]) {
    const note = await writeNote(url, a.signer, b.signer, name);
    ctx.noteIds.push(note.note_id);
    if (name !== "") ctx.noteNames.push(name);
  }
  for (let i = 0; i < 2; i++) {
    const pending = await call(url, "POST", "/v1/storage/files", asA, {
      meta: {
        writer_id: a.client.clientId,
        user_id: a.client.clientId,
        type: TYPE,
        file_meta: { compression: "raw" },
      },
      data: {},
    });
    ctx.pendingIds.push(pending.id);
    ctx.fileUrlTokens.push(new URL(pending.file_url).searchParams.get("token") ?? "");
  }
  if (adminToken !== "") {
    const admin = { authorization: `Bearer ${adminToken}` };
    const realms: { name: string }[] = await call(url, "GET", "/v1/arca/admin/realms", admin);
    if (!realms.some((realm) => realm.name === FUZZ_REALM)) {
      await call(url, "POST", "/v1/arca/admin/realms", admin, { name: FUZZ_REALM });
    }
  }
  return ctx;
}

async function writeNote(url: string, writer: FuzzSigner, recipient: FuzzSigner, name: string) {
  const suite = await getSuite("Sodium");
  const writerEncryption = await suite.generateEncryptionKeyPair();
  const fields = await encryptNote(suite, {
    data: { secret: "fuzz" },
    recipientEncryptionKey: suite.decodePublicKey(recipient.encryptionPublic),
    recipientSigningKey: suite.decodePublicKey(recipient.signingPublic),
    writerKeys: { encryption: writerEncryption, signing: writer.signing },
  });
  const path = "/v2/storage/notes";
  const authorization = await signRequest(suite, {
    method: "POST",
    url: path,
    signingKeys: writer.signing,
    clientId: writer.clientId,
  });
  return await call(url, "POST", path, { authorization }, {
    ...fields,
    type: "",
    plain: {},
    file_meta: {},
    max_views: -1,
    expires: false,
    expiration: "0001-01-01T00:00:00Z",
    eacp: null,
    id_string: name === "" ? null : name,
  });
}
