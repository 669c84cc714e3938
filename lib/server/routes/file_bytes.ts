/**
 * The bytes of large files, at the signed URLs the files API hands out (no `Authorization`
 * header: the `token` query parameter is the capability, see `capability_url.ts`):
 *
 * - `PUT /v1/arca/files/upload/{pending_id}?token=…` streams the body into the blob store,
 *   checking it against the announced size and MD5 (and `Content-Length` and `Content-MD5`,
 *   when sent) → 200 `{id, checksum, size}` (as measured); any mismatch (or a dropped
 *   connection) → 400 and nothing is kept, and the same URL may be retried until it expires:
 *   only a completed upload uses it up (then 403), and while one upload runs another is 409. A
 *   body past `ARCA_MAX_FILE_BYTES` or the writer's quota (`ARCA_CLIENT_QUOTA_BYTES`, which
 *   counts an uploaded file from then on) is a 413;
 * - `GET /v1/arca/files/download/{record_id}?token=…` streams the bytes → 200, or a single
 *   `Range` → 206 (416 when it lies past the end). The token names the client it was issued
 *   to, and that client must still be allowed to read the record: revoking a share stops even
 *   a URL issued before.
 *
 * A download token works once.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { IntegrityError } from "../../errors.ts";
import { errorBody } from "../../protocol/error_body.ts";
import { isFileChecksum } from "../../protocol/files.ts";
import type { FileChecksum } from "../../crypto/file_checksum.ts";
import type { PendingFileRow } from "../../store/files.ts";
import { CLIENT_DISABLED } from "../_auth.ts";
import { canReadRecord } from "../_authorization.ts";
import { resolveRange } from "../_byte_range.ts";
import { type Capability, type CapabilityKind, verifyCapability } from "../_capability_url.ts";
import type { AppEnv, Deps } from "../env.ts";
import { FILE_BYTES_PATH, fileBlobKey } from "../_file_urls.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { type AnnouncedUpload, type UploadLimit, verifyUpload } from "../_upload_verifier.ts";
import { maxFileBytes, quotaLimit } from "../settings.ts";
import { requireBlobs } from "./files.ts";

/**
 * The upload and download routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", fileBytesRoutes(deps));
 * ```
 */
export function fileBytesRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.put(`${FILE_BYTES_PATH}/upload/:pendingId`, async (c) => {
    const blobs = requireBlobs(deps);
    const pendingId = uuidParam(c, "pendingId", 404);
    // An upload URL is not consumed here: a rejected or dropped upload may be retried with it
    // until it expires. Claiming the pending file (`pending` → `uploading`) lets one upload run
    // at a time, and only a completed one (`uploaded`) uses the URL up.
    const capability = await verifyUrl(c, deps, "upload", pendingId);
    if (await deps.store.files.capabilityUsed(capability.tokenId)) {
      throw new HttpError(403, "File URL has already been used");
    }
    const pending = await deps.store.files.getPending(pendingId);
    if (pending === undefined || pending.writerId !== capability.clientId) {
      throw new HttpError(404, "Pending file not found");
    }
    if (pending.expires <= deps.clock()) throw new HttpError(404, "Pending file has expired");
    if (!(await deps.store.files.setPendingState(pendingId, "pending", "uploading"))) {
      throw new HttpError(409, "This file's bytes are already being uploaded or uploaded");
    }
    let measured: FileChecksum;
    try {
      const expected = expectedBody(c, pending);
      const limit = await uploadLimit(deps, pending.writerId);
      const upload = verifyUpload(c.req.raw.body ?? new Blob([]).stream(), expected, limit);
      await blobs.put(pending.blobKey, upload.body);
      measured = upload.measured();
    } catch (error) {
      // Nothing of the body was kept (a blob store keeps nothing from a failed stream).
      await deps.store.files.setPendingState(pendingId, "uploading", "pending");
      throw error;
    }
    let marked: boolean;
    try {
      // Counts the bytes in the writer's usage, atomically against its quota.
      marked = await deps.store.files.markPendingUploaded(
        pendingId,
        measured,
        quotaLimit(deps.settings),
      );
    } catch (error) {
      await blobs.delete(pending.blobKey);
      await deps.store.files.setPendingState(pendingId, "uploading", "pending");
      throw error;
    }
    if (!marked) {
      await blobs.delete(pending.blobKey);
      throw new HttpError(404, "Pending file expired during the upload");
    }
    await deps.store.files.useCapability(capability.tokenId, capability.expires);
    return c.json({ id: pendingId, ...measured }, 200);
  });

  routes.get(`${FILE_BYTES_PATH}/download/:recordId`, async (c) => {
    const blobs = requireBlobs(deps);
    const recordId = uuidParam(c, "recordId", 404);
    const capability = await useCapability(c, deps, "download", recordId);
    const record = await deps.store.records.get(recordId);
    if (record === undefined) throw new HttpError(404, "Record not found");
    if (!(await canReadRecord(deps.store, capability.clientId, record))) {
      throw new HttpError(403, "Record is not shared with you");
    }
    const blobKey = fileBlobKey(record);
    const size = blobKey === undefined ? undefined : await blobs.size(blobKey);
    if (blobKey === undefined || size === undefined) throw new HttpError(404, "File not found");
    const range = resolveRange(c.req.header("range"), size);
    if (range.kind === "unsatisfiable") {
      return c.json(errorBody(`Range is outside the file's ${size} bytes`), 416, {
        "content-range": `bytes */${size}`,
      });
    }
    const wanted = range.kind === "partial" ? { start: range.start, end: range.end } : undefined;
    const body = await blobs.read(blobKey, wanted);
    if (body === undefined) throw new HttpError(404, "File not found");
    const headers = new Headers({
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      "cache-control": "no-store",
      "content-length": String(wanted === undefined ? size : wanted.end - wanted.start),
    });
    if (wanted !== undefined) {
      headers.set("content-range", `bytes ${wanted.start}-${wanted.end - 1}/${size}`);
    }
    return new Response(body, { status: wanted === undefined ? 200 : 206, headers });
  });

  return routes;
}

/**
 * The most bytes this upload may have: the largest file, or what is left of the writer's quota
 * when that is less (an early stop; the quota is checked again, atomically, at the end).
 */
async function uploadLimit(deps: Deps, writerId: string): Promise<UploadLimit> {
  const largest = maxFileBytes(deps.settings);
  const { quotaBytes } = quotaLimit(deps.settings);
  const used = quotaBytes === 0 ? 0 : await deps.store.usage.bytes(writerId);
  if (quotaBytes !== 0 && quotaBytes - used < largest) {
    const left = Math.max(0, quotaBytes - used);
    return {
      bytes: left,
      message: `Storage quota exceeded: the upload is larger than the ${left} bytes left of ` +
        `the client's quota of ${quotaBytes} bytes (ARCA_CLIENT_QUOTA_BYTES)`,
    };
  }
  return {
    bytes: largest,
    message: `The upload is larger than this server's limit of ${largest} bytes ` +
      `(ARCA_MAX_FILE_BYTES)`,
  };
}

/**
 * Checks the URL's token (signature, kind, file and expiry) without using it up, and that the
 * client it was signed for still exists and is not disabled: a URL dies with its client.
 */
async function verifyUrl(
  c: Context<AppEnv>,
  deps: Deps,
  kind: CapabilityKind,
  fileId: string,
): Promise<Capability> {
  const query = { kind, fileId };
  const capability = await verifyCapability(
    deps.fileUrlKey,
    c.req.query("token"),
    query,
    deps.clock(),
  );
  const client = await deps.store.clients.get(capability.clientId);
  if (client === undefined) throw new HttpError(403, "File URL's client no longer exists");
  if (client.disabled) throw new HttpError(401, CLIENT_DISABLED);
  return capability;
}

/** Checks the URL's token and uses it up: it works once. */
async function useCapability(
  c: Context<AppEnv>,
  deps: Deps,
  kind: CapabilityKind,
  fileId: string,
): Promise<Capability> {
  const capability = await verifyUrl(c, deps, kind, fileId);
  if (!(await deps.store.files.useCapability(capability.tokenId, capability.expires))) {
    throw new HttpError(403, "File URL has already been used");
  }
  return capability;
}

/**
 * What the body must match: the size and MD5 announced with the pending file, and the body's
 * own `Content-Length` and `Content-MD5` headers (which must agree with them when both exist).
 */
function expectedBody(c: Context<AppEnv>, pending: PendingFileRow): AnnouncedUpload {
  const expected: AnnouncedUpload = { checksum: pending.checksum, size: pending.size };
  const length = c.req.header("content-length")?.trim();
  if (length !== undefined) {
    if (!/^\d{1,16}$/.test(length)) {
      throw new HttpError(400, `Content-Length ${JSON.stringify(length)} is not a byte count`);
    }
    if (expected.size !== null && Number(length) !== expected.size) {
      throw new IntegrityError(
        `Content-Length ${length} differs from the announced size ${expected.size}`,
        { status: 400 },
      );
    }
    expected.size = Number(length);
  }
  const md5 = c.req.header("content-md5")?.trim();
  if (md5 !== undefined) {
    if (!isFileChecksum(md5)) throw new HttpError(400, "Content-MD5 is not a base64 MD5 digest");
    if (expected.checksum !== null && md5 !== expected.checksum) {
      throw new IntegrityError("Content-MD5 differs from the announced checksum", { status: 400 });
    }
    expected.checksum = md5;
  }
  return expected;
}
