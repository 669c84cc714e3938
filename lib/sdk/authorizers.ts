/**
 * Authorizers: a writer lets another client (the authorizer) share and revoke one of its record
 * types on its behalf. The writer gives the authorizer the type's access key and an authorizer
 * policy; the authorizer then boxes that key for readers with its own private key, so readers
 * see the authorizer as the EAK's author.
 *
 * @module
 */
import { NotFoundError, ValidationError } from "../errors.ts";
import type { AuthorizerPolicyJson } from "../protocol/responses.ts";
import type { PolicyPutRequest } from "../protocol/schemas.ts";
import { parseUuid } from "../protocol/ids.ts";
import {
  deleteAccessKey,
  ensureOwnAccessKey,
  forgetAccessKey,
  getAccessKey,
  putAccessKey,
} from "./_access_keys.ts";
import type { ClientContext } from "./context.ts";
import { policyPath } from "./_paths.ts";
import { ALLOW_READ, DENY_READ, policyList } from "./sharing.ts";
import { requireType } from "./_validate.ts";
import { wireString } from "./_wire_reader.ts";

/** The policy body that makes a client an authorizer. */
export const ALLOW_AUTHORIZER = { allow: [{ authorizer: {} }] } satisfies PolicyPutRequest;
/** The policy body that removes an authorizer. */
export const DENY_AUTHORIZER = { deny: [{ authorizer: {} }] } satisfies PolicyPutRequest;

/** One authorizer permission: `authorizerId` may share `writerId`'s `recordType`. */
export interface AuthorizerGrant {
  /** The client allowed to share. */
  authorizerId: string;
  /** The writer whose records it may share. */
  writerId: string;
  /** The user (owner) of those records. */
  userId: string;
  /** The record type. */
  recordType: string;
  /** The client that granted the permission. */
  authorizedBy: string;
}

function grantsFromWire(value: unknown): AuthorizerGrant[] {
  return policyList<AuthorizerPolicyJson>(value).map((item) => ({
    authorizerId: wireString(item, "authorizer_id", "authorizer policy"),
    writerId: wireString(item, "writer_id", "authorizer policy"),
    userId: wireString(item, "user_id", "authorizer policy"),
    recordType: wireString(item, "record_type", "authorizer policy"),
    authorizedBy: wireString(item, "authorized_by", "authorizer policy"),
  }));
}

/**
 * The authorizers the caller has granted (`GET /v1/storage/policy/proxies`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const grants = await authorizerProxies(context);
 * ```
 */
export async function authorizerProxies(context: ClientContext): Promise<AuthorizerGrant[]> {
  const reply = await context.transport.request("GET", "/v1/storage/policy/proxies");
  return grantsFromWire(reply.json);
}

/**
 * The writers that made the caller an authorizer (`GET /v1/storage/policy/granted`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const grants = await authorizersGranted(context);
 * ```
 */
export async function authorizersGranted(context: ClientContext): Promise<AuthorizerGrant[]> {
  const reply = await context.transport.request("GET", "/v1/storage/policy/granted");
  return grantsFromWire(reply.json);
}

/**
 * Makes `authorizerId` an authorizer for the caller's records of `type` (does nothing when it
 * already is one).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await addAuthorizer(context, authorizerId, "contact");
 * ```
 */
export async function addAuthorizer(
  context: ClientContext,
  authorizerId: string,
  type: string,
): Promise<void> {
  const authorizer = parseUuid(authorizerId, "Authorizer id");
  requireType(type);
  const self = context.clientId;
  if (authorizer === self) {
    throw new ValidationError("A client cannot be its own authorizer");
  }
  const existing = await authorizerProxies(context);
  if (existing.some((grant) => grant.authorizerId === authorizer && grant.recordType === type)) {
    return;
  }
  const accessKey = await ensureOwnAccessKey(context, type);
  await putAccessKey(context, accessKey, self, self, authorizer, type);
  await context.transport.request("PUT", policyPath(self, self, authorizer, type), {
    body: ALLOW_AUTHORIZER,
  });
}

/**
 * Removes `authorizerId`'s permission for `type`, or for every type it holds when `type` is
 * omitted, and deletes the access keys it was given. Readers it already shared with keep access
 * until revoked.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await removeAuthorizer(context, authorizerId, "contact");
 * ```
 */
export async function removeAuthorizer(
  context: ClientContext,
  authorizerId: string,
  type?: string,
): Promise<void> {
  const authorizer = parseUuid(authorizerId, "Authorizer id");
  if (type !== undefined) requireType(type);
  const self = context.clientId;
  const types = type !== undefined ? [type] : (await authorizerProxies(context))
    .filter((grant) => grant.authorizerId === authorizer && grant.writerId === self)
    .map((grant) => grant.recordType);
  for (const each of new Set(types)) {
    await context.transport.request("PUT", policyPath(self, self, authorizer, each), {
      body: DENY_AUTHORIZER,
    });
    await deleteAccessKey(context, self, self, authorizer, each);
  }
}

/**
 * As an authorizer for `writerId`'s `type`, shares it with `readerId`: opens the writer's access
 * key (given to the caller), boxes it for the reader, and allows the reader to read.
 * {@linkcode NotFoundError} when the caller holds no key for that writer and type.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await shareOnBehalfOf(context, writerId, "contact", readerId);
 * ```
 */
export async function shareOnBehalfOf(
  context: ClientContext,
  writerId: string,
  type: string,
  readerId: string,
): Promise<void> {
  const writer = parseUuid(writerId, "Writer id");
  requireType(type);
  const reader = parseUuid(readerId, "Reader id");
  // Always ask the server: a removed authorizer must fail here even with a cached key.
  forgetAccessKey(context, writer, writer, type);
  const accessKey = await getAccessKey(context, writer, writer, type);
  if (accessKey === undefined) {
    throw new NotFoundError(
      `No access key for type "${type}" of writer "${writer}": not an authorizer for it`,
    );
  }
  await putAccessKey(context, accessKey, writer, writer, reader, type);
  await context.transport.request("PUT", policyPath(writer, writer, reader, type), {
    body: ALLOW_READ,
  });
}

/**
 * As an authorizer for `writerId`'s `type`, stops sharing it with `readerId`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await revokeOnBehalfOf(context, writerId, "contact", readerId);
 * ```
 */
export async function revokeOnBehalfOf(
  context: ClientContext,
  writerId: string,
  type: string,
  readerId: string,
): Promise<void> {
  const writer = parseUuid(writerId, "Writer id");
  requireType(type);
  const reader = parseUuid(readerId, "Reader id");
  await context.transport.request("PUT", policyPath(writer, writer, reader, type), {
    body: DENY_READ,
  });
  await deleteAccessKey(context, writer, writer, reader, type);
}
