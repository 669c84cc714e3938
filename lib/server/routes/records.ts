/**
 * `/v1/storage/records`: write (201), read (200; the writer or a reader with a current
 * allow-read policy; `?field=` selects data fields), update and delete by version
 * (`/safe/{id}/{version}`: 200 / 204, 409 when stale; only the writer). Deleting a file record
 * deletes its bytes. Arca writers may choose the record id (`meta.record_id` on write; 409 when
 * taken) and the new version (`meta.next_version`), so that their signatures can bind them. A
 * write or update that would take the writer past its storage quota is a 413
 * (`ARCA_CLIENT_QUOTA_BYTES`); a delete frees what the record used.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { randomUuid } from "../../crypto/uuid.ts";
import {
  type ParsedRecordUpdate,
  recordUpdateSchema,
  recordWriteSchema,
} from "../../protocol/schemas.ts";
import type { RecordRow } from "../../store/records.ts";
import { canReadRecord } from "../_authorization.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { deleteQueuedBlobs } from "../_file_sweep.ts";
import { fileBlobKey } from "../_file_urls.ts";
import { HttpError } from "../_http_error.ts";
import { uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";
import { recordJson, recordJsonText } from "../_wire.ts";
import { quotaLimit } from "../settings.ts";

/**
 * The record routes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", recordRoutes(deps));
 * ```
 */
export function recordRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();

  routes.post("/v1/storage/records", async (c) => {
    const callerId = c.get("clientId");
    const body = await readJson(c, recordWriteSchema);
    if (body.meta.writer_id !== callerId) {
      throw new HttpError(403, "meta.writer_id must be the authenticated client");
    }
    const recordId = body.meta.record_id ?? randomUuid();
    // One atomic store step: it stamps the record, and finds a chosen id taken (then adds nothing).
    const record = await deps.store.records.insertStamped(
      {
        recordId,
        writerId: callerId,
        userId: body.meta.user_id,
        type: body.meta.type,
        plain: body.meta.plain,
        data: body.data,
        recSig: body.rec_sig,
        fileMeta: null,
        version: body.meta.next_version ?? randomUuid(),
      },
      deps.clock(),
      quotaLimit(deps.settings),
    );
    if (record === undefined) throw new HttpError(409, `Record id "${recordId}" is already taken`);
    return c.json(recordJson(record), 201);
  });

  routes.get("/v1/storage/records/:recordId", async (c) => {
    const record = await deps.store.records.get(uuidParam(c, "recordId", 404));
    if (record === undefined) throw new HttpError(404, "Record not found");
    if (!(await canReadRecord(deps.store, c.get("clientId"), record))) {
      throw new HttpError(403, "Record is not shared with you");
    }
    const fields = c.req.queries("field");
    if (fields !== undefined) return c.json(recordJson(record, fields), 200);
    return c.body(recordJsonText(record), 200, { "content-type": "application/json" });
  });

  routes.put("/v1/storage/records/safe/:recordId/:version", async (c) => {
    const recordId = uuidParam(c, "recordId", 400);
    const version = c.req.param("version");
    const body = await readJson(c, recordUpdateSchema);
    const updated = await deps.store.transaction(async (tx) => {
      const current = await writableRecord(c, tx, recordId);
      assertSameIdentity(current, recordId, body.meta);
      if (body.meta.next_version === version) {
        throw new HttpError(400, "meta.next_version must differ from the version it replaces");
      }
      const now = await tx.issueTimestamp(deps.clock());
      const outcome = await tx.records.update(recordId, version, {
        plain: body.meta.plain,
        data: body.data,
        recSig: body.rec_sig,
        lastModified: now,
        version: body.meta.next_version ?? randomUuid(),
      }, quotaLimit(deps.settings));
      if (outcome.status === "conflict") throw new HttpError(409, "Record version is stale");
      if (outcome.status === "missing") throw new HttpError(404, "Record not found");
      return outcome.value;
    });
    return c.json(recordJson(updated), 200);
  });

  routes.delete("/v1/storage/records/safe/:recordId/:version", async (c) => {
    const recordId = uuidParam(c, "recordId", 400);
    const version = c.req.param("version");
    const deleted = await deps.store.transaction(async (tx) => {
      const record = await writableRecord(c, tx, recordId);
      const outcome = await tx.records.delete(recordId, version);
      if (outcome.status === "conflict") throw new HttpError(409, "Record version is stale");
      if (outcome.status === "missing") throw new HttpError(404, "Record not found");
      const blobKey = fileBlobKey(record);
      if (blobKey !== undefined) await tx.files.queueBlobDeletion(blobKey);
      return blobKey;
    });
    if (deleted !== undefined && deps.blobs !== undefined) {
      // The queue entry is committed: if this fails, the file sweep deletes the bytes later.
      await deleteQueuedBlobs(deps.store, deps.blobs).catch((error) =>
        console.error("Deleting a file's bytes failed (the sweep will retry):", error)
      );
    }
    return c.body(null, 204);
  });

  return routes;
}

async function writableRecord(
  c: Context<BearerEnv>,
  store: Deps["store"],
  recordId: string,
): Promise<RecordRow> {
  const record = await store.records.get(recordId);
  if (record === undefined) throw new HttpError(404, "Record not found");
  if (record.writerId !== c.get("clientId")) {
    throw new HttpError(403, "Only the writer may change or delete a record");
  }
  return record;
}

function assertSameIdentity(
  current: RecordRow,
  recordId: string,
  meta: Pick<ParsedRecordUpdate["meta"], "record_id" | "writer_id" | "user_id" | "type">,
): void {
  const mismatches: string[] = [];
  if (meta.record_id !== undefined && meta.record_id !== recordId) mismatches.push("record_id");
  if (meta.writer_id !== undefined && meta.writer_id !== current.writerId) {
    mismatches.push("writer_id");
  }
  if (meta.user_id !== undefined && meta.user_id !== current.userId) mismatches.push("user_id");
  if (meta.type !== undefined && meta.type !== current.type) mismatches.push("type");
  if (mismatches.length > 0) {
    throw new HttpError(400, `meta.${mismatches.join(", meta.")} cannot change on update`);
  }
}
