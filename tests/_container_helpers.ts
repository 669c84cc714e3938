/**
 * Container test fixtures: request bodies built by hand (the server never opens key blobs or
 * sealed parts, so opaque test bytes stand in for them), and small HTTP helpers.
 */
import assert from "node:assert/strict";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { call, type Reply, type TestClient, type TestServer } from "./_server_helpers.ts";

export const CONTAINERS = "/v1/arca/containers";
export const EVENTS = "/v1/arca/events";

/** An opaque key blob written by `writer`. */
export function keyBlob(writer: TestClient | string) {
  const writerId = typeof writer === "string" ? writer : writer.clientId;
  return {
    writer_id: writerId,
    encrypted_key: `ek-${crypto.randomUUID()}`,
    signature: encodeBase64Url(crypto.getRandomValues(new Uint8Array(64))),
  };
}

/** An access entry for `user` written by `writer`, with a key blob when it has decrypt. */
export function entry(
  writer: TestClient,
  user: TestClient,
  permissions: number,
  expiration: number | null = null,
) {
  return {
    user_id: user.clientId,
    permissions,
    expiration,
    ...((permissions & 2) !== 0 ? { key_blob: keyBlob(writer) } : {}),
  };
}

/** `n` random bytes. */
export function randomBytesOf(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let offset = 0; offset < n; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(n, offset + 65536)));
  }
  return bytes;
}

/** Creates a container with inline content (random sealed bytes); asserts 201. */
export async function createInline(
  server: TestServer,
  creator: TestClient,
  access: unknown[],
  options: { type?: string; content?: Uint8Array; header?: string | null; id?: string } = {},
): Promise<{ id: string; reply: Reply; content: Uint8Array }> {
  const id = options.id ?? crypto.randomUUID();
  const content = options.content ?? randomBytesOf(100);
  const reply = await call(server, "POST", CONTAINERS, {
    token: creator.token,
    body: {
      container_id: id,
      type: options.type ?? "memo",
      length: Math.max(0, content.length - 40),
      header: options.header === undefined ? "aGVhZGVy" : options.header,
      content: encodeBase64Url(content),
      access,
    },
  });
  assert.equal(reply.status, 201, reply.text);
  return { id, reply, content };
}

/** GETs a container as `client`. */
export function getContainer(
  server: TestServer,
  client: TestClient,
  id: string,
  query = "",
): Promise<Reply> {
  return call(server, "GET", `${CONTAINERS}/${id}${query}`, { token: client.token });
}

/** The events of `client` (all of them, or those after `after`), asserting 200. */
export async function eventsOf(
  server: TestServer,
  client: TestClient,
  query = "",
): Promise<Array<Record<string, unknown>>> {
  const reply = await call(server, "GET", `${EVENTS}${query}`, { token: client.token });
  assert.equal(reply.status, 200, reply.text);
  return reply.json.events;
}
