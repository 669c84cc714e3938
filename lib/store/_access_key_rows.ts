/**
 * Access-key rows for both backends: an {@linkcode AccessKeyRow}'s bound values, and a stored
 * row (column name → value) as an {@linkcode AccessKeyRow}.
 *
 * @module
 */
import type { AccessKeyRow } from "./access_keys.ts";

type Columns = Record<string, unknown>;

/**
 * An access key's values for `access_keys (writer_id, user_id, reader_id, type, eak,
 * authorizer_id, created)`, in that order.
 */
export function accessKeyParams(accessKey: AccessKeyRow): Array<string | number> {
  return [
    accessKey.writerId,
    accessKey.userId,
    accessKey.readerId,
    accessKey.type,
    accessKey.eak,
    accessKey.authorizerId,
    accessKey.created,
  ];
}

/** An `access_keys` row as an {@linkcode AccessKeyRow}. */
export function toAccessKey(row: Columns): AccessKeyRow {
  return {
    writerId: String(row.writer_id),
    userId: String(row.user_id),
    readerId: String(row.reader_id),
    type: String(row.type),
    eak: String(row.eak),
    authorizerId: String(row.authorizer_id),
    created: Number(row.created),
  };
}
