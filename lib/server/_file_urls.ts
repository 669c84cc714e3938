/**
 * The signed URLs of file bytes, and file records as the files API returns them (with a fresh
 * download URL in `file_meta.file_url`).
 *
 * @module
 */
import type { Context } from "hono";
import type { FileMetaJson } from "../protocol/files.ts";
import type { RecordJson } from "../protocol/responses.ts";
import { requireBlobKey } from "../store/blob_store.ts";
import type { RecordRow } from "../store/records.ts";
import { type CapabilityKind, issueCapability } from "./_capability_url.ts";
import type { Deps } from "./env.ts";
import { HttpError } from "./_http_error.ts";
import { publicBaseUrl } from "./_public_url.ts";
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from "./settings.ts";
import { recordJson } from "./_wire.ts";

/** Path prefix of the capability URLs (outside `/v1/storage`, which needs a bearer token). */
export const FILE_BYTES_PATH = "/v1/arca/files";

const MICROS = 1_000_000;

/**
 * A signed URL for `kind` of `fileId` (pending id or record id) issued to `clientId`. The base
 * is the configured public URL, or else the origin the request came to.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * const url = await signedFileUrl(c, deps, "upload", pendingId, callerId);
 * ```
 */
export async function signedFileUrl(
  c: Context,
  deps: Deps,
  kind: CapabilityKind,
  fileId: string,
  clientId: string,
): Promise<string> {
  const seconds = kind === "upload" ? UPLOAD_URL_SECONDS : DOWNLOAD_URL_SECONDS;
  const token = await issueCapability(deps.fileUrlKey, {
    kind,
    fileId,
    clientId,
    expires: deps.clock() + seconds * MICROS,
  });
  const base = publicBaseUrl(deps, c);
  return `${base}${FILE_BYTES_PATH}/${kind}/${fileId}?token=${token}`;
}

/**
 * The blob key of a file record (its `file_meta.file_name`), or `undefined` for other records.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * const key = fileBlobKey(record);
 * ```
 */
export function fileBlobKey(record: RecordRow): string | undefined {
  const name = record.fileMeta?.file_name;
  if (typeof name !== "string") return undefined;
  requireBlobKey(name);
  return name;
}

/**
 * A file record with a fresh download URL for `clientId`; 404 when the record is not a file.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * return c.json(await fileRecordJson(c, deps, record, callerId), 200);
 * ```
 */
export async function fileRecordJson(
  c: Context,
  deps: Deps,
  record: RecordRow,
  clientId: string,
): Promise<RecordJson> {
  if (fileBlobKey(record) === undefined) throw new HttpError(404, "Record is not a file");
  const json = recordJson(record);
  const fileMeta = { ...json.meta.file_meta } as unknown as FileMetaJson;
  fileMeta.file_url = await signedFileUrl(c, deps, "download", record.recordId, clientId);
  json.meta.file_meta = { ...fileMeta };
  return json;
}
