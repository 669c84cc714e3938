/**
 * Updates that need more than one request's worth of thought: an access change (key blobs for
 * users who newly may decrypt) and a re-key (a fresh key, both parts sealed under it — the part
 * not given is opened with the old key and re-sealed — and a key blob for every user kept).
 *
 * @module
 */
import { ForbiddenError } from "../../errors.ts";
import type { ContainerAccessInput, ContainerUpdateBody } from "../../protocol/containers.ts";
import { ACCESS_VIEW, CONTAINER_DECRYPT, CONTAINER_DOWNLOAD } from "../../protocol/permissions.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import type { ClientContext } from "../context.ts";
import type { Container } from "../container.ts";
import type { AccessGrant } from "./_access_input.ts";
import { type ContainerReply, patchContainer } from "./_container_requests.ts";
import type { ContainerIo } from "./_container_io.ts";
import { accessWithKeyBlobs, contentFields } from "./_container_writer.ts";
import type { ContentInput, UpdateOptions } from "./container_types.ts";
import { newContainerKey, openContentBytes, openHeader, sealHeader } from "./_sealing.ts";

/** What a re-key changes. */
export interface Rekey {
  /** A new type, if any. */
  type: string | undefined;
  /** New content, if any. */
  content: ContentInput | undefined;
  /** A new header, if any. */
  header: unknown;
  /** A new access list, else the current one. */
  grants: AccessGrant[] | undefined;
  /** The length of a content stream. */
  length?: number | undefined;
  /** Upload (and re-sealing download) progress. */
  onProgress?: UpdateOptions["onProgress"];
}
/**
 * The access list of an access-only change: key blobs (for the current version) for users who
 * newly may decrypt; kept entries keep theirs.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a session's ContainerIo.
 * const access = await accessChange(io, context, current, grants);
 * ```
 */
export async function accessChange(
  io: ContainerIo,
  context: ClientContext,
  current: ContainerReply,
  grants: AccessGrant[],
): Promise<ContainerAccessInput[]> {
  const before = new Map(current.metadata.access.map((entry) => [entry.userId, entry]));
  const gainsDecrypt = (grant: AccessGrant) =>
    ((before.get(grant.userId)?.permissions ?? 0) & CONTAINER_DECRYPT) === 0;
  const needsKey = grants.some((grant) =>
    (grant.permissions & CONTAINER_DECRYPT) !== 0 && gainsDecrypt(grant)
  );
  const key = needsKey && current.keyBlob !== null
    ? await io.containerKey(context, current)
    : undefined;
  return await accessWithKeyBlobs(context, key, io.scope(current), grants, gainsDecrypt);
}

/**
 * Writes a new version: a fresh key, both parts sealed under it, and a key blob for every user
 * who keeps access (the current list unless a new one is given).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a session's ContainerIo.
 * const container = await rekey(io, context, current, { content: "new", header: undefined,
 *   type: undefined, grants: undefined });
 * ```
 */
export async function rekey(
  io: ContainerIo,
  context: ClientContext,
  current: ContainerReply,
  change: Rekey,
): Promise<Container> {
  const grants = change.grants ?? keptAccess(io, context, current);
  const needsOld = change.content === undefined || change.header === undefined;
  const oldKey = needsOld ? await previousKey(io, context, current) : undefined;
  const oldScope = io.scope(current);
  const scope = { containerId: oldScope.containerId, version: oldScope.version + 1 };
  const key = newContainerKey(context.suite);
  const header = change.header !== undefined
    ? change.header
    : current.header === null
    ? undefined
    : await openHeader(context.suite, oldKey!, oldScope, current.header);
  const content = change.content ??
    await oldContent(io, context, current, oldKey!, change.onProgress);
  const length = change.content === undefined ? current.metadata.length : change.length;
  const sealed = await io.sealContent(context, key, scope, content, {
    length,
    onProgress: change.onProgress,
  });
  try {
    const body: ContainerUpdateBody = {
      version: scope.version,
      ...contentFields(sealed),
      header: header === undefined
        ? null
        : encodeBase64Url(await sealHeader(context.suite, key, scope, header)),
      access: await accessWithKeyBlobs(context, key, scope, grants, () => true),
      ...(change.type === undefined ? {} : { type: change.type }),
    };
    const reply = await patchContainer(io.endpoint(context), scope.containerId, body);
    await io.upload(context, scope, sealed);
    return io.written(context, reply, key, scope, header, sealed);
  } finally {
    await sealed.cleanup();
  }
}
/** Everyone's access as it is (re-keying keeps it); refused when the caller cannot see it. */
function keptAccess(
  io: ContainerIo,
  context: ClientContext,
  current: ContainerReply,
): AccessGrant[] {
  if ((io.ownBits(context, current) & ACCESS_VIEW) === 0) {
    throw new ForbiddenError(
      "Re-keying without access.view would drop the other users' access: " +
        "give the complete access list",
    );
  }
  return current.metadata.access.map((entry) => ({
    userId: entry.userId,
    permissions: entry.permissions,
    expiration: entry.expiration,
  }));
}

async function previousKey(
  io: ContainerIo,
  context: ClientContext,
  current: ContainerReply,
): Promise<Uint8Array> {
  if (current.keyBlob === null) {
    throw new ForbiddenError(
      "Re-keying keeps the part not given, which needs container.decrypt: give both content and header",
    );
  }
  return await io.containerKey(context, current);
}

async function oldContent(
  io: ContainerIo,
  context: ClientContext,
  current: ContainerReply,
  key: Uint8Array,
  onProgress: UpdateOptions["onProgress"],
): Promise<ContentInput> {
  const scope = io.scope(current);
  if (current.content !== null) {
    return await openContentBytes(context.suite, key, scope, current.content);
  }
  if ((io.ownBits(context, current) & CONTAINER_DOWNLOAD) === 0) {
    throw new ForbiddenError(
      "Re-keying keeps the content, which needs container.download: give new content",
    );
  }
  return await io.openRemote(context, key, scope, current.contentSize, onProgress);
}
