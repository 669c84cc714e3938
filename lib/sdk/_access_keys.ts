/**
 * Access keys (AKs): one per (writer, user, record type), handed to each reader as an EAK boxed
 * from an authorizer to that reader. The client caches the AKs it opened per
 * (writer, user, type); it is always the reader of the EAKs it fetches.
 *
 * AK creation follows E3DB: fetch our own EAK (writer = user = reader = us); on 404 make a fresh
 * AK and PUT it for ourselves.
 *
 * @module
 */
import { unwrapAccessKey, wrapAccessKey } from "../crypto/access_key.ts";
import { randomKey } from "../crypto/fields.ts";
import { NotFoundError } from "../errors.ts";
import type { AccessKeyResponse } from "../protocol/responses.ts";
import type { AccessKeyPutRequest } from "../protocol/schemas.ts";
import { decodeTypedPublicKey } from "./client_directory.ts";
import type { ClientContext } from "./context.ts";
import { accessKeyPath } from "./_paths.ts";
import { wireObject, wireString, wireTypedKey } from "./_wire_reader.ts";

function cacheKey(writerId: string, userId: string, type: string): string {
  return JSON.stringify([writerId, userId, type]);
}

/**
 * Opens an EAK reply (`{"eak", "authorizer_id", "authorizer_public_key"}`) with the caller's
 * private key and caches the AK under (writer, user, type).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await openEak(context, reply.json, writerId, userId, type);
 * ```
 */
export async function openEak(
  context: ClientContext,
  value: unknown,
  writerId: string,
  userId: string,
  type: string,
): Promise<Uint8Array> {
  const json = wireObject<AccessKeyResponse>(value, "access key");
  const eak = wireString(json, "eak", "access key");
  const authorizerId = wireString(json, "authorizer_id", "access key");
  const authorizerKey = wireTypedKey(json.authorizer_public_key, "access key authorizer key");
  const authorizerPublicKey = decodeTypedPublicKey(
    context.suite,
    authorizerKey.type,
    authorizerKey.value,
    authorizerId,
  );
  const accessKey = await unwrapAccessKey(
    context.suite,
    eak,
    authorizerPublicKey,
    context.encryptionKeys.privateKey,
  );
  context.accessKeys.set(cacheKey(writerId, userId, type), accessKey);
  return accessKey;
}

/**
 * Drops the cached AK for (writer, user, type), so the next use asks the server again.
 *
 * @example
 * ```ts ignore
 * // Needs a registered client's context (see createClientContext).
 * forgetAccessKey(context, writerId, writerId, "contact");
 * ```
 */
export function forgetAccessKey(
  context: ClientContext,
  writerId: string,
  userId: string,
  type: string,
): void {
  context.accessKeys.delete(cacheKey(writerId, userId, type));
}

/**
 * The AK for (writer, user, type) as the caller reads it: from the cache, else by fetching the
 * caller's EAK. `undefined` when the server has none (404).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await getAccessKey(context, writerId, writerId, "contact");
 * ```
 */
export async function getAccessKey(
  context: ClientContext,
  writerId: string,
  userId: string,
  type: string,
): Promise<Uint8Array | undefined> {
  const cached = context.accessKeys.get(cacheKey(writerId, userId, type));
  if (cached !== undefined) return cached;
  let reply;
  try {
    reply = await context.transport.request(
      "GET",
      accessKeyPath(writerId, userId, context.clientId, type),
    );
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  return await openEak(context, reply.json, writerId, userId, type);
}

/**
 * The AK for the caller's own records of `type`, created (and stored for the caller) on first
 * use. Concurrent calls for one type share a single lookup, so two writes of a new type never
 * make two different keys.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await ensureOwnAccessKey(context, "contact");
 * ```
 */
export function ensureOwnAccessKey(context: ClientContext, type: string): Promise<Uint8Array> {
  const self = context.clientId;
  const cached = context.accessKeys.get(cacheKey(self, self, type));
  if (cached !== undefined) return Promise.resolve(cached);
  let pending = context.ownAccessKeys.get(type);
  if (pending === undefined) {
    pending = findOrCreateOwnAccessKey(context, type).finally(() => {
      context.ownAccessKeys.delete(type);
    });
    context.ownAccessKeys.set(type, pending);
  }
  return pending;
}

async function findOrCreateOwnAccessKey(
  context: ClientContext,
  type: string,
): Promise<Uint8Array> {
  const self = context.clientId;
  const existing = await getAccessKey(context, self, self, type);
  if (existing !== undefined) return existing;
  const accessKey = randomKey(context.suite);
  await putAccessKey(context, accessKey, self, self, self, type);
  context.accessKeys.set(cacheKey(self, self, type), accessKey);
  return accessKey;
}

/**
 * Boxes `accessKey` for `readerId` with the caller's private key (the caller becomes the EAK's
 * authorizer) and PUTs it at (writer, user, reader, type).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await putAccessKey(context, ak, writerId, writerId, readerId, "contact");
 * ```
 */
export async function putAccessKey(
  context: ClientContext,
  accessKey: Uint8Array,
  writerId: string,
  userId: string,
  readerId: string,
  type: string,
): Promise<void> {
  const readerPublicKey = readerId === context.clientId
    ? context.encryptionKeys.publicKey
    : await context.directory.publicKey(readerId);
  const eak = await wrapAccessKey(
    context.suite,
    accessKey,
    readerPublicKey,
    context.encryptionKeys.privateKey,
  );
  await context.transport.request("PUT", accessKeyPath(writerId, userId, readerId, type), {
    body: { eak } satisfies AccessKeyPutRequest,
  });
}

/**
 * Deletes the EAK at (writer, user, reader, type).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await deleteAccessKey(context, writerId, writerId, readerId, "contact");
 * ```
 */
export async function deleteAccessKey(
  context: ClientContext,
  writerId: string,
  userId: string,
  readerId: string,
  type: string,
): Promise<void> {
  await context.transport.request("DELETE", accessKeyPath(writerId, userId, readerId, type));
}

/**
 * The AK for a query row: from the cache, else by opening the EAK the server sent with the row,
 * else by fetching the caller's EAK. `undefined` when there is none.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await accessKeyForRow(context, row.access_key, writerId, userId, type);
 * ```
 */
export async function accessKeyForRow(
  context: ClientContext,
  eakReply: unknown,
  writerId: string,
  userId: string,
  type: string,
): Promise<Uint8Array | undefined> {
  const cached = context.accessKeys.get(cacheKey(writerId, userId, type));
  if (cached !== undefined) return cached;
  if (eakReply !== null && eakReply !== undefined) {
    return await openEak(context, eakReply, writerId, userId, type);
  }
  return await getAccessKey(context, writerId, userId, type);
}

/**
 * The AK for reading records of (writer, user, type), or a {@linkcode NotFoundError} saying no
 * key was shared.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await requireAccessKey(context, writerId, userId, "contact");
 * ```
 */
export async function requireAccessKey(
  context: ClientContext,
  writerId: string,
  userId: string,
  type: string,
): Promise<Uint8Array> {
  const accessKey = await getAccessKey(context, writerId, userId, type);
  if (accessKey === undefined) {
    throw new NotFoundError(
      `No access key for records of type "${type}" written by "${writerId}"`,
    );
  }
  return accessKey;
}
