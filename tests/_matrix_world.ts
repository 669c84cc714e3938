/**
 * The world of the authorization matrix: a real server (Deno.serve on 127.0.0.1, a temp data
 * dir with blobs) and the parties the matrix calls it as. Everything is set up over HTTP, except
 * an expired bearer token (written to the store: the clock cannot be wound forward for one token)
 * and file-URL capabilities, minted with the server's URL key for whoever the identity is.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { randomBytes } from "../lib/crypto/bytes.ts";
import { hashSecret } from "../lib/crypto/secrets.ts";
import { signRequest } from "../lib/crypto/tsv1.ts";
import { issueCapability } from "../lib/server/_capability_url.ts";
import { type RunningServer, SQLITE_FILE_NAME, startServer } from "../lib/server/start_server.ts";
import { basic, fakeEak, fakeField, fakeKey } from "./_server_helpers.ts";
import { type KeyHolder, keyHolder, noteBody } from "./_tsv1_helpers.ts";

export const REGISTRATION_TOKEN = "matrix-registration-token";
export const ADMIN_TOKEN = "matrix-admin-token";
export const TYPE = "matrix";
export const REALM = "MatrixRealm";

/** A registered client of the world, with its keys and credentials. */
export interface Party extends KeyHolder {
  clientId: string;
  apiKeyId: string;
  apiSecret: string;
  token: string;
}

/** A decoded HTTP reply. */
export interface HttpReply {
  status: number;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/** A request as the matrix builds it. */
export interface HttpRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The running server and its parties and fixtures. */
export interface World {
  url: string;
  server: RunningServer;
  dataDir: string;
  fileUrlKey: Uint8Array;
  owner: Party;
  reader: Party;
  revokedReader: Party;
  authorizer: Party;
  stranger: Party;
  /** A client the admin disabled after it took its bearer token. */
  disabledClient: Party;
  /** An owner's bearer token that has expired. */
  expiredToken: string;
  /** The owner's record of type {@linkcode TYPE}, shared with `reader`. */
  record: { id: string; version: string };
  /** The owner's file record of type {@linkcode TYPE}. */
  fileRecordId: string;
  /** Texts that only allowed readers may ever see in a body (ciphertexts, EAKs, secrets). */
  secrets: string[];
  /** Every table's rows (except spent one-time URL tokens), to prove a refusal wrote nothing. */
  snapshot(): string;
  send(request: HttpRequest): Promise<HttpReply>;
  close(): Promise<void>;
}

/** Sends a request to `url` and decodes the reply. */
export async function send(url: string, request: HttpRequest): Promise<HttpReply> {
  const headers = new Headers(request.headers);
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

async function expectStatus(url: string, request: HttpRequest, status: number): Promise<HttpReply> {
  const reply = await send(url, request);
  assert.equal(reply.status, status, `${request.method} ${request.path}: ${reply.text}`);
  return reply;
}

async function register(url: string, name: string): Promise<Party> {
  const holder = await keyHolder();
  const { suite } = holder;
  const reg = await expectStatus(url, {
    method: "POST",
    path: "/v1/account/e3db/clients/register",
    body: {
      token: REGISTRATION_TOKEN,
      client: {
        name,
        public_key: { curve25519: suite.encodePublicKey(holder.encryption.publicKey) },
        signing_key: { ed25519: suite.encodePublicKey(holder.signing.publicKey) },
      },
    },
  }, 201);
  const token = await expectStatus(url, {
    method: "POST",
    path: "/v1/auth/token",
    headers: { authorization: basic(reg.json.api_key_id, reg.json.api_secret) },
    body: "grant_type=client_credentials",
  }, 200);
  return {
    ...holder,
    clientId: reg.json.client_id,
    apiKeyId: reg.json.api_key_id,
    apiSecret: reg.json.api_secret,
    token: token.json.access_token,
  };
}

/** A TSV1 Authorization header by `signer` for `method path`. */
export async function tsv1Header(
  signer: KeyHolder & { clientId?: string },
  method: string,
  path: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  return await signRequest(signer.suite, {
    method,
    url: path,
    signingKeys: signer.signing,
    clientId: signer.clientId ?? "",
    timestamp,
  });
}

/** Flips one character inside a TSV1 header's signature (or a capability's MAC). */
export function flipNearEnd(text: string): string {
  const at = text.length - 20; // inside the signature, away from its padding bits
  return text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
}

/** A capability token for `clientId` on a file, valid for a minute (or already expired). */
export async function capability(
  world: World,
  kind: "upload" | "download",
  fileId: string,
  clientId: string,
  expired = false,
): Promise<string> {
  const now = Date.now() * 1000;
  return await issueCapability(world.fileUrlKey, {
    kind,
    fileId,
    clientId,
    expires: expired ? now - 60_000_000 : now + 60_000_000,
  });
}

/** Writes a fresh record as the owner; returns its id and version. */
export async function ownerRecord(world: World): Promise<{ id: string; version: string }> {
  const reply = await expectStatus(world.url, {
    method: "POST",
    path: "/v1/storage/records",
    headers: { authorization: `Bearer ${world.owner.token}` },
    body: {
      meta: { writer_id: world.owner.clientId, user_id: world.owner.clientId, type: TYPE },
      data: { field: fakeField() },
    },
  }, 201);
  return { id: reply.json.meta.record_id, version: reply.json.meta.version };
}

/** Starts a pending file as the owner (optionally with its bytes uploaded); returns its id. */
export async function ownerPendingFile(world: World, uploaded: boolean): Promise<string> {
  const bytes = new TextEncoder().encode("matrix file bytes");
  const reply = await expectStatus(world.url, {
    method: "POST",
    path: "/v1/storage/files",
    headers: { authorization: `Bearer ${world.owner.token}` },
    body: {
      meta: {
        writer_id: world.owner.clientId,
        user_id: world.owner.clientId,
        type: TYPE,
        file_meta: { compression: "raw", size: bytes.length },
      },
      data: {},
    },
  }, 202);
  if (uploaded) {
    const upload = await fetch(reply.json.file_url, { method: "PUT", body: bytes });
    assert.equal(upload.status, 200, await upload.text());
  }
  return reply.json.id;
}

/** A note from the owner to the reader's keys (named when `name` is given); returns its id. */
export async function ownerNote(world: World, name?: string): Promise<string> {
  const path = "/v2/storage/notes";
  const body = await noteBody(world.owner, world.reader, { secret: "matrix note" }, {
    ...(name === undefined ? {} : { id_string: name }),
  });
  const reply = await expectStatus(world.url, {
    method: "POST",
    path,
    headers: { authorization: await tsv1Header(world.owner, "POST", path) },
    body,
  }, 201);
  world.secrets.push(String(reply.json.data.secret));
  return reply.json.note_id;
}

function tableSnapshot(database: DatabaseSync): string {
  const tables = database.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  ).all() as { name: string }[];
  const parts: string[] = [];
  for (const { name } of tables) {
    // A spent single-use URL token is bookkeeping: refused downloads may spend theirs.
    if (name === "used_capabilities") continue;
    const rows = database.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all();
    parts.push(`${name}:${JSON.stringify(rows, (_, v) => typeof v === "bigint" ? String(v) : v)}`);
  }
  return parts.join("\n");
}

/** Starts the server and sets up the parties, grants, records, file and realm. */
export async function openWorld(): Promise<World> {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-matrix-" });
  const fileUrlKey = randomBytes(32);
  const server = await startServer({
    dataDir,
    hostname: "127.0.0.1",
    port: 0,
    registrationToken: REGISTRATION_TOKEN,
    adminToken: ADMIN_TOKEN,
    fileUrlKey,
    print: () => {},
  });
  const url = server.url;
  const database = new DatabaseSync(join(dataDir, SQLITE_FILE_NAME), { readOnly: true });
  const [owner, reader, revokedReader, authorizer, stranger, disabledClient] = [
    await register(url, "owner"),
    await register(url, "reader"),
    await register(url, "revoked-reader"),
    await register(url, "authorizer"),
    await register(url, "stranger"),
    await register(url, "disabled"),
  ] as [Party, Party, Party, Party, Party, Party];
  const asOwner = { authorization: `Bearer ${owner.token}` };
  const secrets: string[] = [owner.apiSecret, reader.apiSecret, stranger.apiSecret];
  const grant = async (reader: Party, policy: unknown) => {
    const key = `${owner.clientId}/${owner.clientId}/${reader.clientId}/${TYPE}`;
    await expectStatus(url, {
      method: "PUT",
      path: `/v1/storage/policy/${key}`,
      headers: asOwner,
      body: policy,
    }, 201);
  };
  for (const party of [owner, reader, revokedReader]) {
    const eak = fakeEak();
    secrets.push(eak);
    const key = `${owner.clientId}/${owner.clientId}/${party.clientId}/${TYPE}`;
    await expectStatus(url, {
      method: "PUT",
      path: `/v1/storage/access_keys/${key}`,
      headers: asOwner,
      body: { eak },
    }, 201);
  }
  await grant(reader, { allow: [{ read: {} }] });
  await grant(revokedReader, { allow: [{ read: {} }] });
  await grant(revokedReader, { deny: [{ read: {} }] });
  await grant(authorizer, { allow: [{ authorizer: {} }] });
  // Shared with like the reader, then disabled: its live token and its grant must not help it.
  await grant(disabledClient, { allow: [{ read: {} }] });
  await expectStatus(url, {
    method: "POST",
    path: `/v1/arca/admin/clients/${disabledClient.clientId}/disable`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  }, 200);
  await expectStatus(url, {
    method: "POST",
    path: "/v1/arca/admin/realms",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: { name: REALM },
  }, 201);
  const expiredToken = `expired-${crypto.randomUUID()}`;
  await server.store.bearerTokens.create({
    tokenHash: await hashSecret(expiredToken),
    clientId: owner.clientId,
    expires: Date.now() * 1000 - 1_000_000,
  });
  const world: World = {
    url,
    server,
    dataDir,
    fileUrlKey,
    owner,
    reader,
    revokedReader,
    authorizer,
    stranger,
    disabledClient,
    expiredToken,
    record: { id: "", version: "" },
    fileRecordId: "",
    secrets,
    snapshot: () => tableSnapshot(database),
    send: (request) => send(url, request),
    async close() {
      database.close();
      await server.shutdown();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
  world.record = await ownerRecord(world);
  const stored = await expectStatus(url, {
    method: "GET",
    path: `/v1/storage/records/${world.record.id}`,
    headers: asOwner,
  }, 200);
  secrets.push(stored.json.data.field);
  const pendingId = await ownerPendingFile(world, true);
  const committed = await expectStatus(url, {
    method: "PATCH",
    path: `/v1/storage/files/${pendingId}`,
    headers: asOwner,
  }, 201);
  world.fileRecordId = committed.json.meta.record_id;
  return world;
}

/** An identity registration body for the admin API (keys of the right shape). */
export function identityBody(username: string): Record<string, unknown> {
  return {
    username,
    public_key: { curve25519: fakeKey() },
    signing_key: { ed25519: fakeKey() },
    client: {
      name: `${username}-client`,
      public_key: { curve25519: fakeKey() },
      signing_key: { ed25519: fakeKey() },
    },
  };
}
