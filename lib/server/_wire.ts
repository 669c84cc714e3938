/**
 * Store rows → E3DB JSON. Field names, key names and timestamp formats follow the wire spec
 * exactly; secrets (hashes) never leave through here.
 *
 * @module
 */
import { keyToJson, type PublicKeyJson, type SigningKeyJson } from "../protocol/keys.ts";
import type {
  AccessKeyResponse,
  ClientInfoResponse,
  RecordJson,
  RecordMetaJson,
} from "../protocol/responses.ts";
import { formatTimestamp } from "../protocol/timestamps.ts";
import type { AccessKeyRow } from "../store/access_keys.ts";
import type { ClientRow } from "../store/clients.ts";
import type { RecordRow } from "../store/records.ts";

/**
 * A client's encryption public key as JSON.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * publicKeyJson(client); // { curve25519: "..." }
 * ```
 */
export function publicKeyJson(client: ClientRow): PublicKeyJson {
  return keyToJson({ type: client.publicKeyType, value: client.publicKey });
}

/**
 * A client's signing key as JSON, or `null` when it registered none.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * signingKeyJson(client); // { ed25519: "..." } or null
 * ```
 */
export function signingKeyJson(client: ClientRow): SigningKeyJson | null {
  if (client.signingKeyType === null || client.signingKey === null) return null;
  return keyToJson({ type: client.signingKeyType, value: client.signingKey });
}

/**
 * `GET /v1/storage/clients/{id}` body.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * c.json(clientInfoJson(client));
 * ```
 */
export function clientInfoJson(client: ClientRow): ClientInfoResponse {
  return {
    client_id: client.clientId,
    public_key: publicKeyJson(client),
    signing_key: signingKeyJson(client),
    validated: true,
  };
}

/**
 * A record's `meta`: `plain` always an object, timestamps with six fractional digits.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * recordMetaJson(row).created; // "2026-11-23T08:21:13.388814Z"
 * ```
 */
export function recordMetaJson(record: RecordRow): RecordMetaJson {
  const meta: RecordMetaJson = {
    record_id: record.recordId,
    writer_id: record.writerId,
    user_id: record.userId,
    type: record.type,
    plain: record.plain,
    created: formatTimestamp(record.created),
    last_modified: formatTimestamp(record.lastModified),
    version: record.version,
  };
  if (record.fileMeta !== null) meta.file_meta = record.fileMeta;
  return meta;
}

/**
 * A whole record. When `fields` is given, only those data fields are returned.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * c.json(recordJson(row, ["name"]));
 * ```
 */
export function recordJson(record: RecordRow, fields?: readonly string[]): RecordJson {
  const data = fields === undefined || fields.length === 0
    ? record.data
    : Object.fromEntries(Object.entries(record.data).filter(([key]) => fields.includes(key)));
  const json: RecordJson = { meta: recordMetaJson(record), data };
  if (record.recSig !== null) json.rec_sig = record.recSig;
  return json;
}

const recordTexts = new WeakMap<RecordRow, string>();

/**
 * A whole record as JSON text: `JSON.stringify(recordJson(record))`, kept beside a frozen row
 * (the store's record cache shares its rows between reads), so a hot record is serialized once.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * c.body(recordJsonText(row), 200, { "content-type": "application/json" });
 * ```
 */
export function recordJsonText(record: RecordRow): string {
  let text = recordTexts.get(record);
  if (text === undefined) {
    text = JSON.stringify(recordJson(record));
    if (Object.isFrozen(record)) recordTexts.set(record, text);
  }
  return text;
}

/**
 * An EAK as E3DB returns it, with the public key of the client that put it.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: needs rows from its store.
 * c.json(accessKeyJson(row, authorizer));
 * ```
 */
export function accessKeyJson(accessKey: AccessKeyRow, authorizer: ClientRow): AccessKeyResponse {
  return {
    eak: accessKey.eak,
    authorizer_id: accessKey.authorizerId,
    authorizer_public_key: publicKeyJson(authorizer),
  };
}
