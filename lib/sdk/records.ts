/**
 * Record operations: write (`POST /v1/storage/records`), read (`GET /v1/storage/records/{id}`),
 * update and delete by version (`/v1/storage/records/safe/{id}/{version}`). Data is encrypted
 * field by field under the type's access key before it leaves, and decrypted (then its
 * signature checked) when it comes back.
 *
 * @module
 */
import { decryptRecordData, encryptRecordData } from "../crypto/fields.ts";
import { ArcaError, NotFoundError, ValidationError } from "../errors.ts";
import { randomUuid } from "../crypto/uuid.ts";
import type { RecordJson } from "../protocol/responses.ts";
import type { RecordUpdateRequest, RecordWriteRequest } from "../protocol/schemas.ts";
import { parseUuid } from "../protocol/ids.ts";
import { ensureOwnAccessKey, getAccessKey } from "./_access_keys.ts";
import type { ClientContext } from "./context.ts";
import { recordPath, safeRecordPath } from "./_paths.ts";
import {
  type ArcaRecord,
  type RecordMeta,
  recordMetaFromWire,
  recordSignatureFromWire,
} from "./record.ts";
import { checkRecordSignature, signRecordData } from "./_record_signing.ts";
import { requireStringMap, requireType, requireVersion } from "./_validate.ts";
import { wireObject, wireStringMap } from "./_wire_reader.ts";

/** Options of a write or an update. */
export interface WriteOptions {
  /** Sign the record (`rec_sig`); default: when the client has signing keys. */
  sign?: boolean | undefined;
}

/** What an update needs: the record's id, version and type, and its new plain and data. */
export interface RecordUpdate {
  /** The record's current metadata (from a read, write or query). */
  meta: Pick<RecordMeta, "recordId" | "version" | "type"> & { plain?: Record<string, string> };
  /** The new plaintext data (replaces every field). */
  data: Record<string, string>;
}

/** The id and version a signed record will have: chosen here, so the signature can bind them. */
interface Binding {
  recordId: string;
  version: string;
}

async function encryptAndSign(
  context: ClientContext,
  type: string,
  plain: Record<string, string>,
  data: Record<string, string>,
  options: WriteOptions,
  recordId: string | undefined,
): Promise<
  { encrypted: Record<string, string>; signature: string | undefined; binding?: Binding }
> {
  const accessKey = await ensureOwnAccessKey(context, type);
  const encrypted = await encryptRecordData(context.suite, accessKey, data);
  const sign = options.sign ?? context.signingKeys !== undefined;
  if (!sign) return { encrypted, signature: undefined };
  const binding = { recordId: recordId ?? randomUuid(), version: randomUuid() };
  const self = context.clientId;
  const signature = await signRecordData(
    context,
    { writerId: self, userId: self, type, plain, ...binding },
    data,
  );
  return { encrypted, signature, binding };
}

/** The server must have kept the id and version the signature binds (Arca servers do). */
function checkBinding(record: ArcaRecord, binding: Binding | undefined): ArcaRecord {
  if (
    binding !== undefined &&
    (record.meta.recordId !== binding.recordId || record.meta.version !== binding.version)
  ) {
    throw new ArcaError(
      `Server stored the record as "${record.meta.recordId}" version "${record.meta.version}", ` +
        `not as the id and version this client chose and signed`,
    );
  }
  return record;
}

function checkWriteOptions(context: ClientContext, options: WriteOptions): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError("Write options must be an object");
  }
  if (options.sign !== undefined && typeof options.sign !== "boolean") {
    throw new TypeError("Write option sign must be a boolean");
  }
  if (options.sign === true && context.signingKeys === undefined) {
    throw new ValidationError("Cannot sign: this client has no signing keys (a version 1 config)");
  }
}

/**
 * Encrypts and writes a record of `type` owned by the caller.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const record = await writeRecord(context, "contact", { name: "Jon" }, { house: "Stark" });
 * ```
 */
export async function writeRecord(
  context: ClientContext,
  type: string,
  data: Record<string, string>,
  plain: Record<string, string> = {},
  options: WriteOptions = {},
): Promise<ArcaRecord> {
  requireType(type);
  requireStringMap(data, "Record data");
  requireStringMap(plain, "Record plain");
  checkWriteOptions(context, options);
  const { encrypted, signature, binding } = await encryptAndSign(
    context,
    type,
    plain,
    data,
    options,
    undefined,
  );
  const reply = await context.transport.request("POST", "/v1/storage/records", {
    body: {
      meta: {
        writer_id: context.clientId,
        user_id: context.clientId,
        type,
        plain,
        ...(binding === undefined
          ? {}
          : { record_id: binding.recordId, next_version: binding.version }),
      },
      data: encrypted,
      ...(signature === undefined ? {} : { rec_sig: signature }),
    } satisfies RecordWriteRequest,
  });
  return checkBinding(storedRecord(reply.json, data), binding);
}

/** The record the server stored, with the plaintext the caller sent. */
function storedRecord(value: unknown, data: Record<string, string>): ArcaRecord {
  const json = wireObject<RecordJson>(value, "record");
  const record: ArcaRecord = { meta: recordMetaFromWire(json.meta), data: { ...data } };
  const signature = recordSignatureFromWire(json);
  if (signature !== undefined) record.signature = signature;
  return record;
}

/**
 * Decrypts a record's data with the AK for its (writer, user, type), verifies its signature when
 * it has one, and refuses it unsigned when the client's signature policy requires its writer to
 * sign. Nothing is returned past a failed check. `findAccessKey` is called only when
 * there is data to decrypt (file records have none).
 *
 * @example
 * ```ts ignore
 * // Needs a registered client's context (see createClientContext).
 * const record = await openRecord(context, meta, encryptedData, recSig, () => ak);
 * ```
 */
export async function openRecord(
  context: ClientContext,
  meta: RecordMeta,
  encrypted: Record<string, string>,
  signature: string | undefined,
  findAccessKey: () => Promise<Uint8Array | undefined>,
): Promise<ArcaRecord> {
  let data: Record<string, string> = {};
  if (Object.keys(encrypted).length > 0) {
    const accessKey = await findAccessKey();
    if (accessKey === undefined) {
      throw new NotFoundError(
        `No access key for records of type "${meta.type}" written by "${meta.writerId}"`,
      );
    }
    data = await decryptRecordData(context.suite, accessKey, encrypted);
  }
  await checkRecordSignature(context, meta, data, signature);
  const record: ArcaRecord = { meta, data };
  if (signature !== undefined) record.signature = signature;
  return record;
}

/**
 * Reads and decrypts a record; verifies `rec_sig` when present, and requires it as the client's
 * signature policy says ({@linkcode IntegrityError} when it does not verify or is missing).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const record = await readRecord(context, recordId);
 * ```
 */
export async function readRecord(context: ClientContext, recordId: string): Promise<ArcaRecord> {
  const id = parseUuid(recordId, "Record id");
  const reply = await context.transport.request("GET", recordPath(id));
  const json = wireObject<RecordJson>(reply.json, "record");
  const meta = recordMetaFromWire(json.meta);
  const encrypted = wireStringMap(json, "data", "record");
  return await openRecord(
    context,
    meta,
    encrypted,
    recordSignatureFromWire(json),
    () => getAccessKey(context, meta.writerId, meta.userId, meta.type),
  );
}

/**
 * Replaces a record's plain metadata and data, if `record.meta.version` is still current
 * ({@linkcode ConflictError} otherwise). Returns the record with its new version.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const updated = await updateRecord(context, { ...record, data: { name: "Jon Snow" } });
 * ```
 */
export async function updateRecord(
  context: ClientContext,
  record: RecordUpdate,
  options: WriteOptions = {},
): Promise<ArcaRecord> {
  if (record === null || typeof record !== "object" || typeof record.meta !== "object") {
    throw new TypeError("Record to update must be an object with meta and data");
  }
  const recordId = parseUuid(record.meta.recordId, "Record id");
  const version = requireVersion(record.meta.version);
  const type = requireType(record.meta.type);
  const plain = requireStringMap(record.meta.plain ?? {}, "Record plain");
  const data = requireStringMap(record.data, "Record data");
  checkWriteOptions(context, options);
  const { encrypted, signature, binding } = await encryptAndSign(
    context,
    type,
    plain,
    data,
    options,
    recordId,
  );
  const reply = await context.transport.request("PUT", safeRecordPath(recordId, version), {
    body: {
      meta: {
        record_id: recordId,
        version,
        writer_id: context.clientId,
        user_id: context.clientId,
        type,
        plain,
        ...(binding === undefined ? {} : { next_version: binding.version }),
      },
      data: encrypted,
      ...(signature === undefined ? {} : { rec_sig: signature }),
    } satisfies RecordUpdateRequest,
  });
  return checkBinding(storedRecord(reply.json, data), binding);
}

/**
 * Deletes a record if `version` is still current ({@linkcode ConflictError} otherwise).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await deleteRecord(context, record.meta.recordId, record.meta.version);
 * ```
 */
export async function deleteRecord(
  context: ClientContext,
  recordId: string,
  version: string,
): Promise<void> {
  const id = parseUuid(recordId, "Record id");
  await context.transport.request("DELETE", safeRecordPath(id, requireVersion(version)));
}
