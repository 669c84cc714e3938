/** Users over HTTP: syntactically valid key files (random sealed parts) and the upload call. */
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { keyFileChecksum, verifierOfProof } from "../lib/crypto/key_file.ts";
import { call, type Reply, type TestClient, type TestServer } from "./_server_helpers.ts";

/** The base path of the user routes. */
export const USERS = "/v1/arca/users";

/** Header fields of a crafted key file; each may be overridden to make a malformed one. */
export interface KeyFileShape {
  magic?: string;
  version?: number;
  /** The suite byte: 1 Sodium, 2 NIST. */
  suite?: number;
  costA?: number;
  costB?: number;
  /** The body length field (default: the real body length). */
  bodyLength?: number;
  /** Bytes of body ciphertext (default 300). */
  bodyBytes?: number;
}

/**
 * A key file with a valid (or, with `shape`, deliberately broken) header and framing, and random
 * bytes where the sealed parts go: the server never opens them.
 */
export function craftKeyFile(shape: KeyFileShape = {}): Uint8Array {
  const suite = shape.suite ?? 1;
  const nonce = suite === 2 ? 12 : 24;
  const bodyBytes = shape.bodyBytes ?? 300;
  const bytes = crypto.getRandomValues(new Uint8Array(48 + 4 + nonce + bodyBytes + nonce + 40));
  bytes.set(new TextEncoder().encode(shape.magic ?? "ARCAKF"), 0);
  bytes[6] = shape.version ?? 1;
  bytes[7] = suite;
  const view = new DataView(bytes.buffer);
  view.setUint32(8, shape.costA ?? (suite === 2 ? 600_000 : 3));
  view.setUint32(12, shape.costB ?? (suite === 2 ? 0 : 268_435_456));
  view.setUint32(48, shape.bodyLength ?? bodyBytes);
  return bytes;
}

/** A random passphrase proof and the verifier the server stores for it. */
export async function proofPair(): Promise<{ proof: Uint8Array; verifier: Uint8Array }> {
  const proof = crypto.getRandomValues(new Uint8Array(32));
  return { proof, verifier: await verifierOfProof(proof) };
}

/** A random 32-byte passphrase proof that matches no verifier. */
export function randomProof(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Lower-case hex SHA-256, as the server reports a key file's checksum. */
export function checksumOf(bytes: Uint8Array): Promise<string> {
  return keyFileChecksum(bytes);
}

/** A client that uploaded a key file: its proof and the bytes it uploaded. */
export interface TestUser extends TestClient {
  keyFile: Uint8Array;
  proof: Uint8Array;
}

/** `PUT /v1/arca/users/me/key-file` as `client`. */
export function putKeyFile(
  server: TestServer,
  client: TestClient,
  keyFile: Uint8Array,
  verifier: Uint8Array,
  reminder?: string,
): Promise<Reply> {
  return call(server, "PUT", `${USERS}/me/key-file`, {
    token: client.token,
    body: {
      key_file: encodeBase64Url(keyFile),
      passphrase_verifier: encodeBase64Url(verifier),
      ...(reminder === undefined ? {} : { reminder }),
    },
  });
}

/** Makes `client` a user: uploads a fresh key file with `reminder`. */
export async function makeUser(
  server: TestServer,
  client: TestClient,
  reminder = "the usual",
): Promise<TestUser> {
  const keyFile = craftKeyFile();
  const { proof, verifier } = await proofPair();
  const reply = await putKeyFile(server, client, keyFile, verifier, reminder);
  if (reply.status !== 201) throw new Error(`upload failed: ${reply.status} ${reply.text}`);
  return { ...client, keyFile, proof };
}

/** `POST /v1/arca/users/{id}/key-file` with `proof`, optionally as if from `forwardedFor`. */
export function downloadByProof(
  server: TestServer,
  userId: string,
  proof: Uint8Array,
  forwardedFor?: string,
): Promise<Reply> {
  return call(server, "POST", `${USERS}/${userId}/key-file`, {
    body: { proof: encodeBase64Url(proof) },
    ...(forwardedFor === undefined ? {} : { headers: { "x-forwarded-for": forwardedFor } }),
  });
}
