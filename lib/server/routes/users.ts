/**
 * `/v1/arca/users`: users' key files (docs/users.md, "Wire protocol"). A user is a client that
 * uploaded a key file; its id is the client id.
 *
 * - Bearer (`/v1/arca/users/me...`): `PUT /me/key-file` uploads or replaces the caller's key
 *   file (201 / 200), `GET /me` describes it with its download counters, `GET /me/key-file`
 *   returns it, `DELETE /me` deletes the caller's client exactly as the admin deletion does,
 *   key file included. A client without a key file is answered 404 `not a user`.
 * - Public: `GET /{id}/reminder`, `GET /{id}/key-file/kdf` (the 48-byte header, for deriving
 *   the proof), and `POST /{id}/key-file`, which returns the key file for the passphrase proof.
 *   Its answer is the same 403 for a wrong proof and an unknown user (the proof is hashed and
 *   compared in constant time in both cases, against a random verifier for an unknown user),
 *   and it is throttled per user id and per address (429 with `Retry-After`).
 *
 * The server never sees the password, the passphrase or the proof's key: it keeps the sealed
 * key file, its checksum, the header and the verifier (SHA-256 of the proof).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { equalBytes, randomBytes } from "../../crypto/bytes.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import {
  keyFileChecksum,
  type KeyFileParts,
  splitKeyFile,
  verifierOfProof,
} from "../../crypto/key_file.ts";
import { IntegrityError } from "../../errors.ts";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import {
  KEY_FILE_DENIED_MESSAGE,
  KEY_FILE_THROTTLED_MESSAGE,
  type KeyFileKdfResponse,
  keyFileProofSchema,
  type KeyFileResponse,
  type KeyFileUploadResponse,
  keyFileUploadSchema,
  NOT_A_USER_MESSAGE,
  type ReminderResponse,
  UNKNOWN_USER_MESSAGE,
  type UserInfoResponse,
} from "../../protocol/users.ts";
import type { KeyFileRow } from "../../store/users.ts";
import { addressReader } from "../_client_address.ts";
import { keyFileEvent } from "../_container_events.ts";
import { appNameOf } from "../_container_requests.ts";
import { notifyEvents } from "../_event_notifier.ts";
import { deleteClient } from "../_client_lifecycle.ts";
import { HttpError } from "../_http_error.ts";
import { keyFileThrottleLimits, takeKeyFileAttempt } from "../_key_file_throttle.ts";
import { uuidParam } from "../_params.ts";
import { readJson } from "../_read_json.ts";
import type { BearerEnv, Deps } from "../env.ts";
import { DEFAULT_MAX_KEY_FILE_BYTES } from "../settings.ts";

const BASE = "/v1/arca/users";

/** The suite of a key file each registered public key type must use. */
const SUITE_OF_KEY_TYPE = { curve25519: "Sodium", p384: "NIST" } as const;

/**
 * The user routes. The `me` routes need `requireBearer` (declared in `app.ts`); the others need
 * no authentication and never read the caller.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", userRoutes(deps));
 * ```
 */
export function userRoutes(deps: Deps): Hono<BearerEnv> {
  const routes = new Hono<BearerEnv>();
  const addressOf = addressReader(deps.settings.trustedProxies);
  const limits = keyFileThrottleLimits(deps.settings);
  const maxKeyFileBytes = deps.settings.maxKeyFileBytes ?? DEFAULT_MAX_KEY_FILE_BYTES;
  // Compared against for unknown users, so both answers take the same path.
  const dummyVerifier = randomBytes(32);

  routes.put(`${BASE}/me/key-file`, async (c) => {
    const clientId = c.get("clientId");
    const body = await readJson(c, keyFileUploadSchema);
    const size = body.key_file.length;
    if (size > maxKeyFileBytes) {
      const limit = `${maxKeyFileBytes} (ARCA_MAX_KEY_FILE_BYTES)`;
      throw new HttpError(413, `key_file is ${size} bytes; the limit is ${limit}`);
    }
    const parts = keyFileParts(body.key_file);
    const now = deps.clock();
    const checksum = await keyFileChecksum(body.key_file);
    const first = await deps.store.transaction(async (tx) => {
      const client = await tx.clients.get(clientId);
      if (client === undefined) throw new HttpError(401, "Caller no longer exists");
      const clientSuite = SUITE_OF_KEY_TYPE[client.publicKeyType];
      if (parts.header.suite !== clientSuite) {
        throw new HttpError(
          400,
          `key file suite ${parts.header.suite} does not match the client's suite ${clientSuite}`,
        );
      }
      const existing = await tx.users.get(clientId);
      const reminder = body.reminder ?? existing?.reminder;
      if (reminder === undefined) {
        throw new HttpError(400, "reminder is required on the first key file upload");
      }
      const first = await tx.users.save({
        clientId,
        keyFile: body.key_file,
        checksum,
        header: parts.headerBytes.slice(),
        verifier: body.passphrase_verifier,
        reminder,
        updated: now,
      });
      // Other devices of the user learn of a replaced key file from its event.
      if (!first) {
        await tx.events.append([keyFileEvent({ now, actorId: clientId, appName: appNameOf(c) })]);
      }
      return first;
    });
    if (!first) notifyEvents(deps.store);
    const answer: KeyFileUploadResponse = {
      user_id: clientId,
      checksum,
      updated_at: formatTimestamp(now),
    };
    return c.json(answer, first ? 201 : 200);
  });

  routes.get(`${BASE}/me`, async (c) => {
    const row = await ownKeyFile(deps, c);
    const answer: UserInfoResponse = {
      user_id: row.clientId,
      checksum: row.checksum,
      updated_at: formatTimestamp(row.updated),
      reminder: row.reminder,
      key_file_downloads: row.downloads,
      failed_key_file_downloads: row.failedDownloads,
    };
    return c.json(answer, 200);
  });

  routes.get(`${BASE}/me/key-file`, async (c) => {
    return c.json(keyFileJson(await ownKeyFile(deps, c)), 200);
  });

  routes.delete(`${BASE}/me`, async (c) => {
    const row = await ownKeyFile(deps, c);
    await deleteClient(deps, row.clientId);
    return c.body(null, 204);
  });

  routes.get(`${BASE}/:user_id/reminder`, async (c) => {
    const row = await publicKeyFile(deps, c);
    const answer: ReminderResponse = { user_id: row.clientId, reminder: row.reminder };
    return c.json(answer, 200);
  });

  routes.get(`${BASE}/:user_id/key-file/kdf`, async (c) => {
    const row = await publicKeyFile(deps, c);
    const answer: KeyFileKdfResponse = {
      user_id: row.clientId,
      header: encodeBase64Url(row.header),
    };
    return c.json(answer, 200);
  });

  routes.post(`${BASE}/:user_id/key-file`, async (c) => {
    const userId = uuidParam(c, "user_id", 400);
    const { proof } = await readJson(c, keyFileProofSchema);
    const address = addressOf(c);
    const now = deps.clock();
    const given = await verifierOfProof(proof);
    const outcome = await deps.store.transaction(async (tx) => {
      const wait = await takeKeyFileAttempt(tx, limits, userId, address, now);
      if (wait > 0) return { wait };
      const row = await tx.users.get(userId);
      const matches = equalBytes(given, row?.verifier ?? dummyVerifier);
      const granted = matches && row !== undefined;
      await tx.users.countDownload(userId, granted);
      return { wait: 0, row: granted ? row : undefined };
    });
    if (outcome.wait > 0) {
      c.header("Retry-After", String(outcome.wait));
      throw new HttpError(429, KEY_FILE_THROTTLED_MESSAGE);
    }
    if (outcome.row === undefined) throw new HttpError(403, KEY_FILE_DENIED_MESSAGE);
    return c.json(keyFileJson(outcome.row), 200);
  });

  return routes;
}

/**
 * The parts of an uploaded key file: its clear header and framing are checked (magic, version,
 * suite, cost bounds, lengths; nothing is decrypted), and a malformed one is a 400 naming the
 * problem.
 */
function keyFileParts(keyFile: Uint8Array): KeyFileParts {
  try {
    return splitKeyFile(keyFile);
  } catch (error) {
    if (error instanceof IntegrityError) throw new HttpError(400, error.message);
    throw error;
  }
}

/** The caller's key file, or 404 `not a user`. */
async function ownKeyFile(deps: Deps, c: Context<BearerEnv>): Promise<KeyFileRow> {
  const row = await deps.store.users.get(c.get("clientId"));
  if (row === undefined) throw new HttpError(404, NOT_A_USER_MESSAGE);
  return row;
}

/** The key file of the `user_id` path parameter (400 when malformed), or 404 `unknown user`. */
async function publicKeyFile(deps: Deps, c: Context<BearerEnv>): Promise<KeyFileRow> {
  const row = await deps.store.users.get(uuidParam(c, "user_id", 400));
  if (row === undefined) throw new HttpError(404, UNKNOWN_USER_MESSAGE);
  return row;
}

function keyFileJson(row: KeyFileRow): KeyFileResponse {
  return {
    user_id: row.clientId,
    key_file: encodeBase64Url(row.keyFile),
    checksum: row.checksum,
    updated_at: formatTimestamp(row.updated),
  };
}
