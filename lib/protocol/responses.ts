/**
 * Response bodies of the E3DB storage API as TypeScript types (the server builds them, the SDK
 * reads them). Timestamps are E3DB timestamps (see `timestamps.ts`).
 *
 * @module
 */
import type { PublicKeyJson, SigningKeyJson } from "./keys.ts";

/** `POST /v1/auth/token` → 200. */
export interface TokenResponse {
  /** The opaque bearer token. */
  access_token: string;
  /** Always `"Bearer"`. */
  token_type: "Bearer";
  /** Seconds until expiry (3600). */
  expires_in: number;
  /** Expiry as an E3DB timestamp. */
  expires_at: string;
}

/** `POST /v1/account/e3db/clients/register` → 201 (plus header `X-Backup-Client`). */
export interface RegistrationResponse {
  /** The new client's id (UUID). */
  client_id: string;
  /** Hex; the Basic-auth user name for `/v1/auth/token`. */
  api_key_id: string;
  /** Hex; shown only here, stored hashed. */
  api_secret: string;
  /** The encryption public key, echoed. */
  public_key: PublicKeyJson;
  /** The signing key, echoed; `null` when none was sent. */
  signing_key: SigningKeyJson | null;
  /** The client name, echoed. */
  name: string;
}

/** `GET /v1/storage/clients/{id}` → 200. */
export interface ClientInfoResponse {
  /** The client's id. */
  client_id: string;
  /** Its encryption public key. */
  public_key: PublicKeyJson;
  /** Its signing key, or `null`. */
  signing_key: SigningKeyJson | null;
  /** Always `true` on Arca. */
  validated: boolean;
}

/** `GET /v1/storage/access_keys/{writer}/{user}/{reader}/{type}` → 200. */
export interface AccessKeyResponse {
  /** `b64url(ct).b64url(nonce)`. */
  eak: string;
  /** The client that PUT this EAK (and encrypted it). */
  authorizer_id: string;
  /** That client's encryption public key. */
  authorizer_public_key: PublicKeyJson;
}

/** The `meta` object of a record. */
export interface RecordMetaJson {
  /** The record's id. */
  record_id: string;
  /** The client that wrote it. */
  writer_id: string;
  /** The subject of the record. */
  user_id: string;
  /** The record type. */
  type: string;
  /** Clear metadata; always an object, `{}` when empty. */
  plain: Record<string, string>;
  /** Creation time. */
  created: string;
  /** Last update time. */
  last_modified: string;
  /** Opaque; changes on every update. */
  version: string;
  /** Present only on file records. */
  file_meta?: Record<string, unknown>;
}

/** A record: `GET/POST/PUT /v1/storage/records...`. */
export interface RecordJson {
  /** Clear metadata. */
  meta: RecordMetaJson;
  /** Encrypted fields (dotted quads). */
  data: Record<string, string>;
  /** Present only when the writer sent one. */
  rec_sig?: string;
}

/** One row of a v1 query result. */
export interface QueryResultJson {
  /** Clear metadata. */
  meta: RecordMetaJson;
  /** `null` unless `include_data`. */
  record_data: Record<string, string> | null;
  /** The caller's EAK for this record's type when `include_data`, else `null`. */
  access_key: AccessKeyResponse | null;
  /** Present only when the writer sent one. */
  rec_sig?: string;
}

/** `POST /v1/storage/search` → 200. */
export interface QueryResponse {
  /** Always an array. */
  results: QueryResultJson[];
  /** Pass as `after_index` for the next page. */
  last_index: number;
}

/** `GET /v1/storage/policy/outgoing` items. */
export interface OutgoingPolicyJson {
  /** Who may read. */
  reader_id: string;
  /** That client's name. */
  reader_name: string;
  /** Which type. */
  record_type: string;
}

/** `GET /v1/storage/policy/incoming` items. */
export interface IncomingPolicyJson {
  /** Who shares. */
  writer_id: string;
  /** That client's name. */
  writer_name: string;
  /** Which type. */
  record_type: string;
}

/** `GET /v1/storage/policy/proxies` and `/granted` items. */
export interface AuthorizerPolicyJson {
  /** The client allowed to share on the writer's behalf. */
  authorizer_id: string;
  /** The writer. */
  writer_id: string;
  /** The user (subject). */
  user_id: string;
  /** Which type. */
  record_type: string;
  /** The client whose PUT last changed this policy. */
  authorized_by: string;
}
