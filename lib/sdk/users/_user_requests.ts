/**
 * The user endpoints under `/v1/arca/users/` (docs/users.md): uploading, fetching and deleting
 * the caller's own key file with a bearer token, and the public reminder, KDF header and
 * passphrase-proven download by user id.
 *
 * @module
 */
import { decodeBase64Url, encodeBase64Url } from "../../crypto/encoding.ts";
import { ArcaError } from "../../errors.ts";
import { parseUuid } from "../../protocol/ids.ts";
import type {
  KeyFileKdfResponse,
  KeyFileProofBody,
  KeyFileResponse,
  KeyFileUploadBody,
  KeyFileUploadResponse,
  ReminderResponse,
  UserInfoResponse,
} from "../../protocol/users.ts";
import type { Transport } from "../_transport.ts";
import { type WireObject, wireObject, wireString } from "../_wire_reader.ts";

/** A key file as the server sent it. */
export interface ServerKeyFile {
  /** The user id. */
  userId: string;
  /** The sealed key file. */
  keyFile: Uint8Array;
  /** Lower-case hex SHA-256 of the key file. */
  checksum: string;
}

/** What `PUT /v1/arca/users/me/key-file` answers. */
export interface KeyFileUploaded {
  /** The user id. */
  userId: string;
  /** The checksum the server computed. */
  checksum: string;
}

/** The body of `PUT /v1/arca/users/me/key-file`. */
export interface KeyFileUpload {
  /** The sealed key file. */
  keyFile: Uint8Array;
  /** SHA-256 of the passphrase proof. */
  verifier: Uint8Array;
  /** The public reminder; required on the first upload, kept when omitted later. */
  reminder?: string | undefined;
}

function userPath(userId: string, rest: string): string {
  return `/v1/arca/users/${parseUuid(userId, "User id")}${rest}`;
}

/** A base64url field of a reply as bytes; a malformed one is the server's fault. */
function wireBytes<T>(body: WireObject<T>, key: keyof T & string, what: string): Uint8Array {
  const text = wireString(body, key, what);
  try {
    return decodeBase64Url(text, key);
  } catch (error) {
    throw new ArcaError(`Server sent a malformed ${what}: "${key}" is not base64url`, {
      cause: error,
    });
  }
}

function readKeyFile(json: unknown, what: string): ServerKeyFile {
  const body = wireObject<KeyFileResponse>(json, what);
  return {
    userId: wireString(body, "user_id", what),
    keyFile: wireBytes(body, "key_file", what),
    checksum: wireString(body, "checksum", what),
  };
}

/**
 * Uploads the caller's key file (first upload or replacement).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a client's transport.
 * await uploadKeyFile(transport, { keyFile, verifier, reminder: "my first pet" });
 * ```
 */
export async function uploadKeyFile(
  transport: Transport,
  upload: KeyFileUpload,
): Promise<KeyFileUploaded> {
  const reply = await transport.request("PUT", "/v1/arca/users/me/key-file", {
    body: {
      key_file: encodeBase64Url(upload.keyFile),
      passphrase_verifier: encodeBase64Url(upload.verifier),
      ...(upload.reminder === undefined ? {} : { reminder: upload.reminder }),
    } satisfies KeyFileUploadBody,
  });
  const body = wireObject<KeyFileUploadResponse>(reply.json, "key file upload");
  return {
    userId: wireString(body, "user_id", "key file upload"),
    checksum: wireString(body, "checksum", "key file upload"),
  };
}

/**
 * The caller's user entry: its key file checksum (bearer).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a client's transport.
 * const { checksum } = await fetchOwnUser(transport);
 * ```
 */
export async function fetchOwnUser(transport: Transport): Promise<{ checksum: string }> {
  const reply = await transport.request("GET", "/v1/arca/users/me");
  const body = wireObject<UserInfoResponse>(reply.json, "user");
  return { checksum: wireString(body, "checksum", "user") };
}

/**
 * Deletes the caller: its client, key file, tokens, policies and shares.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a client's transport.
 * await deleteOwnUser(transport);
 * ```
 */
export async function deleteOwnUser(transport: Transport): Promise<void> {
  await transport.request("DELETE", "/v1/arca/users/me");
}

/**
 * A user's public reminder (no authentication).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const reminder = await fetchReminder(transport, userId);
 * ```
 */
export async function fetchReminder(transport: Transport, userId: string): Promise<string> {
  const reply = await transport.request("GET", userPath(userId, "/reminder"), { auth: "none" });
  const body = wireObject<ReminderResponse>(reply.json, "reminder");
  if (typeof body.reminder !== "string") throw new ArcaError("reminder reply has no reminder");
  return body.reminder;
}

/**
 * The 48-byte header of a user's key file (its salts and KDF costs; no authentication).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const header = await fetchKeyFileHeader(transport, userId);
 * ```
 */
export async function fetchKeyFileHeader(
  transport: Transport,
  userId: string,
): Promise<Uint8Array> {
  const reply = await transport.request("GET", userPath(userId, "/key-file/kdf"), {
    auth: "none",
  });
  const body = wireObject<KeyFileKdfResponse>(reply.json, "key file header");
  return wireBytes(body, "header", "key file header");
}

/**
 * Downloads a user's key file with a proof of the passphrase (no authentication). A wrong proof
 * or an unknown user is a `ForbiddenError`; throttling a `RateLimitError`.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const { keyFile } = await downloadKeyFile(transport, userId, proof);
 * ```
 */
export async function downloadKeyFile(
  transport: Transport,
  userId: string,
  proof: Uint8Array,
): Promise<ServerKeyFile> {
  const reply = await transport.request("POST", userPath(userId, "/key-file"), {
    auth: "none",
    body: { proof: encodeBase64Url(proof) } satisfies KeyFileProofBody,
  });
  return readKeyFile(reply.json, "key file download");
}

/**
 * The caller's own key file (bearer).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a client's transport.
 * const { keyFile, checksum } = await fetchOwnKeyFile(transport);
 * ```
 */
export async function fetchOwnKeyFile(transport: Transport): Promise<ServerKeyFile> {
  const reply = await transport.request("GET", "/v1/arca/users/me/key-file");
  return readKeyFile(reply.json, "key file");
}
