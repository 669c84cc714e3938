/**
 * Large files (E3DB §2.10) streamed through the v3 file format, never held whole in memory:
 *
 * - write: `POST /v1/storage/files` (announcing the ciphertext size when it is known), then
 *   plaintext → `encryptFileStream` → MD5 → `PUT` to the signed URL, in one pass, then `PATCH`
 *   with the measured MD5 and size to commit the record (the server checks them);
 * - read: `GET /v1/storage/files/{id}` for a fresh signed URL, then `GET` it → size and MD5
 *   check → `decryptFileStream` → the destination. A file destination is written under a
 *   temporary name and renamed only once every check passed.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ChecksumStream, type FileChecksum } from "../crypto/file_checksum.ts";
import { decryptFileStream, encryptedSize, encryptFileStream } from "../crypto/file_stream.ts";
import { verifyFileStream } from "../crypto/file_verifier.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import { FILE_COMPRESSION_RAW, isFileChecksum } from "../protocol/file_constants.ts";
import type {
  FileCommitRequest,
  FileMetaJson,
  FileMetaRequest,
  FileWriteRequest,
  PendingFileResponse,
} from "../protocol/files.ts";
import type { RecordJson } from "../protocol/responses.ts";
import { parseUuid } from "../protocol/ids.ts";
import { ensureOwnAccessKey, requireAccessKey } from "./_access_keys.ts";
import type { ClientContext } from "./context.ts";
import { errorFromResponse } from "./_http_errors.ts";
import { progressStage } from "./_transfer_progress.ts";
import { uploadBody } from "./_upload_body.ts";
import { type ArcaRecord, recordMetaFromWire } from "./record.ts";
import { requireStringMap, requireType } from "./_validate.ts";
import { type WireObject, wireObject, wireString } from "./_wire_reader.ts";

/** Where a file comes from: a path (string or `file:` URL) or a stream of bytes. */
export type FileSource = string | URL | ReadableStream<Uint8Array>;

/** Where a file goes: a path (string or `file:` URL) or a writable stream. */
export type FileDestination = string | URL | WritableStream<Uint8Array>;

/** How far a transfer has got. */
export interface FileProgress {
  /** `upload` (counts plaintext bytes read) or `download` (counts ciphertext bytes received). */
  phase: "upload" | "download";
  /** Bytes done in this phase. */
  bytes: number;
  /** Bytes in this phase, when known (a stream source has no size until it ends). */
  total: number | undefined;
}

/** Options of {@linkcode writeFile} and {@linkcode readFile}. */
export interface FileTransferOptions {
  /** Called as bytes move (once per chunk of up to a few hundred KiB). */
  onProgress?: ((progress: FileProgress) => void) | undefined;
}

/** The checked `file_meta` of a file record. */
interface FileMeta extends FileChecksum {
  fileUrl: string;
}

const FILES_PATH = "/v1/storage/files";

function checkedOptions(options: FileTransferOptions): FileTransferOptions {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("File transfer options must be an object");
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new ValidationError("onProgress must be a function");
  }
  return options;
}

function isPath(value: unknown): value is string | URL {
  return (typeof value === "string" && value !== "") || value instanceof URL;
}

/** Paths need Deno's file system: a browser passes streams (a `Blob`'s `stream()`, say). */
function requireFileSystem(path: string | URL): void {
  if (typeof Deno === "undefined") {
    throw new ValidationError(
      `Cannot use the file path "${String(path)}" in a browser: pass a ReadableStream ` +
        "(blob.stream()) or a WritableStream instead",
    );
  }
}

async function openSource(
  source: FileSource,
): Promise<{ stream: ReadableStream<Uint8Array>; size: number | undefined }> {
  if (source instanceof ReadableStream) return { stream: source, size: undefined };
  if (!isPath(source)) {
    throw new ValidationError("File source must be a path, a file URL or a ReadableStream");
  }
  requireFileSystem(source);
  const file = await Deno.open(source, { read: true });
  try {
    const info = await file.stat();
    if (!info.isFile) throw new ValidationError(`File source "${String(source)}" is not a file`);
    return { stream: file.readable, size: info.size };
  } catch (error) {
    file.close();
    throw error;
  }
}

async function fetchOrFail(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetchFn(url, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArcaError(`Cannot reach the file URL: ${reason}`, { cause: error });
  }
}

async function uploadStream(
  fetchFn: typeof fetch,
  url: string,
  body: ReadableStream<Uint8Array>,
): Promise<void> {
  const response = await fetchOrFail(fetchFn, url, {
    method: "PUT",
    body: await uploadBody(body),
    headers: { "content-type": "application/octet-stream" },
  });
  if (!response.ok) throw await errorFromResponse(response);
  await response.body?.cancel();
}

/** Closes a file that its stream may already have closed. */
function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}

/**
 * Encrypts a file with the access key of `type` and stores it as a file record owned by the
 * caller; returns the record (`meta.fileMeta` holds checksum, size and file name).
 *
 * The plaintext is encrypted as it is uploaded, in one pass: the announced size is the
 * ciphertext size when the source is a path (a stream's length is not known), and the MD5
 * computed on the way is sent with the commit, which the server refuses unless it matches
 * what it received.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const record = await writeFile(context, "documents", "./report.pdf", { name: "report.pdf" });
 * ```
 */
export async function writeFile(
  context: ClientContext,
  type: string,
  source: FileSource,
  plain: Record<string, string> = {},
  options: FileTransferOptions = {},
  fetchFn: typeof fetch = fetch,
): Promise<ArcaRecord> {
  requireType(type);
  requireStringMap(plain, "File plain");
  const { onProgress } = checkedOptions(options);
  if (!(source instanceof ReadableStream) && !isPath(source)) {
    throw new ValidationError("File source must be a path, a file URL or a ReadableStream");
  }
  const accessKey = await ensureOwnAccessKey(context, type);
  const { stream, size } = await openSource(source);
  try {
    const fileMeta: FileMetaRequest = size === undefined
      ? { compression: FILE_COMPRESSION_RAW }
      : { compression: FILE_COMPRESSION_RAW, size: encryptedSize(size, context.suite) };
    const pending = wireObject<PendingFileResponse>(
      (await context.transport.request("POST", FILES_PATH, {
        body: {
          meta: {
            writer_id: context.clientId,
            user_id: context.clientId,
            type,
            plain,
            file_meta: fileMeta,
          },
          data: {},
        } satisfies FileWriteRequest,
      })).json,
      "pending file",
    );
    const pendingId = parseUuid(wireString(pending, "id", "pending file"), "Pending file id");
    const checksum = new ChecksumStream();
    const body = stream
      .pipeThrough(progressStage("upload", size, onProgress))
      .pipeThrough(encryptFileStream(context.suite, accessKey))
      .pipeThrough(checksum);
    await uploadStream(fetchFn, wireString(pending, "file_url", "pending file"), body);
    const committed = await context.transport.request("PATCH", `${FILES_PATH}/${pendingId}`, {
      body: { file_meta: checksum.result } satisfies FileCommitRequest,
    });
    const json = wireObject<RecordJson>(committed.json, "file record");
    return { meta: recordMetaFromWire(json.meta), data: {} };
  } finally {
    if (!stream.locked) await stream.cancel();
  }
}

function fileMetaOf(record: ArcaRecord): FileMeta {
  const meta: WireObject<FileMetaJson> | undefined = record.meta.fileMeta;
  if (meta === undefined) throw new ArcaError(`Record "${record.meta.recordId}" is not a file`);
  const checksum = meta.checksum;
  const size = meta.size;
  const fileUrl = meta.file_url;
  if (!isFileChecksum(checksum) || !Number.isSafeInteger(size) || (size as number) < 0) {
    throw new ArcaError("Server sent a malformed file_meta: bad checksum or size");
  }
  if (typeof fileUrl !== "string" || !/^https?:\/\//.test(fileUrl)) {
    throw new ArcaError("Server sent a malformed file_meta: file_url is not an http(s) URL");
  }
  return { checksum, size: size as number, fileUrl };
}

async function writeToPath(plaintext: ReadableStream<Uint8Array>, path: string | URL) {
  requireFileSystem(path);
  const target = path instanceof URL ? fileURLToPath(path) : path;
  const partial = `${target}.arca-partial-${crypto.getRandomValues(new Uint32Array(1))[0]}`;
  const out = await Deno.open(partial, { write: true, createNew: true, mode: 0o600 });
  try {
    await plaintext.pipeTo(out.writable);
    await Deno.rename(partial, target);
  } catch (error) {
    closeQuietly(out);
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

/**
 * Downloads a file record's bytes, checks their size and MD5, decrypts them and writes the
 * plaintext to `destination`; returns the record. Any failed check is an
 * {@linkcode IntegrityError}: a path destination is then left untouched, a stream destination
 * is aborted (treat what it received as untrusted until this resolves).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await readFile(context, recordId, "./report.pdf");
 * ```
 */
export async function readFile(
  context: ClientContext,
  recordId: string,
  destination: FileDestination,
  options: FileTransferOptions = {},
  fetchFn: typeof fetch = fetch,
): Promise<ArcaRecord> {
  const id = parseUuid(recordId, "Record id");
  const { onProgress } = checkedOptions(options);
  if (!(destination instanceof WritableStream) && !isPath(destination)) {
    throw new ValidationError("File destination must be a path, a file URL or a WritableStream");
  }
  const reply = await context.transport.request("GET", `${FILES_PATH}/${id}`);
  const record: ArcaRecord = {
    meta: recordMetaFromWire(wireObject<RecordJson>(reply.json, "file record").meta),
    data: {},
  };
  const fileMeta = fileMetaOf(record);
  const { writerId, userId, type } = record.meta;
  const accessKey = await requireAccessKey(context, writerId, userId, type);
  const response = await fetchOrFail(fetchFn, fileMeta.fileUrl, { method: "GET" });
  if (!response.ok) throw await errorFromResponse(response);
  const plaintext = (response.body ?? new Blob([]).stream())
    .pipeThrough(progressStage("download", fileMeta.size, onProgress))
    .pipeThrough(verifyFileStream(fileMeta))
    .pipeThrough(decryptFileStream(context.suite, accessKey));
  if (destination instanceof WritableStream) await plaintext.pipeTo(destination);
  else await writeToPath(plaintext, destination);
  return record;
}
