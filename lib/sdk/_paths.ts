/**
 * The E3DB storage API's paths, built in one place with every segment URL-encoded.
 *
 * @module
 */

function segments(...parts: string[]): string {
  return parts.map((part) => encodeURIComponent(part)).join("/");
}

/**
 * `/v1/storage/access_keys/{writer}/{user}/{reader}/{type}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accessKeyPath } from "./_paths.ts";
 * assert.equal(accessKeyPath("w", "u", "r", "my type"), "/v1/storage/access_keys/w/u/r/my%20type");
 * ```
 */
export function accessKeyPath(
  writerId: string,
  userId: string,
  readerId: string,
  type: string,
): string {
  return `/v1/storage/access_keys/${segments(writerId, userId, readerId, type)}`;
}

/**
 * `/v1/storage/policy/{user}/{writer}/{reader}/{type}` (user first, as Python and Go send it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { policyPath } from "./_paths.ts";
 * assert.equal(policyPath("u", "w", "r", "t"), "/v1/storage/policy/u/w/r/t");
 * ```
 */
export function policyPath(
  userId: string,
  writerId: string,
  readerId: string,
  type: string,
): string {
  return `/v1/storage/policy/${segments(userId, writerId, readerId, type)}`;
}

/**
 * `/v1/storage/records/{id}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordPath } from "./_paths.ts";
 * assert.equal(recordPath("abc"), "/v1/storage/records/abc");
 * ```
 */
export function recordPath(recordId: string): string {
  return `/v1/storage/records/${segments(recordId)}`;
}

/**
 * `/v1/storage/records/safe/{id}/{version}` (versioned update and delete).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeRecordPath } from "./_paths.ts";
 * assert.equal(safeRecordPath("abc", "v1"), "/v1/storage/records/safe/abc/v1");
 * ```
 */
export function safeRecordPath(recordId: string, version: string): string {
  return `/v1/storage/records/safe/${segments(recordId, version)}`;
}

/**
 * `/v1/storage/clients/{id}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientPath } from "./_paths.ts";
 * assert.equal(clientPath("abc"), "/v1/storage/clients/abc");
 * ```
 */
export function clientPath(clientId: string): string {
  return `/v1/storage/clients/${segments(clientId)}`;
}

/**
 * `/v1/account/backup/{registration_token}/{client_id}`. The token is a secret: never print
 * this path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backupPath } from "./_paths.ts";
 * assert.equal(backupPath("t", "c"), "/v1/account/backup/t/c");
 * ```
 */
export function backupPath(registrationToken: string, clientId: string): string {
  return `/v1/account/backup/${segments(registrationToken, clientId)}`;
}
