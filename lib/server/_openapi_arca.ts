/**
 * The OpenAPI operation table of Arca's own endpoints: users' key files, containers and their
 * events, notes, identity (login and its admin API), and the document itself.
 *
 * @module
 */
import { z } from "zod";
import {
  APP_NAME_HEADER,
  CONTAINER_VERSION_HEADER,
  containerCreateSchema,
  containerUpdateSchema,
} from "../protocol/containers.ts";
import { EVENT_ACTIONS, EVENT_TYPES, MAX_EVENT_PAGE } from "../protocol/events.ts";
import {
  identityRegisterSchema,
  loginContinueSchema,
  loginRedirectSchema,
  loginRequestSchema,
  realmCreateSchema,
  tokenRefreshSchema,
} from "../protocol/identity.ts";
import { noteWriteSchema, TOZID_LOGIN_TOKEN_HEADER } from "../protocol/notes.ts";
import { keyFileProofSchema, keyFileUploadSchema } from "../protocol/users.ts";
import type { OperationSpec, Parameter } from "./_openapi_spec.ts";

const USERS = "/v1/arca/users";
const CONTAINER = "/v1/arca/containers/{container_id}";
const REALM_IDENTITIES = "/v1/arca/admin/realms/{realm}/identities";

const appName: Parameter = {
  name: APP_NAME_HEADER,
  in: "header",
  schema: z.string().max(100),
  description: "The calling app's name, recorded in the events the request causes",
};

const eventFilters: Parameter[] = [
  {
    name: "limit",
    in: "query",
    schema: z.int().min(1).max(MAX_EVENT_PAGE),
    description: "Page size",
  },
  { name: "type", in: "query", schema: z.enum(EVENT_TYPES), description: "Only this event type" },
  { name: "action", in: "query", schema: z.enum(EVENT_ACTIONS), description: "Only this action" },
  { name: "container_id", in: "query", schema: z.string(), description: "Only this container" },
  {
    name: "container_type",
    in: "query",
    schema: z.string().min(1).max(1024),
    description: "Only containers of this type",
  },
];

const after: Parameter = {
  name: "after",
  in: "query",
  schema: z.int().min(0),
  description: "Only events after this id",
};

const noteRef: Parameter[] = [
  { name: "note_id", in: "query", schema: z.string(), description: "The note's id" },
  { name: "id_string", in: "query", schema: z.string(), description: "Or its name" },
];

/**
 * The operations of Arca's own endpoints.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ARCA_OPERATIONS } from "./_openapi_arca.ts";
 * assert.ok(ARCA_OPERATIONS.some((o) => o.path === "/openapi.json" && o.auth === "none"));
 * ```
 */
export const ARCA_OPERATIONS: readonly OperationSpec[] = [
  {
    method: "put",
    path: `${USERS}/me/key-file`,
    summary: "Upload or replace the caller's key file (201 the first time)",
    tag: "users",
    auth: "bearer",
    body: { json: keyFileUploadSchema, description: "The sealed key file and its verifier" },
    responses: { 200: "keyFileUpload", 201: "keyFileUpload" },
    errors: [400],
  },
  {
    method: "get",
    path: `${USERS}/me`,
    summary: "The caller's key file facts",
    tag: "users",
    auth: "bearer",
    responses: { 200: "userInfo" },
    errors: [404],
  },
  {
    method: "get",
    path: `${USERS}/me/key-file`,
    summary: "The caller's key file",
    tag: "users",
    auth: "bearer",
    responses: { 200: "keyFile" },
    errors: [404],
  },
  {
    method: "delete",
    path: `${USERS}/me`,
    summary: "Delete the caller's key file",
    tag: "users",
    auth: "bearer",
    responses: { 204: "empty" },
    errors: [404],
  },
  {
    method: "get",
    path: `${USERS}/{user_id}/reminder`,
    summary: "A user's public passphrase reminder",
    tag: "users",
    auth: "none",
    responses: { 200: "reminder" },
    errors: [400, 404],
  },
  {
    method: "get",
    path: `${USERS}/{user_id}/key-file/kdf`,
    summary: "A key file's KDF header (to derive the passphrase proof)",
    tag: "users",
    auth: "none",
    responses: { 200: "keyFileKdf" },
    errors: [400, 404],
  },
  {
    method: "post",
    path: `${USERS}/{user_id}/key-file`,
    summary: "Download a key file by passphrase proof (throttled)",
    tag: "users",
    auth: "none",
    body: { json: keyFileProofSchema, description: "The passphrase proof" },
    responses: { 200: "keyFile" },
    errors: [400, 403, 429],
  },
  {
    method: "post",
    path: "/v1/arca/containers",
    summary: "Create a container",
    tag: "containers",
    auth: "bearer",
    parameters: [appName],
    body: { json: containerCreateSchema, description: "Its id, header, content and access" },
    responses: { 201: "container" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "get",
    path: "/v1/arca/containers",
    summary: "The containers the caller can reach",
    tag: "containers",
    auth: "bearer",
    parameters: [
      { name: "limit", in: "query", schema: z.int().min(1).max(1000), description: "Page size" },
      { name: "after", in: "query", schema: z.string(), description: "The last page's `next`" },
      { name: "type", in: "query", schema: z.string().min(1).max(1024), description: "Type" },
    ],
    responses: { 200: "containerList" },
    errors: [400],
  },
  {
    method: "get",
    path: CONTAINER,
    summary: "A container (the caller's view)",
    tag: "containers",
    auth: "bearer",
    parameters: [{
      name: "content",
      in: "query",
      schema: z.literal("inline"),
      description: "Answer the sealed content inline when it is small enough",
    }],
    responses: { 200: "container" },
    errors: [400, 404],
  },
  {
    method: "patch",
    path: CONTAINER,
    summary: "Change a container's type, content (a new version) or access",
    tag: "containers",
    auth: "bearer",
    parameters: [appName],
    body: { json: containerUpdateSchema, description: "The fields to change" },
    responses: { 200: "container" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "delete",
    path: CONTAINER,
    summary: "Delete a container",
    tag: "containers",
    auth: "bearer",
    parameters: [appName],
    responses: { 204: "empty" },
    errors: [400, 403, 404],
  },
  {
    method: "put",
    path: `${CONTAINER}/content/{version}`,
    summary: "Upload an announced version's sealed content (streamed, no body limit)",
    tag: "containers",
    auth: "bearer",
    body: { binary: true, description: "The sealed content, exactly `content_size` bytes" },
    responses: { 204: "empty" },
    errors: [400, 403, 404, 409],
  },
  {
    method: "get",
    path: `${CONTAINER}/content`,
    summary: "A container's sealed content",
    tag: "containers",
    auth: "bearer",
    responses: { 200: "binary" },
    headers: { [CONTAINER_VERSION_HEADER]: "The version these bytes belong to" },
    errors: [400, 403, 404],
  },
  {
    method: "get",
    path: "/v1/arca/events",
    summary: "The caller's container and key file events",
    tag: "events",
    auth: "bearer",
    parameters: [after, ...eventFilters],
    responses: { 200: "eventList" },
    errors: [400],
  },
  {
    method: "get",
    path: "/v1/arca/events/stream",
    summary: "The caller's events as Server-Sent Events",
    tag: "events",
    auth: "bearer",
    parameters: [after, {
      name: "Last-Event-ID",
      in: "header",
      schema: z.string(),
      description: "Resume after this event id (wins over `after`)",
    }, ...eventFilters],
    responses: { 200: "events" },
    errors: [400, 429],
  },
  {
    method: "post",
    path: "/v2/storage/notes",
    summary: "Write a note (a registered or anonymous TSV1 caller)",
    tag: "notes",
    auth: "tsv1",
    body: { json: noteWriteSchema, description: "The sealed, signed note and its options" },
    responses: { 201: "note" },
    errors: [400, 409, 429],
  },
  {
    method: "put",
    path: "/v2/storage/notes",
    summary: "Write or replace a named note (200 replaced, 201 new)",
    tag: "notes",
    auth: "tsv1",
    body: { json: noteWriteSchema, description: "The sealed, signed note, with id_string" },
    responses: { 200: "note", 201: "note" },
    errors: [400, 403, 409],
  },
  {
    method: "get",
    path: "/v2/storage/notes",
    summary: "Read a note (its recipient; counts a view)",
    tag: "notes",
    auth: "tsv1",
    parameters: [...noteRef, {
      name: TOZID_LOGIN_TOKEN_HEADER,
      in: "header",
      schema: z.string(),
      description: "An identity access token, for a note with a TozID EACP",
    }],
    responses: { 200: "note" },
    errors: [400, 404, 429],
  },
  {
    method: "delete",
    path: "/v2/storage/notes/{noteId}",
    summary: "Delete a note (its writer or recipient)",
    tag: "notes",
    auth: "tsv1",
    responses: { 204: "empty" },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/v1/identity/info/realm/{realm}",
    summary: "A realm's public info",
    tag: "identity",
    auth: "none",
    responses: { 200: "realmInfo" },
    errors: [404],
  },
  {
    method: "post",
    path: "/v1/identity/login",
    summary: "Start an identity login (signed with the password-derived key)",
    tag: "identity",
    auth: "tsv1",
    body: { json: loginRequestSchema, description: "The username, realm and PKCE challenge" },
    responses: { 200: "loginAction" },
    errors: [400, 429],
  },
  {
    method: "post",
    path: "/v1/identity/login/continue/{sessionId}",
    summary: "The login's continue step",
    tag: "identity",
    auth: "tsv1",
    body: {
      json: loginContinueSchema,
      form: loginContinueSchema,
      description: "The identity's public keys, as JSON or a form",
    },
    responses: { 200: "loginAction" },
    errors: [400],
  },
  {
    method: "post",
    path: "/v1/identity/tozid/redirect",
    summary: "Finish a login: issue identity tokens",
    tag: "identity",
    auth: "tsv1",
    body: { json: loginRedirectSchema, description: "The login context and PKCE verifier" },
    responses: { 200: "identityTokens" },
    errors: [400],
  },
  {
    method: "post",
    path: "/v1/identity/tozid/refresh",
    summary: "Trade a refresh token for a new pair (once)",
    tag: "identity",
    auth: "none",
    body: { json: tokenRefreshSchema, description: "The refresh token" },
    responses: { 200: "identityTokens" },
    errors: [400, 401],
  },
  {
    method: "post",
    path: "/v1/arca/admin/realms",
    summary: "Create a realm",
    tag: "admin",
    auth: "admin",
    body: { json: realmCreateSchema, description: "Its name" },
    responses: { 201: "realmInfo" },
    errors: [400, 404, 409],
  },
  {
    method: "get",
    path: "/v1/arca/admin/realms",
    summary: "List realms",
    tag: "admin",
    auth: "admin",
    responses: { 200: "realmList" },
    errors: [404],
  },
  {
    method: "post",
    path: REALM_IDENTITIES,
    summary: "Register an identity (and its storage client) in a realm",
    tag: "admin",
    auth: "admin",
    body: { json: identityRegisterSchema, description: "Its username and derived keys" },
    responses: { 201: "identityRegistration" },
    errors: [400, 404, 409],
  },
  {
    method: "get",
    path: REALM_IDENTITIES,
    summary: "List a realm's identities",
    tag: "admin",
    auth: "admin",
    responses: { 200: "identityList" },
    errors: [404],
  },
  {
    method: "delete",
    path: `${REALM_IDENTITIES}/{username}`,
    summary: "Delete an identity and its storage client",
    tag: "admin",
    auth: "admin",
    responses: { 204: "empty" },
    errors: [404],
  },
  {
    method: "get",
    path: "/metrics",
    summary: "The server's metrics (requests, latency, store queue, streams, blob bytes)",
    tag: "health",
    auth: "admin",
    responses: { 200: "metrics" },
    errors: [],
  },
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    tag: "health",
    auth: "none",
    responses: { 200: "openApi" },
    errors: [],
  },
  ...[
    ["/console", "The web console's page (docs/console.md)"],
    ["/console/", "The web console's page, again"],
    ["/console/{file}", "A file of the web console (its stylesheet)"],
    ["/console/{folder}/{file}", "A file in a folder of the web console (its scripts)"],
  ].map(([path, summary]): OperationSpec => ({
    method: "get",
    path: path!,
    summary: `${summary}; 404 with ARCA_CONSOLE=off`,
    tag: "console",
    auth: "none",
    responses: { 200: "consoleFile", 304: "empty" },
    headers: {
      "Content-Security-Policy": "The console's strict policy (no third-party requests)",
      ETag: "A digest of the file; If-None-Match gets a 304",
    },
    errors: [404],
  })),
];
