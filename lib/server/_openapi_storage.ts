/**
 * The OpenAPI operation table of E3DB's storage API and its neighbours: health, token
 * exchange, registration, backup, clients, access keys, records, files, the v1 query, v2
 * search, policies and the admin API for tokens and clients.
 *
 * @module
 */
import { z } from "zod";
import { adminTokenCreateSchema } from "../protocol/admin.ts";
import { fileCommitSchema, fileWriteSchema } from "../protocol/files.ts";
import { queryRequestSchema } from "../protocol/query.ts";
import {
  accessKeyPutSchema,
  policyPutSchema,
  recordUpdateSchema,
  recordWriteSchema,
  registrationRequestSchema,
} from "../protocol/schemas.ts";
import { searchRequestSchema } from "../protocol/search.ts";
import type { OperationSpec } from "./_openapi_spec.ts";

const ACCESS_KEY_PATH = "/v1/storage/access_keys/{writerId}/{userId}/{readerId}/{type}";
const RECORD_VERSION_PATH = "/v1/storage/records/safe/{recordId}/{version}";

const tokenForm = z.object({
  grant_type: z.literal("client_credentials"),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

const fileToken = {
  name: "token",
  in: "query",
  schema: z.string(),
  description: "The URL's signed capability (part of the URL the server handed out)",
  required: true,
} as const;

/**
 * The operations of E3DB's storage API, files, search and the token and client admin API.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { STORAGE_OPERATIONS } from "./_openapi_storage.ts";
 * assert.ok(STORAGE_OPERATIONS.some((o) => o.path === "/v1/auth/token" && o.auth === "basic"));
 * ```
 */
export const STORAGE_OPERATIONS: readonly OperationSpec[] = [
  {
    method: "get",
    path: "/healthz",
    summary: "Liveness and the store's schema version",
    tag: "health",
    auth: "none",
    responses: { 200: "health" },
    errors: [],
  },
  {
    method: "post",
    path: "/v1/auth/token",
    summary: "Exchange the API key pair for a bearer token (one hour)",
    tag: "auth",
    auth: "basic",
    body: {
      form: tokenForm,
      description: "`grant_type=client_credentials`; `client_id` and `client_secret` stand in " +
        "for Basic credentials (the OAuth2 fallback)",
    },
    responses: { 200: "token" },
    errors: [],
  },
  {
    method: "post",
    path: "/v1/account/e3db/clients/register",
    summary: "Register a client with a registration token (answer header X-Backup-Client)",
    tag: "auth",
    auth: "none",
    body: { json: registrationRequestSchema, description: "The token and the client's keys" },
    responses: { 201: "registration" },
    headers: { "X-Backup-Client": "The client to share the credential backup with (itself)" },
    errors: [400, 401],
  },
  {
    method: "post",
    path: "/v1/account/backup/{token}/{clientId}",
    summary: "Report that a client backed up its credentials",
    tag: "auth",
    auth: "optionalBearer",
    responses: { 200: "backup" },
    errors: [403, 404],
  },
  {
    method: "get",
    path: "/v1/storage/clients/{clientId}",
    summary: "A client's public keys",
    tag: "storage",
    auth: "bearer",
    responses: { 200: "clientInfo" },
    errors: [404],
  },
  {
    method: "get",
    path: ACCESS_KEY_PATH,
    summary: "The caller's encrypted access key (EAK) for a writer, user and type",
    tag: "storage",
    auth: "bearer",
    responses: { 200: "accessKey" },
    errors: [400, 403, 404],
  },
  {
    method: "put",
    path: ACCESS_KEY_PATH,
    summary: "Store an EAK for a reader (the writer or an authorizer)",
    tag: "storage",
    auth: "bearer",
    body: { json: accessKeyPutSchema, description: "The EAK, `ct.nonce`" },
    responses: { 201: "accessKey" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "delete",
    path: ACCESS_KEY_PATH,
    summary: "Delete a reader's EAK",
    tag: "storage",
    auth: "bearer",
    responses: { 204: "empty" },
    errors: [400, 403],
  },
  {
    method: "post",
    path: "/v1/storage/records",
    summary: "Write a record",
    tag: "storage",
    auth: "bearer",
    body: { json: recordWriteSchema, description: "The record's meta, encrypted data, rec_sig" },
    responses: { 201: "record" },
    errors: [400, 403, 409],
  },
  {
    method: "get",
    path: "/v1/storage/records/{recordId}",
    summary: "Read a record (own, or shared with the caller)",
    tag: "storage",
    auth: "bearer",
    parameters: [{
      name: "field",
      in: "query",
      schema: z.string(),
      description: "Only these data fields (repeatable)",
      repeated: true,
    }],
    responses: { 200: "record" },
    errors: [403, 404],
  },
  {
    method: "put",
    path: RECORD_VERSION_PATH,
    summary: "Update a record at its current version",
    tag: "storage",
    auth: "bearer",
    body: { json: recordUpdateSchema, description: "The new plain, data and rec_sig" },
    responses: { 200: "record" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "delete",
    path: RECORD_VERSION_PATH,
    summary: "Delete a record at its current version",
    tag: "storage",
    auth: "bearer",
    responses: { 204: "empty" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "post",
    path: "/v1/storage/files",
    summary: "Announce a file record; answers a single-use upload URL",
    tag: "files",
    auth: "bearer",
    body: { json: fileWriteSchema, description: "The record's meta with file_meta" },
    responses: { 202: "pendingFile" },
    errors: [400, 403, 409, 501],
  },
  {
    method: "patch",
    path: "/v1/storage/files/{pendingId}",
    summary: "Commit an uploaded file as a record",
    tag: "files",
    auth: "bearer",
    body: {
      json: fileCommitSchema,
      optional: true,
      description: "The checksum and size the client measured (optional)",
    },
    responses: { 201: "record" },
    errors: [400, 403, 404, 409, 501],
  },
  {
    method: "get",
    path: "/v1/storage/files/{recordId}",
    summary: "A file record with a fresh download URL in meta.file_meta.file_url",
    tag: "files",
    auth: "bearer",
    responses: { 200: "record" },
    errors: [400, 403, 404, 501],
  },
  {
    method: "put",
    path: "/v1/arca/files/upload/{pendingId}",
    summary: "Upload a file's encrypted bytes to its signed URL (streamed, no body limit)",
    tag: "files",
    auth: "fileUrl",
    parameters: [fileToken, {
      name: "Content-MD5",
      in: "header",
      schema: z.string(),
      description: "Standard base64 MD5 of the bytes, checked when sent",
    }],
    body: { binary: true, description: "The encrypted file" },
    responses: { 200: "uploadedFile" },
    errors: [400, 403, 404, 409, 501],
  },
  {
    method: "get",
    path: "/v1/arca/files/download/{recordId}",
    summary: "Download a file's encrypted bytes from its signed URL",
    tag: "files",
    auth: "fileUrl",
    parameters: [fileToken, {
      name: "Range",
      in: "header",
      schema: z.string(),
      description: "One byte range (`bytes=start-end`); answered 206",
    }],
    responses: { 200: "binary", 206: "binary" },
    headers: {
      "Accept-Ranges": "`bytes`",
      "Content-Range": "On a 206, the range sent (`bytes start-end/size`)",
    },
    errors: [400, 403, 404, 416, 501],
  },
  {
    method: "post",
    path: "/v1/storage/search",
    summary: "The v1 query: the caller's records and those shared with it, in write order",
    tag: "search",
    auth: "bearer",
    body: { json: queryRequestSchema, description: "Filters and paging (docs/server.md)" },
    responses: { 200: "query" },
    errors: [400],
  },
  {
    method: "post",
    path: "/v2/search",
    summary: "The v2 search API (docs/search.md)",
    tag: "search",
    auth: "bearer",
    body: { json: searchRequestSchema, description: "Match and range clauses, paging" },
    responses: { 200: "search" },
    errors: [400],
  },
  {
    method: "get",
    path: "/v1/storage/policy/outgoing",
    summary: "Whom the caller shares with",
    tag: "sharing",
    auth: "bearer",
    responses: { 200: "outgoingPolicies" },
    errors: [],
  },
  {
    method: "get",
    path: "/v1/storage/policy/incoming",
    summary: "Who shares with the caller",
    tag: "sharing",
    auth: "bearer",
    responses: { 200: "incomingPolicies" },
    errors: [],
  },
  {
    method: "get",
    path: "/v1/storage/policy/proxies",
    summary: "The authorizers the caller (a writer) appointed",
    tag: "sharing",
    auth: "bearer",
    responses: { 200: "authorizerPolicies" },
    errors: [],
  },
  {
    method: "get",
    path: "/v1/storage/policy/granted",
    summary: "The writers that made the caller an authorizer",
    tag: "sharing",
    auth: "bearer",
    responses: { 200: "authorizerPolicies" },
    errors: [],
  },
  {
    method: "put",
    path: "/v1/storage/policy/{userId}/{writerId}/{readerId}/{type}",
    summary: "Allow or deny read, authorizer and edit",
    tag: "sharing",
    auth: "bearer",
    body: { json: policyPutSchema, description: "`allow` and `deny` lists" },
    responses: { 201: "policy" },
    errors: [400, 403, 404],
  },
  {
    method: "delete",
    path: "/v1/storage/policy/{userId}/{writerId}/{readerId}",
    summary: "Remove an authorizer on every type (writer only)",
    tag: "sharing",
    auth: "bearer",
    responses: { 200: "empty" },
    errors: [400, 403],
  },
  {
    method: "post",
    path: "/v1/arca/admin/tokens",
    summary: "Make a registration token (its value is shown only here)",
    tag: "admin",
    auth: "admin",
    body: { json: adminTokenCreateSchema, optional: true, description: "Its name and kind" },
    responses: { 201: "issuedRegistrationToken" },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/v1/arca/admin/tokens",
    summary: "List registration tokens",
    tag: "admin",
    auth: "admin",
    responses: { 200: "registrationTokens" },
    errors: [404],
  },
  {
    method: "delete",
    path: "/v1/arca/admin/tokens/{tokenId}",
    summary: "Revoke a registration token",
    tag: "admin",
    auth: "admin",
    responses: { 204: "empty" },
    errors: [404],
  },
  {
    method: "get",
    path: "/v1/arca/admin/clients",
    summary: "List clients",
    tag: "admin",
    auth: "admin",
    responses: { 200: "adminClients" },
    errors: [404],
  },
  ...(["disable", "enable"] as const).map((action): OperationSpec => ({
    method: "post",
    path: `/v1/arca/admin/clients/{clientId}/${action}`,
    summary: `${action === "disable" ? "Disable" : "Enable"} a client`,
    tag: "admin",
    auth: "admin",
    responses: { 200: "adminClient" },
    errors: [404],
  })),
  {
    method: "delete",
    path: "/v1/arca/admin/clients/{clientId}",
    summary: "Delete a client and everything it owns",
    tag: "admin",
    auth: "admin",
    responses: { 204: "empty" },
    errors: [404],
  },
];
