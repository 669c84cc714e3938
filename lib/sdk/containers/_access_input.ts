/**
 * The `access` option of `create` / `update` checked and brought to one form: a list of
 * `{ userId, permissions (integer), expiration (µs or null) }`, each user once.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";
import { parseExpiration } from "../../protocol/access.ts";
import { MAX_ACCESS_ENTRIES } from "../../protocol/container_constants.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { OTHERS_DEFAULT_PERMISSIONS, parsePermissionBits } from "../../protocol/permissions.ts";
import type { AccessInput, AccessList } from "./container_types.ts";

/** One access entry, checked. */
export interface AccessGrant {
  /** Lower-case user id. */
  userId: string;
  /** 0..127. */
  permissions: number;
  /** µs since the epoch, or `null`. */
  expiration: number | null;
}

function grant(userId: unknown, input: AccessInput | undefined): AccessGrant {
  const id = parseUuid(userId, "Access user id");
  if (input !== undefined && (input === null || typeof input !== "object")) {
    throw new ValidationError(`Access of user ${id} must be an object`);
  }
  const rawPermissions = input?.permissions ?? OTHERS_DEFAULT_PERMISSIONS;
  const permissions = parsePermissionBits(
    typeof rawPermissions === "object" ? rawPermissions.valueOf() : rawPermissions,
    `Permissions of user ${id}`,
  );
  const rawExpiration = input?.expiration ?? null;
  const expiration = rawExpiration instanceof Date
    ? rawExpiration.getTime() * 1000
    : parseExpiration(rawExpiration, `Expiration of user ${id}`);
  return { userId: id, permissions, expiration };
}

/**
 * Checks an access option: user ids (default access each), a map id → access, or a list of
 * `Access` values. A user listed twice or an empty list is a `ValidationError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accessGrants } from "./_access_input.ts";
 * const id = crypto.randomUUID();
 * assert.deepEqual(accessGrants([id]), [{ userId: id, permissions: 11, expiration: null }]);
 * assert.equal(accessGrants({ [id]: { permissions: 1 } })[0]!.permissions, 1);
 * assert.throws(() => accessGrants([id, id]), /twice/);
 * ```
 */
export function accessGrants(access: AccessList): AccessGrant[] {
  let grants: AccessGrant[];
  if (Array.isArray(access)) {
    grants = access.map((item: unknown) => {
      if (typeof item === "string") return grant(item, undefined);
      if (item === null || typeof item !== "object") {
        throw new ValidationError("Access list items must be user ids or Access values");
      }
      return grant((item as { userId?: unknown }).userId, item as AccessInput);
    });
  } else if (access instanceof Map) {
    grants = [...access].map(([id, input]) => grant(id, input));
  } else if (access !== null && typeof access === "object") {
    grants = Object.entries(access as Record<string, AccessInput>).map(([id, input]) =>
      grant(id, input)
    );
  } else {
    throw new ValidationError("access must be a list of user ids, a map id → Access, or Access[]");
  }
  if (grants.length === 0) throw new ValidationError("access must name at least one user");
  if (grants.length > MAX_ACCESS_ENTRIES) {
    throw new ValidationError(`access may name at most ${MAX_ACCESS_ENTRIES} users`);
  }
  const seen = new Set<string>();
  for (const { userId } of grants) {
    if (seen.has(userId)) throw new ValidationError(`access lists user ${userId} twice`);
    seen.add(userId);
  }
  return grants;
}
