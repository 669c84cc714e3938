/**
 * zod schemas of the JSON answers of the E3DB storage API, the files API, search and the admin
 * API. Each is bound to the protocol type the server builds and the SDK reads
 * (`responses.ts`, `files.ts`, `search.ts`, `admin.ts`), so the compiler keeps them equal; the
 * server's OpenAPI document is generated from them (docs/server.md, "OpenAPI").
 *
 * @module
 */
import { z } from "zod";
import type {
  AdminClientJson,
  IssuedRegistrationTokenJson,
  RegistrationTokenJson,
} from "./admin.ts";
import { exactSchema } from "./_exact_schema.ts";
import type { ErrorBody } from "./error_body.ts";
import type { FileMetaJson, PendingFileResponse } from "./files.ts";
import type { PublicKeyJson, SigningKeyJson } from "./keys.ts";
import type {
  AccessKeyResponse,
  AuthorizerPolicyJson,
  ClientInfoResponse,
  IncomingPolicyJson,
  OutgoingPolicyJson,
  QueryResponse,
  QueryResultJson,
  RecordJson,
  RecordMetaJson,
  RegistrationResponse,
  TokenResponse,
} from "./responses.ts";
import type { SearchResponse } from "./search.ts";

const stringMap = z.record(z.string(), z.string());
const jsonObject = z.record(z.string(), z.unknown());

const errorBody = exactSchema<ErrorBody>()(z.object({
  error: z.string(),
  request_id: z.string().exactOptional(),
}));

const publicKey = exactSchema<PublicKeyJson>()(z.union([
  z.object({ curve25519: z.string() }),
  z.object({ p384: z.string() }),
]));

const signingKey = exactSchema<SigningKeyJson>()(z.union([
  z.object({ ed25519: z.string() }),
  z.object({ p384: z.string() }),
]));

const recordMeta = exactSchema<RecordMetaJson>()(z.object({
  record_id: z.string(),
  writer_id: z.string(),
  user_id: z.string(),
  type: z.string(),
  plain: stringMap,
  created: z.string(),
  last_modified: z.string(),
  version: z.string(),
  file_meta: jsonObject.exactOptional(),
}));

const record = exactSchema<RecordJson>()(z.object({
  meta: recordMeta,
  data: stringMap,
  rec_sig: z.string().exactOptional(),
}));

const accessKey = exactSchema<AccessKeyResponse>()(z.object({
  eak: z.string(),
  authorizer_id: z.string(),
  authorizer_public_key: publicKey,
}));

const queryResult = exactSchema<QueryResultJson>()(z.object({
  meta: recordMeta,
  record_data: stringMap.nullable(),
  access_key: accessKey.nullable(),
  rec_sig: z.string().exactOptional(),
}));

const registrationToken = exactSchema<RegistrationTokenJson>()(z.object({
  token_id: z.string(),
  name: z.string(),
  one_time: z.boolean(),
  uses: z.number().int(),
  revoked: z.boolean(),
  created: z.string(),
}));

const adminClient = exactSchema<AdminClientJson>()(z.object({
  client_id: z.string(),
  name: z.string(),
  public_key: publicKey,
  signing_key: signingKey.nullable(),
  created: z.string(),
  backed_up: z.string().nullable(),
  disabled: z.boolean(),
}));

/**
 * The JSON answers of the storage, files, search and admin endpoints, by name. `error` is the
 * body of every failure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storageResponseSchemas } from "./response_schemas.ts";
 * const token = storageResponseSchemas.token.parse({
 *   access_token: "t",
 *   token_type: "Bearer",
 *   expires_in: 3600,
 *   expires_at: "2026-11-23T09:21:13.377801Z",
 * });
 * assert.equal(token.expires_in, 3600);
 * assert.ok(!storageResponseSchemas.error.safeParse({ message: "no" }).success);
 * ```
 */
export const storageResponseSchemas = {
  error: errorBody,
  health: z.object({ status: z.literal("ok"), schema_version: z.number().int() }),
  token: exactSchema<TokenResponse>()(z.object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    expires_at: z.string(),
  })),
  registration: exactSchema<RegistrationResponse>()(z.object({
    client_id: z.string(),
    api_key_id: z.string(),
    api_secret: z.string(),
    public_key: publicKey,
    signing_key: signingKey.nullable(),
    name: z.string(),
  })),
  backup: z.object({}),
  clientInfo: exactSchema<ClientInfoResponse>()(z.object({
    client_id: z.string(),
    public_key: publicKey,
    signing_key: signingKey.nullable(),
    validated: z.boolean(),
  })),
  accessKey,
  record,
  query: exactSchema<QueryResponse>()(z.object({
    results: z.array(queryResult),
    last_index: z.number().int(),
  })),
  search: exactSchema<SearchResponse>()(z.object({
    results: z.array(queryResult),
    last_index: z.number().int(),
    total_results: z.number().int(),
    search_id: z.string(),
  })),
  pendingFile: exactSchema<PendingFileResponse>()(z.object({
    id: z.string(),
    file_url: z.string(),
  })),
  fileMeta: exactSchema<FileMetaJson>()(z.object({
    checksum: z.string(),
    compression: z.string(),
    size: z.number().int(),
    file_url: z.string(),
    file_name: z.string(),
  })),
  uploadedFile: z.object({ id: z.string(), checksum: z.string(), size: z.number().int() }),
  outgoingPolicies: z.array(
    exactSchema<OutgoingPolicyJson>()(z.object({
      reader_id: z.string(),
      reader_name: z.string(),
      record_type: z.string(),
    })),
  ),
  incomingPolicies: z.array(
    exactSchema<IncomingPolicyJson>()(z.object({
      writer_id: z.string(),
      writer_name: z.string(),
      record_type: z.string(),
    })),
  ),
  authorizerPolicies: z.array(
    exactSchema<AuthorizerPolicyJson>()(z.object({
      authorizer_id: z.string(),
      writer_id: z.string(),
      user_id: z.string(),
      record_type: z.string(),
      authorized_by: z.string(),
    })),
  ),
  policy: z.object({
    user_id: z.string(),
    writer_id: z.string(),
    reader_id: z.string(),
    record_type: z.string(),
    read: z.boolean(),
    authorizer: z.boolean(),
    edit: z.boolean(),
  }),
  registrationTokens: z.array(registrationToken),
  issuedRegistrationToken: exactSchema<IssuedRegistrationTokenJson>()(
    registrationToken.extend({ token: z.string() }),
  ),
  adminClient,
  adminClients: z.array(adminClient),
  publicKey,
  signingKey,
};
