/** TSV1 fixtures for in-process server tests: key holders, registered signers, signed calls. */
import assert from "node:assert/strict";
import { encryptNote } from "../lib/crypto/note_crypto.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import type { CryptoSuite, KeyPair, SuiteName } from "../lib/crypto/suite.ts";
import { signRequest } from "../lib/crypto/tsv1.ts";
import { call, type Reply, type TestServer } from "./_server_helpers.ts";

/** Someone with key pairs: a registered client (with `clientId`) or an anonymous key holder. */
export interface KeyHolder {
  suite: CryptoSuite;
  encryption: KeyPair;
  signing: KeyPair;
  clientId?: string;
}

/** Fresh key pairs of a suite, not registered. */
export async function keyHolder(name: SuiteName = "Sodium"): Promise<KeyHolder> {
  const suite = await getSuite(name);
  return {
    suite,
    encryption: await suite.generateEncryptionKeyPair(),
    signing: await suite.generateSigningKeyPair(),
  };
}

/** Fresh key pairs, registered as a client with the test server's token. */
export async function registeredHolder(
  server: TestServer,
  name: SuiteName = "Sodium",
): Promise<KeyHolder> {
  const holder = await keyHolder(name);
  const { suite } = holder;
  const reply = await call(server, "POST", "/v1/account/e3db/clients/register", {
    body: {
      token: server.registrationToken,
      client: {
        name: `holder-${crypto.randomUUID()}`,
        public_key: { [suite.publicKeyType]: suite.encodePublicKey(holder.encryption.publicKey) },
        signing_key: { [suite.signingKeyType]: suite.encodePublicKey(holder.signing.publicKey) },
      },
    },
  });
  assert.equal(reply.status, 201, reply.text);
  return { ...holder, clientId: reply.json.client_id };
}

/** Options of {@linkcode signedCall}. */
export interface SignedCallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Unix seconds; the server's fake clock when omitted. */
  timestamp?: number;
  nonce?: string;
  /** Overrides the holder's client id (`""` for anonymous). */
  clientId?: string;
  /** Changes the Authorization header after signing. */
  tamper?: (authorization: string) => string;
  /** The TCP peer address the app sees. */
  remoteAddr?: string;
}

/** Calls the app with a TSV1 signature by `holder` at the server's clock. */
export async function signedCall(
  server: TestServer,
  holder: KeyHolder,
  method: string,
  path: string,
  options: SignedCallOptions = {},
): Promise<Reply> {
  const clientId = options.clientId ?? holder.clientId ?? "";
  let authorization = await signRequest(holder.suite, {
    method,
    url: path,
    signingKeys: holder.signing,
    clientId,
    timestamp: options.timestamp ?? Math.floor(server.clock.now / 1_000_000),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
  });
  if (options.tamper) authorization = options.tamper(authorization);
  return await call(server, method, path, {
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: { authorization, ...options.headers },
    ...(options.remoteAddr === undefined ? {} : { remoteAddr: options.remoteAddr }),
  });
}

/** A note body (the E3DB wire shape) from `writer` to `recipient`. */
export async function noteBody(
  writer: KeyHolder,
  recipient: KeyHolder,
  data: Record<string, string>,
  options: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const fields = await encryptNote(writer.suite, {
    data,
    recipientEncryptionKey: recipient.encryption.publicKey,
    recipientSigningKey: recipient.signing.publicKey,
    writerKeys: { encryption: writer.encryption, signing: writer.signing },
  });
  return {
    ...fields,
    client_id: null,
    type: "",
    plain: {},
    file_meta: {},
    max_views: -1,
    expiration: "0001-01-01T00:00:00Z",
    expires: false,
    eacp: null,
    id_string: null,
    note_id: null,
    created_at: null,
    ...options,
  };
}
