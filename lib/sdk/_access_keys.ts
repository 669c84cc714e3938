/**
 * Access keys (AKs): one per (writer, user, record type), handed to each reader as an EAK boxed
 * from an authorizer to that reader. The caller is always the reader of the EAKs it fetches.
 *
 * The caller's own AK (writer = user = reader = the caller) is never taken on trust: it is opened
 * only with the caller's own key pair and only when `authorizer_id` is the caller, so a server
 * cannot slip in a key it knows. Own AKs live in their own cache, filled only by this client
 * making a key or opening its own EAK; keys of other writers (fetched, or sent with query rows)
 * go to a read-only cache and are never used to write.
 *
 * AK creation follows E3DB: fetch our own EAK; on 404 make a fresh AK and PUT it for ourselves.
 * The server keeps own EAKs create-only: when another device of the same client got there first
 * it answers 409, and we fetch and use that device's key.
 *
 * @module
 */
import { unwrapAccessKey, wrapAccessKey } from "../crypto/access_key.ts";
import { randomKey } from "../crypto/fields.ts";
import { ConflictError, IntegrityError, NotFoundError } from "../errors.ts";
import type { AccessKeyResponse } from "../protocol/responses.ts";
import type { AccessKeyPutRequest } from "../protocol/schemas.ts";
import { decodeTypedPublicKey } from "./client_directory.ts";
import type { ClientContext } from "./context.ts";
import { accessKeyPath } from "./_paths.ts";
import { wireObject, wireString, wireTypedKey } from "./_wire_reader.ts";

function cacheKey(writerId: string, userId: string, type: string): string {
  return JSON.stringify([writerId, userId, type]);
}

function isOwn(context: ClientContext, writerId: string, userId: string): boolean {
  return writerId === context.clientId && userId === context.clientId;
}

/**
 * Opens another writer's EAK reply (`{"eak", "authorizer_id", "authorizer_public_key"}`) with
 * the caller's private key and the authorizer key the server sent, and caches the AK (for
 * reading only) under (writer, user, type). The caller's own EAKs go through
 * {@linkcode openOwnEak} instead.
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
  if (isOwn(context, writerId, userId)) return await openOwnEak(context, value, type);
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
 * Opens the caller's own EAK for `type` with the caller's own key pair (never the authorizer
 * key the server sent) and caches it as the own AK. {@linkcode IntegrityError} when the server
 * names another authorizer or the EAK does not open: the server sent a key this client did not
 * make.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const ak = await openOwnEak(context, reply.json, "contact");
 * ```
 */
export async function openOwnEak(
  context: ClientContext,
  value: unknown,
  type: string,
): Promise<Uint8Array> {
  const json = wireObject<AccessKeyResponse>(value, "access key");
  const eak = wireString(json, "eak", "access key");
  const authorizerId = wireString(json, "authorizer_id", "access key");
  if (authorizerId !== context.clientId) {
    throw new IntegrityError(
      `Own access key for type "${type}" was made by "${authorizerId}", not by this client`,
    );
  }
  let accessKey: Uint8Array;
  try {
    accessKey = await unwrapAccessKey(
      context.suite,
      eak,
      context.encryptionKeys.publicKey,
      context.encryptionKeys.privateKey,
    );
  } catch (error) {
    throw new IntegrityError(
      `Own access key for type "${type}" does not open with this client's key pair`,
      { cause: error },
    );
  }
  context.ownAccessKeys.set(type, accessKey);
  return accessKey;
}

/** The caller's own AK from its cache or the server, `undefined` on 404 (never creates one). */
async function getOwnAccessKey(
  context: ClientContext,
  type: string,
): Promise<Uint8Array | undefined> {
  const cached = context.ownAccessKeys.get(type);
  if (cached !== undefined) return cached;
  const self = context.clientId;
  let reply;
  try {
    reply = await context.transport.request("GET", accessKeyPath(self, self, self, type));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  return await openOwnEak(context, reply.json, type);
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
  if (isOwn(context, writerId, userId)) context.ownAccessKeys.delete(type);
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
  if (isOwn(context, writerId, userId)) return await getOwnAccessKey(context, type);
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
  const cached = context.ownAccessKeys.get(type);
  if (cached !== undefined) return Promise.resolve(cached);
  let pending = context.ownAccessKeyLookups.get(type);
  if (pending === undefined) {
    pending = findOrCreateOwnAccessKey(context, type).finally(() => {
      context.ownAccessKeyLookups.delete(type);
    });
    context.ownAccessKeyLookups.set(type, pending);
  }
  return pending;
}

async function findOrCreateOwnAccessKey(
  context: ClientContext,
  type: string,
): Promise<Uint8Array> {
  const self = context.clientId;
  const existing = await getOwnAccessKey(context, type);
  if (existing !== undefined) return existing;
  const accessKey = randomKey(context.suite);
  try {
    await putAccessKey(context, accessKey, self, self, self, type);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Another device of this client made the key first: use that one.
    const winner = await getOwnAccessKey(context, type);
    if (winner === undefined) throw error;
    return winner;
  }
  context.ownAccessKeys.set(type, accessKey);
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
 * The AK for a query row: for the caller's own records, its own AK (the EAK sent with the row is
 * ignored); for others, from the read cache, else by opening the EAK the server sent with the
 * row, else by fetching the caller's EAK. `undefined` when there is none.
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
  if (isOwn(context, writerId, userId)) return await getOwnAccessKey(context, type);
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
