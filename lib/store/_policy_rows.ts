/**
 * Policy rows for both backends: a {@linkcode PolicyRow}'s bound values, and a stored row
 * (column name → value) as a {@linkcode PolicyRow}.
 *
 * @module
 */
import type { PolicyRow } from "./policies.ts";
import type { StoredFlag } from "./_stored_flag.ts";

type Columns = Record<string, unknown>;

/**
 * A policy's values for `policies (user_id, writer_id, reader_id, type, can_read, can_authorize,
 * can_edit, authorized_by, updated)`, in that order.
 */
export function policyParams<F extends number | boolean>(
  policy: PolicyRow,
  flag: StoredFlag<F>,
): Array<string | number | F> {
  return [
    policy.userId,
    policy.writerId,
    policy.readerId,
    policy.type,
    flag.write(policy.canRead),
    flag.write(policy.canAuthorize),
    flag.write(policy.canEdit),
    policy.authorizedBy,
    policy.updated,
  ];
}

/** A `policies` row as a {@linkcode PolicyRow}. */
export function toPolicy(row: Columns, flag: StoredFlag<number | boolean>): PolicyRow {
  return {
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    readerId: String(row.reader_id),
    type: String(row.type),
    canRead: flag.read(row.can_read),
    canAuthorize: flag.read(row.can_authorize),
    canEdit: flag.read(row.can_edit),
    authorizedBy: String(row.authorized_by),
    updated: Number(row.updated),
  };
}
