/**
 * Sharing by record type: `share` gives a reader the type's access key (an EAK boxed for it) and
 * an allow-read policy; `revoke` denies read and deletes the reader's EAK. The server refuses
 * record reads after a revoke, even to a reader that still holds the key in a cache.
 *
 * @module
 */
import { parseUuid } from "../protocol/ids.ts";
import type { IncomingPolicyJson, OutgoingPolicyJson } from "../protocol/responses.ts";
import type { PolicyPutRequest } from "../protocol/schemas.ts";
import { deleteAccessKey, ensureOwnAccessKey, putAccessKey } from "./_access_keys.ts";
import type { ClientContext } from "./context.ts";
import { policyPath } from "./_paths.ts";
import { requireType } from "./_validate.ts";
import { wireArray, type WireObject, wireObject, wireString } from "./_wire_reader.ts";

/** The policy body that allows reading. */
export const ALLOW_READ = { allow: [{ read: {} }] } satisfies PolicyPutRequest;
/** The policy body that denies reading. */
export const DENY_READ = { deny: [{ read: {} }] } satisfies PolicyPutRequest;

/** A type the caller shares with a reader. */
export interface OutgoingShare {
  /** The reader's id. */
  readerId: string;
  /** The reader's client name. */
  readerName: string;
  /** The shared record type. */
  recordType: string;
}

/** A type another writer shares with the caller. */
export interface IncomingShare {
  /** The writer's id. */
  writerId: string;
  /** The writer's client name. */
  writerName: string;
  /** The shared record type. */
  recordType: string;
}

/**
 * Shares the caller's records of `type` with `readerId` (sharing with oneself does nothing).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await shareType(context, "contact", readerId);
 * ```
 */
export async function shareType(
  context: ClientContext,
  type: string,
  readerId: string,
): Promise<void> {
  requireType(type);
  const reader = parseUuid(readerId, "Reader id");
  const self = context.clientId;
  if (reader === self) return;
  const accessKey = await ensureOwnAccessKey(context, type);
  await putAccessKey(context, accessKey, self, self, reader, type);
  await context.transport.request("PUT", policyPath(self, self, reader, type), {
    body: ALLOW_READ,
  });
}

/**
 * Stops sharing the caller's records of `type` with `readerId`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await revokeType(context, "contact", readerId);
 * ```
 */
export async function revokeType(
  context: ClientContext,
  type: string,
  readerId: string,
): Promise<void> {
  requireType(type);
  const reader = parseUuid(readerId, "Reader id");
  const self = context.clientId;
  if (reader === self) return;
  await context.transport.request("PUT", policyPath(self, self, reader, type), {
    body: DENY_READ,
  });
  await deleteAccessKey(context, self, self, reader, type);
}

/**
 * The types the caller shares, and with whom (`GET /v1/storage/policy/outgoing`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * for (const share of await outgoingShares(context)) console.log(share.readerName);
 * ```
 */
export async function outgoingShares(context: ClientContext): Promise<OutgoingShare[]> {
  const reply = await context.transport.request("GET", "/v1/storage/policy/outgoing");
  return policyList<OutgoingPolicyJson>(reply.json).map((item) => ({
    readerId: wireString(item, "reader_id", "outgoing share"),
    readerName: optionalName(item, "reader_name"),
    recordType: wireString(item, "record_type", "outgoing share"),
  }));
}

/**
 * The types other writers share with the caller (`GET /v1/storage/policy/incoming`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * for (const share of await incomingShares(context)) console.log(share.writerName);
 * ```
 */
export async function incomingShares(context: ClientContext): Promise<IncomingShare[]> {
  const reply = await context.transport.request("GET", "/v1/storage/policy/incoming");
  return policyList<IncomingPolicyJson>(reply.json).map((item) => ({
    writerId: wireString(item, "writer_id", "incoming share"),
    writerName: optionalName(item, "writer_name"),
    recordType: wireString(item, "record_type", "incoming share"),
  }));
}

/**
 * A policy listing as objects (an empty body reads as an empty list, as Python allows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { policyList } from "./sharing.ts";
 * assert.deepEqual(policyList(null), []);
 * ```
 */
export function policyList<T>(value: unknown): WireObject<T>[] {
  if (value === null || value === undefined || value === "") return [];
  return wireArray(value, "policy list").map((item) => wireObject<T>(item, "policy"));
}

function optionalName<T>(item: WireObject<T>, key: keyof T): string {
  const value = item[key];
  return typeof value === "string" ? value : "";
}
