/**
 * Who may do what. Kept in one file so the rules are read (and tested) together:
 *
 * - a record is readable by its writer and by any reader with a current allow-read policy for
 *   (user, writer, type) — checked on every read, so revocation is immediate;
 * - an EAK or a policy for (writer W, type T) may be written by W, or by a client W made an
 *   authorizer for T (authorizers may share and revoke read, never grant authorizer or edit,
 *   and never touch W's own EAK);
 * - an authorizer changes only the grants it made: a live policy (any permission on) whose
 *   `authorizedBy` is another client, and that grant's EAK, are off limits to it (W may change
 *   any); a revoked policy is no one's grant, so any authorizer may share again;
 * - an EAK may be fetched only by its reader.
 *
 * @module
 */
import type { GrantKey } from "../store/grant_key.ts";
import type { PolicyRow } from "../store/policies.ts";
import type { RecordRow } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { HttpError } from "./_http_error.ts";

/**
 * Whether `callerId` may read `record` right now.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * if (!(await canReadRecord(store, callerId, record))) throw new HttpError(403, "...");
 * ```
 */
export async function canReadRecord(
  store: Store,
  callerId: string,
  record: RecordRow,
): Promise<boolean> {
  if (record.writerId === callerId) return true;
  const policy = await store.policies.get({
    writerId: record.writerId,
    userId: record.userId,
    readerId: callerId,
    type: record.type,
  });
  return policy?.canRead === true;
}

/**
 * Whether `callerId` holds the authorizer permission for (user, writer, type).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * await isAuthorizer(store, callerId, { writerId, userId, type });
 * ```
 */
export async function isAuthorizer(
  store: Store,
  callerId: string,
  grant: { writerId: string; userId: string; type: string },
): Promise<boolean> {
  const policy = await store.policies.get({ ...grant, readerId: callerId });
  return policy?.canAuthorize === true;
}

/**
 * Throws 403 unless `callerId` may put or delete the EAK (writer, user, reader, type): the
 * writer itself, or an authorizer when the reader is not the writer and the grant there is not
 * another client's (a live policy or the EAK of a live share made by someone else).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * await assertMayManageAccessKey(store, callerId, key);
 * ```
 */
export async function assertMayManageAccessKey(
  store: Store,
  callerId: string,
  key: { writerId: string; userId: string; readerId: string; type: string },
): Promise<void> {
  if (callerId === key.writerId) return;
  if (key.readerId !== key.writerId && await isAuthorizer(store, callerId, key)) {
    const policy = await store.policies.get(key);
    const accessKey = await store.accessKeys.get(key);
    const othersKey = accessKey !== undefined && accessKey.authorizerId !== callerId;
    if (isLive(policy) && (policy.authorizedBy !== callerId || othersKey)) {
      throw new HttpError(403, GRANTED_BY_ANOTHER);
    }
    return;
  }
  throw new HttpError(
    403,
    "Only the writer or an authorizer it granted for this type may change this access key",
  );
}

const GRANTED_BY_ANOTHER =
  "This share was granted by another client: only that client or the writer may change it";

function isLive(policy: PolicyRow | undefined): policy is PolicyRow {
  return policy !== undefined && (policy.canRead || policy.canAuthorize || policy.canEdit);
}

/** 403 when the policy at `key` is a live grant another client made. */
async function assertGrantNotAnothers(store: Store, callerId: string, key: GrantKey) {
  const policy = await store.policies.get(key);
  if (isLive(policy) && policy.authorizedBy !== callerId) {
    throw new HttpError(403, GRANTED_BY_ANOTHER);
  }
}

/**
 * Throws 403 unless `callerId` may set these policy actions on (writer, user, reader, type):
 * the writer may set anything; an authorizer only `read`, for readers other than the writer,
 * and only where no other client holds a live grant.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * await assertMayPutPolicy(store, callerId, key, ["read"]);
 * ```
 */
export async function assertMayPutPolicy(
  store: Store,
  callerId: string,
  key: { writerId: string; userId: string; readerId: string; type: string },
  actions: ReadonlySet<string>,
): Promise<void> {
  if (callerId === key.writerId) return;
  const onlyRead = [...actions].every((action) => action === "read");
  if (onlyRead && key.readerId !== key.writerId && await isAuthorizer(store, callerId, key)) {
    await assertGrantNotAnothers(store, callerId, key);
    return;
  }
  throw new HttpError(
    403,
    onlyRead
      ? "Only the writer or an authorizer it granted for this type may share this type"
      : "Only the writer may grant or deny authorizer or edit permission",
  );
}
