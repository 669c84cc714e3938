/** In-process server fixtures: a fresh app on an in-memory store, clients, tokens, fake values. */
import assert from "node:assert/strict";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { createApp } from "../lib/server/app.ts";
import { createRegistrationToken } from "../lib/server/_bootstrap.ts";
import type { ServerSettings } from "../lib/server/settings.ts";
import type { Store } from "../lib/store/store.ts";
import { openTestStore } from "./_test_store.ts";

/** A settable clock in microseconds, frozen unless advanced. */
export class FakeClock {
  now = 1_800_000_000_000_000;
  readonly read = (): number => this.now;
  advanceSeconds(seconds: number): void {
    this.now += seconds * 1_000_000;
  }
}

/** A test server: the app, its store and clock, and a reusable registration token. */
export interface TestServer {
  app: ReturnType<typeof createApp>;
  store: Store;
  clock: FakeClock;
  registrationToken: string;
  close(): Promise<void>;
}

/** Opens a fresh in-memory server. */
export async function testServer(settings: ServerSettings = {}): Promise<TestServer> {
  const store = await openTestStore();
  const clock = new FakeClock();
  const { token } = await createRegistrationToken(
    store,
    { oneTime: false, name: "tests" },
    clock.read(),
  );
  const app = createApp({ store, clock: clock.read, settings });
  return { app, store, clock, registrationToken: token, close: () => store.close() };
}

/** A decoded response. */
export interface Reply {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  json: any;
  text: string;
}

/** Options of {@linkcode call}. */
export interface CallOptions {
  token?: string;
  /** Sent as JSON unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The TCP peer address the app sees (Hono's `env`, as `Deno.serve` passes it). */
  remoteAddr?: string;
}

/** Calls the app in-process and decodes the reply. */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const env = options.remoteAddr === undefined
    ? undefined
    : { remoteAddr: { transport: "tcp", hostname: options.remoteAddr, port: 40000 } };
  const response = await server.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  }, env);
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Asserts an error reply: the status and a JSON body `{"error": "<string>"}`. */
export function assertError(reply: Reply, status: number, pattern?: RegExp): void {
  assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.text}`);
  assert.equal(typeof reply.json?.error, "string", `no JSON error body: ${reply.text}`);
  assert.match(reply.headers.get("content-type") ?? "", /application\/json/);
  if (pattern) assert.match(reply.json.error, pattern);
}

/** `length` random bytes (filled 64 KiB at a time, the getRandomValues limit) as b64url. */
function randomPart(length: number): string {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)));
  }
  return encodeBase64Url(bytes);
}

/** 32 random bytes as b64url: the shape of an X25519 or Ed25519 public key. */
export function fakeKey(): string {
  return randomPart(32);
}

/** An opaque EAK of the right shape (`ct.nonce`). */
export function fakeEak(): string {
  return `${randomPart(48)}.${randomPart(24)}`;
}

/** An opaque encrypted field of the right shape (`edk.edkN.ef.efN`). */
export function fakeField(plainLength = 8): string {
  return `${randomPart(48)}.${randomPart(24)}.${randomPart(plainLength + 16)}.${randomPart(24)}`;
}

/** A registered client with a bearer token. */
export interface TestClient {
  clientId: string;
  name: string;
  apiKeyId: string;
  apiSecret: string;
  publicKey: string;
  signingKey: string;
  token: string;
}

/** Registers a client and fetches a bearer token for it. */
export async function registerClient(server: TestServer, name: string): Promise<TestClient> {
  const publicKey = fakeKey();
  const signingKey = fakeKey();
  const reg = await call(server, "POST", "/v1/account/e3db/clients/register", {
    body: {
      token: server.registrationToken,
      client: { name, public_key: { curve25519: publicKey }, signing_key: { ed25519: signingKey } },
    },
  });
  assert.equal(reg.status, 201, reg.text);
  const tokenReply = await call(server, "POST", "/v1/auth/token", {
    headers: { authorization: basic(reg.json.api_key_id, reg.json.api_secret) },
    body: "grant_type=client_credentials",
  });
  assert.equal(tokenReply.status, 200, tokenReply.text);
  return {
    clientId: reg.json.client_id,
    name,
    apiKeyId: reg.json.api_key_id,
    apiSecret: reg.json.api_secret,
    publicKey,
    signingKey,
    token: tokenReply.json.access_token,
  };
}

/** An HTTP Basic header value. */
export function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** Writes a record as `client` and returns the reply JSON (asserting 201). */
export async function writeRecord(
  server: TestServer,
  client: TestClient,
  type: string,
  plain: Record<string, string> | null = {},
  data: Record<string, string> = { name: fakeField() },
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const reply = await call(server, "POST", "/v1/storage/records", {
    token: client.token,
    body: {
      meta: { writer_id: client.clientId, user_id: client.clientId, type, plain },
      data,
    },
  });
  assert.equal(reply.status, 201, reply.text);
  return reply.json;
}

/** Puts an EAK as `caller` for (writer, writer, reader, type). */
export function putEak(
  server: TestServer,
  caller: TestClient,
  writerId: string,
  readerId: string,
  type: string,
  eak = fakeEak(),
): Promise<Reply> {
  return call(
    server,
    "PUT",
    `/v1/storage/access_keys/${writerId}/${writerId}/${readerId}/${type}`,
    {
      token: caller.token,
      body: { eak },
    },
  );
}

/** Puts a policy as `caller` on (writer, writer, reader, type). */
export function putPolicy(
  server: TestServer,
  caller: TestClient,
  writerId: string,
  readerId: string,
  type: string,
  body: unknown,
): Promise<Reply> {
  return call(server, "PUT", `/v1/storage/policy/${writerId}/${writerId}/${readerId}/${type}`, {
    token: caller.token,
    body,
  });
}

/** The E3DB timestamp shape: UTC, six fractional digits, `Z`. */
export const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
