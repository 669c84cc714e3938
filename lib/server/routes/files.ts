/**
 * `/v1/storage/files` (E3DB §2.10), bearer-authenticated:
 *
 * - `POST /v1/storage/files` → 202 `{id, file_url}`: a pending file and a signed upload URL
 *   (see `file_bytes.ts`); an announced size past `ARCA_MAX_FILE_BYTES` or the writer's quota
 *   (`ARCA_CLIENT_QUOTA_BYTES`) is a 413;
 * - `PATCH /v1/storage/files/{id}` → 201: commits an uploaded pending file as a record whose
 *   `file_meta` has `checksum`, `compression`, `size`, `file_url` and `file_name`. E3DB sends
 *   no body; Arca's SDK, which streams without announcing the checksum, sends
 *   `{"file_meta": {"checksum", "size"}}` as it measured them, and a mismatch with what the
 *   server received is a 400 that drops the upload and its bytes;
 * - `GET /v1/storage/files/{record_id}` → 200: the record with a fresh signed download URL.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { randomUuid } from "../../crypto/uuid.ts";
import { IntegrityError } from "../../errors.ts";
import {
  fileCommitSchema,
  fileWriteSchema,
  type PendingFileResponse,
} from "../../protocol/files.ts";
import type { BlobStore } from "../../store/blob_store.ts";
import type { PendingFileRow } from "../../store/files.ts";
import { QuotaExceededError } from "../../store/usage.ts";
import { canReadRecord } from "../_authorization.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { deleteQueuedBlobs } from "../_file_sweep.ts";
import { fileRecordJson, signedFileUrl } from "../_file_urls.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { readJson, readOptionalJson } from "../_read_json.ts";
import { maxFileBytes, PENDING_FILE_SECONDS, quotaLimit } from "../settings.ts";

/**
 * Throws 501 unless the server has a blob store.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * const blobs = requireBlobs(deps);
 * ```
 */
export function requireBlobs(deps: Deps): BlobStore {
  if (deps.blobs === undefined) {
    throw new HttpError(501, "This server has no file storage configured");
  }
  return deps.blobs;
}

/**
 * The file record routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", fileRoutes(deps));
 * ```
 */
export function fileRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.post("/v1/storage/files", async (c) => {
    requireBlobs(deps);
    const callerId = c.get("clientId");
    const body = await readJson(c, fileWriteSchema);
    if (body.meta.writer_id !== callerId) {
      throw new HttpError(403, "meta.writer_id must be the authenticated client");
    }
    await checkAnnouncedSize(deps, callerId, body.meta.file_meta.size);
    const now = deps.clock();
    const pendingId = randomUuid();
    const pending: PendingFileRow = {
      pendingId,
      writerId: callerId,
      userId: body.meta.user_id,
      type: body.meta.type,
      plain: body.meta.plain,
      data: body.data,
      recSig: body.rec_sig,
      checksum: body.meta.file_meta.checksum,
      compression: body.meta.file_meta.compression,
      size: body.meta.file_meta.size,
      blobKey: `${pendingId}-${now}`,
      state: "pending",
      created: now,
      expires: now + PENDING_FILE_SECONDS * 1_000_000,
    };
    await deps.store.files.createPending(pending);
    const answer: PendingFileResponse = {
      id: pendingId,
      file_url: await signedFileUrl(c, deps, "upload", pendingId, callerId),
    };
    return c.json(answer, 202);
  });

  routes.patch("/v1/storage/files/:pendingId", async (c) => {
    requireBlobs(deps);
    const callerId = c.get("clientId");
    const pendingId = uuidParam(c, "pendingId", 404);
    const claimed = await readCommitBody(c);
    const record = await deps.store.transaction(async (tx) => {
      const pending = await tx.files.getPending(pendingId);
      if (pending === undefined || pending.writerId !== callerId) {
        throw new HttpError(404, "Pending file not found");
      }
      if (pending.expires <= deps.clock()) throw new HttpError(404, "Pending file has expired");
      if (pending.state !== "uploaded") {
        throw new HttpError(409, "The file's bytes have not been uploaded yet");
      }
      if (
        claimed !== undefined &&
        (claimed.checksum !== pending.checksum || claimed.size !== pending.size)
      ) {
        await tx.files.deletePending(pendingId);
        await tx.files.queueBlobDeletion(pending.blobKey);
        return undefined;
      }
      // The upload's bytes move from the pending file to the record: free them first.
      await tx.files.deletePending(pendingId);
      const now = await tx.issueTimestamp(deps.clock());
      return await tx.records.insert({
        recordId: randomUuid(),
        writerId: pending.writerId,
        userId: pending.userId,
        type: pending.type,
        plain: pending.plain,
        data: pending.data,
        recSig: pending.recSig,
        fileMeta: {
          checksum: pending.checksum,
          compression: pending.compression,
          size: pending.size,
          file_url: "",
          file_name: pending.blobKey,
        },
        created: now,
        lastModified: now,
        version: randomUuid(),
      }, quotaLimit(deps.settings));
    });
    if (record === undefined) {
      await deleteQueuedBlobs(deps.store, requireBlobs(deps));
      throw new IntegrityError("The uploaded bytes do not match the committed checksum and size", {
        status: 400,
      });
    }
    return c.json(await fileRecordJson(c, deps, record, callerId), 201);
  });

  routes.get("/v1/storage/files/:recordId", async (c) => {
    requireBlobs(deps);
    const callerId = c.get("clientId");
    const record = await deps.store.records.get(uuidParam(c, "recordId", 404));
    if (record === undefined) throw new HttpError(404, "Record not found");
    if (!(await canReadRecord(deps.store, callerId, record))) {
      throw new HttpError(403, "Record is not shared with you");
    }
    return c.json(await fileRecordJson(c, deps, record, callerId), 200);
  });

  return routes;
}

/**
 * Refuses (413) an announced size larger than the largest file, or than what is left of the
 * writer's quota (checked again, atomically, when the bytes arrive).
 */
async function checkAnnouncedSize(deps: Deps, clientId: string, size: number | null) {
  if (size === null) return;
  const largest = maxFileBytes(deps.settings);
  if (size > largest) {
    throw new HttpError(
      413,
      `File size ${size} is larger than this server's limit of ${largest} bytes ` +
        "(ARCA_MAX_FILE_BYTES)",
    );
  }
  const { quotaBytes } = quotaLimit(deps.settings);
  if (quotaBytes === 0) return;
  const used = await deps.store.usage.bytes(clientId);
  if (used + size > quotaBytes) throw new QuotaExceededError(quotaBytes, used, size);
}

/** The optional commit body: the checksum and size the client measured while uploading. */
async function readCommitBody(
  c: Context<BearerEnv>,
): Promise<{ checksum: string; size: number } | undefined> {
  return (await readOptionalJson(c, fileCommitSchema))?.file_meta;
}
