/**
 * Credential backup (E3DB `register(..., backup=True)`): the client's credentials are written
 * as an encrypted record of type `tozny.key_backup` (each value JSON-encoded, as E3DB does),
 * shared with the account's backup client, and reported with
 * `POST /v1/account/backup/{registration_token}/{client_id}`.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { parseUuid } from "../protocol/ids.ts";
import type { ClientContext } from "./context.ts";
import { backupPath } from "./_paths.ts";
import { writeRecord } from "./records.ts";
import { shareType } from "./sharing.ts";

/** The record type of credential backups. */
export const KEY_BACKUP_TYPE = "tozny.key_backup";

/** The credential fields a backup holds, in E3DB's order. */
const BACKUP_FIELDS = [
  "version",
  "client_id",
  "api_key_id",
  "api_secret",
  "client_email",
  "public_key",
  "private_key",
  "public_signing_key",
  "private_signing_key",
  "api_url",
] as const;

/**
 * The backup record's data: every credential field as a JSON-encoded string
 * (`"version": "\"2\""`).
 *
 * @example
 * ```ts ignore
 * // Needs a registered client's context (see createClientContext).
 * const data = backupRecordData(context);
 * console.log(data.version); // "\"2\""
 * ```
 */
export function backupRecordData(context: ClientContext): Record<string, string> {
  const json = context.config.toJSON() as unknown as Record<string, string | undefined>;
  const data: Record<string, string> = {};
  for (const field of BACKUP_FIELDS) {
    const value = json[field];
    if (value !== undefined) data[field] = JSON.stringify(value);
  }
  return data;
}

/**
 * Backs up the client's credentials for `backupClientId` (the registration reply's
 * `X-Backup-Client`). When that is the client itself, the share step is skipped.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await backupCredentials(context, backupClientId, registrationToken);
 * ```
 */
export async function backupCredentials(
  context: ClientContext,
  backupClientId: string,
  registrationToken: string,
): Promise<void> {
  const backupId = parseUuid(backupClientId, "Backup client id");
  if (typeof registrationToken !== "string" || registrationToken === "") {
    throw new ValidationError("Registration token must be a non-empty string");
  }
  await writeRecord(context, KEY_BACKUP_TYPE, backupRecordData(context), {
    client: context.clientId,
  });
  if (backupId !== context.clientId) await shareType(context, KEY_BACKUP_TYPE, backupId);
  await context.transport.request("POST", backupPath(registrationToken, context.clientId));
}
