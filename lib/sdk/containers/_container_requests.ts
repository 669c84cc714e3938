/**
 * The container and event endpoints (docs/containers.md, "Wire protocol") as calls, and the
 * container JSON read into SDK values. Every request names the application (`Arca-App-Name`).
 *
 * @module
 */
import { decodeBase64Url } from "../../crypto/encoding.ts";
import { ArcaError } from "../../errors.ts";
import { APP_NAME_HEADER, CONTAINERS_PATH } from "../../protocol/container_constants.ts";
import type {
  ContainerAccessJson,
  ContainerCreateBody,
  ContainerJson,
  ContainerListResponse,
  ContainerUpdateBody,
  KeyBlobJson,
} from "../../protocol/containers.ts";
import { EVENT_STREAM_PATH, type EventListResponse, EVENTS_PATH } from "../../protocol/events.ts";
import { parseUuid } from "../../protocol/ids.ts";
import type { Transport } from "../_transport.ts";
import { wireArray, type WireObject, wireObject, wireString } from "../_wire_reader.ts";
import type { ContainerEvent, KeyBlob } from "./container_types.ts";
import { readEvent } from "./_event_wire.ts";

/** One access entry as the server reports it. */
export interface AccessEntry {
  /** The user (client) id. */
  userId: string;
  /** The 7-bit permission set. */
  permissions: number;
  /** When it ends (µs since the epoch), or `null`. */
  expiration: number | null;
  /** Who granted it. */
  grantedBy: string;
}

/** A container's clear metadata as the server reports it to the caller. */
export interface ContainerMetadata {
  /** The container id. */
  id: string;
  /** Its type, or `null` (none, or hidden without `container.type.view`). */
  type: string | null;
  /** The current version. */
  version: number;
  /** When it was made. */
  createdAt: Date;
  /** Its creator. */
  createdBy: string;
  /** When it last changed. */
  modifiedAt: Date;
  /** Who changed it last. */
  modifiedBy: string;
  /** Plaintext content bytes as declared by the writer. */
  length: number;
  /** The access list (only the caller's own entry without `access.view`). */
  access: AccessEntry[];
}

/** A container answer: its metadata and what is still sealed. */
export interface ContainerReply {
  /** Clear metadata. */
  metadata: ContainerMetadata;
  /** Sealed content bytes. */
  contentSize: number;
  /** The caller's key blob, or `null`. */
  keyBlob: KeyBlob | null;
  /** The sealed header, or `null`. */
  header: Uint8Array | null;
  /** The sealed content inline, or `null`. */
  content: Uint8Array | null;
}

/** The calls of one session: its transport and application name. */
export interface Endpoint {
  /** Bearer-authenticated transport. */
  transport: Transport;
  /** Sent as `Arca-App-Name`. */
  appName: string;
}

const WHAT = "container";

function headers(endpoint: Endpoint): Record<string, string> {
  return { [APP_NAME_HEADER]: endpoint.appName };
}

function containerPath(id: string, rest = ""): string {
  return `${CONTAINERS_PATH}/${parseUuid(id, "Container id")}${rest}`;
}

function wireInteger(value: unknown, key: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ArcaError(`Server sent a malformed ${WHAT}: "${key}" is not an integer`);
  }
  return value;
}

function microsDate(value: unknown, key: string): Date {
  return new Date(Math.floor(wireInteger(value, key) / 1000));
}

function sealedBytes(value: unknown, key: string): Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new ArcaError(`Server sent a malformed ${WHAT}: "${key}" is not a string`);
  }
  try {
    return decodeBase64Url(value, key);
  } catch (error) {
    throw new ArcaError(`Server sent a malformed ${WHAT}: "${key}" is not base64url`, {
      cause: error,
    });
  }
}

function readAccess(value: unknown): AccessEntry {
  const entry = wireObject<ContainerAccessJson>(value, `${WHAT} access entry`);
  return {
    userId: wireString(entry, "user_id", `${WHAT} access entry`),
    permissions: wireInteger(entry.permissions, "permissions"),
    expiration: entry.expiration === null || entry.expiration === undefined
      ? null
      : wireInteger(entry.expiration, "expiration"),
    grantedBy: wireString(entry, "granted_by", `${WHAT} access entry`),
  };
}

function readKeyBlob(value: unknown): KeyBlob | null {
  if (value === null || value === undefined) return null;
  const blob = wireObject<KeyBlobJson>(value, `${WHAT} key blob`);
  return {
    writerId: wireString(blob, "writer_id", "key blob"),
    encryptedKey: wireString(blob, "encrypted_key", "key blob"),
    signature: wireString(blob, "signature", "key blob"),
  };
}

/**
 * Reads a container answer.
 *
 * @example
 * ```ts ignore
 * // Reads what the server answered.
 * const { metadata, keyBlob } = readContainer(reply.json);
 * ```
 */
export function readContainer(json: unknown): ContainerReply {
  const body: WireObject<ContainerJson> = wireObject<ContainerJson>(json, WHAT);
  const type = body.type;
  if (type !== null && typeof type !== "string") {
    throw new ArcaError(`Server sent a malformed ${WHAT}: "type" is not a string or null`);
  }
  return {
    metadata: {
      id: wireString(body, "container_id", WHAT),
      type,
      version: wireInteger(body.version, "version"),
      createdAt: microsDate(body.created_at, "created_at"),
      createdBy: wireString(body, "created_by", WHAT),
      modifiedAt: microsDate(body.modified_at, "modified_at"),
      modifiedBy: wireString(body, "modified_by", WHAT),
      length: wireInteger(body.length, "length"),
      access: wireArray(body.access, `${WHAT} access`).map(readAccess),
    },
    contentSize: wireInteger(body.content_size, "content_size"),
    keyBlob: readKeyBlob(body.key_blob),
    header: sealedBytes(body.header, "header"),
    content: sealedBytes(body.content, "content"),
  };
}

/**
 * `POST /v1/arca/containers`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const reply = await postContainer(endpoint, body);
 * ```
 */
export async function postContainer(
  endpoint: Endpoint,
  body: ContainerCreateBody,
): Promise<ContainerReply> {
  const reply = await endpoint.transport.request("POST", CONTAINERS_PATH, {
    body,
    headers: headers(endpoint),
  });
  return readContainer(reply.json);
}

/**
 * `PATCH /v1/arca/containers/{id}`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const reply = await patchContainer(endpoint, id, { type: "memo" });
 * ```
 */
export async function patchContainer(
  endpoint: Endpoint,
  id: string,
  body: ContainerUpdateBody,
): Promise<ContainerReply> {
  const reply = await endpoint.transport.request("PATCH", containerPath(id), {
    body,
    headers: headers(endpoint),
  });
  return readContainer(reply.json);
}

/**
 * `PUT /v1/arca/containers/{id}/content/{version}`: the sealed bytes, streamed.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await putContent(endpoint, id, 1, sealed);
 * ```
 */
export async function putContent(
  endpoint: Endpoint,
  id: string,
  version: number,
  sealed: ReadableStream<Uint8Array>,
): Promise<void> {
  const response = await endpoint.transport.raw("PUT", containerPath(id, `/content/${version}`), {
    body: sealed,
    headers: {
      ...headers(endpoint),
      "content-type": "application/octet-stream",
    },
  });
  await response.body?.cancel();
}

/**
 * `GET /v1/arca/containers/{id}` (with the content inline when `inline` and small enough).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const reply = await getContainer(endpoint, id, true);
 * ```
 */
export async function getContainer(
  endpoint: Endpoint,
  id: string,
  inline: boolean,
): Promise<ContainerReply> {
  const path = containerPath(id, inline ? "?content=inline" : "");
  const reply = await endpoint.transport.request("GET", path, { headers: headers(endpoint) });
  return readContainer(reply.json);
}

/**
 * `GET /v1/arca/containers/{id}/content`: the sealed content stream and the version served.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const { body, version } = await getContent(endpoint, id);
 * ```
 */
export async function getContent(
  endpoint: Endpoint,
  id: string,
): Promise<{ body: ReadableStream<Uint8Array>; version: number; size: number | undefined }> {
  const response = await endpoint.transport.raw("GET", containerPath(id, "/content"), {
    headers: headers(endpoint),
  });
  const version = Number(response.headers.get("arca-container-version"));
  const length = response.headers.get("content-length");
  if (response.body === null) throw new ArcaError("Server sent no container content");
  return {
    body: response.body,
    version,
    size: length === null ? undefined : Number(length),
  };
}

/**
 * `DELETE /v1/arca/containers/{id}`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await deleteContainer(endpoint, id);
 * ```
 */
export async function deleteContainer(endpoint: Endpoint, id: string): Promise<void> {
  await endpoint.transport.request("DELETE", containerPath(id), { headers: headers(endpoint) });
}

/**
 * `GET /v1/arca/containers`: one page.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const page = await listContainers(endpoint, new URLSearchParams({ limit: "10" }));
 * ```
 */
export async function listContainers(
  endpoint: Endpoint,
  query: URLSearchParams,
): Promise<{ containers: ContainerMetadata[]; next: string | null }> {
  const search = query.size === 0 ? "" : `?${query}`;
  const reply = await endpoint.transport.request("GET", `${CONTAINERS_PATH}${search}`, {
    headers: headers(endpoint),
  });
  const body = wireObject<ContainerListResponse>(reply.json, "container list");
  const next = body.next;
  if (next !== null && typeof next !== "string") {
    throw new ArcaError('Server sent a malformed container list: "next" is not a string');
  }
  return {
    containers: wireArray(body.containers, "container list").map((item) =>
      readContainer(item).metadata
    ),
    next,
  };
}

/**
 * `GET /v1/arca/events`: one page after `after`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const { events, lastEventId } = await listEvents(endpoint, new URLSearchParams(), 0, 1000);
 * ```
 */
export async function listEvents(
  endpoint: Endpoint,
  filter: URLSearchParams,
  after: number,
  limit: number,
): Promise<{ events: ContainerEvent[]; lastEventId: number }> {
  const query = new URLSearchParams(filter);
  query.set("after", String(after));
  query.set("limit", String(limit));
  const reply = await endpoint.transport.request("GET", `${EVENTS_PATH}?${query}`, {
    headers: headers(endpoint),
  });
  const body = wireObject<EventListResponse>(reply.json, "event list");
  const events = wireArray(body.events, "event list").map(readEvent);
  const last = body.last_event_id;
  const lastEventId = typeof last === "number" && Number.isSafeInteger(last)
    ? last
    : events.at(-1)?.eventId ?? after;
  return { events, lastEventId };
}

/**
 * `GET /v1/arca/events/stream`, resumed after `lastEventId` when given.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const response = await openEventStream(endpoint, new URLSearchParams(), 41, signal);
 * ```
 */
export async function openEventStream(
  endpoint: Endpoint,
  filter: URLSearchParams,
  lastEventId: number | undefined,
  signal: AbortSignal,
): Promise<Response> {
  const search = filter.size === 0 ? "" : `?${filter}`;
  return await endpoint.transport.raw("GET", `${EVENT_STREAM_PATH}${search}`, {
    headers: {
      ...headers(endpoint),
      accept: "text/event-stream",
      ...(lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) }),
    },
    signal,
  });
}
