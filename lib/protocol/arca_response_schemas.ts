/**
 * zod schemas of the JSON answers of Arca's own endpoints: users' key files, containers, their
 * events, notes and identity. Each is bound to the protocol type the server builds and the SDK
 * reads, so the compiler keeps them equal; the server's OpenAPI document is generated from them
 * (docs/server.md, "OpenAPI").
 *
 * @module
 */
import { z } from "zod";
import type { NoteCryptoFields } from "../crypto/note_crypto.ts";
import type {
  ContainerAccessJson,
  ContainerJson,
  ContainerListResponse,
  KeyBlobJson,
} from "./containers.ts";
import {
  type ContainerEventJson,
  EVENT_ACTIONS,
  EVENT_TYPES,
  type EventListResponse,
} from "./events.ts";
import { exactSchema } from "./_exact_schema.ts";
import type {
  IdentityJson,
  IdentityRegistrationJson,
  IdentityTokensJson,
  LoginActionJson,
  RealmInfoJson,
} from "./identity.ts";
import type { NoteJson } from "./notes.ts";
import { storageResponseSchemas } from "./response_schemas.ts";
import type {
  KeyFileKdfResponse,
  KeyFileResponse,
  KeyFileUploadResponse,
  ReminderResponse,
  UserInfoResponse,
} from "./users.ts";

const stringMap = z.record(z.string(), z.string());
const jsonObject = z.record(z.string(), z.unknown());

const keyBlob = exactSchema<KeyBlobJson>()(z.object({
  writer_id: z.string(),
  encrypted_key: z.string(),
  signature: z.string(),
}));

const container = exactSchema<ContainerJson>()(z.object({
  container_id: z.string(),
  type: z.string().nullable(),
  version: z.number().int(),
  created_at: z.number().int(),
  created_by: z.string(),
  modified_at: z.number().int(),
  modified_by: z.string(),
  length: z.number().int(),
  content_size: z.number().int(),
  access: z.array(
    exactSchema<ContainerAccessJson>()(z.object({
      user_id: z.string(),
      permissions: z.number().int(),
      expiration: z.number().int().nullable(),
      granted_by: z.string(),
    })),
  ),
  key_blob: keyBlob.nullable(),
  header: z.string().nullable(),
  content: z.string().nullable(),
}));

const containerEvent = exactSchema<ContainerEventJson>()(z.object({
  event_id: z.number().int(),
  action: z.enum(EVENT_ACTIONS),
  type: z.enum(EVENT_TYPES),
  date: z.number().int(),
  container_id: z.string().nullable(),
  container_type: z.string().nullable(),
  container_modified_at: z.number().int().nullable(),
  container_expired_at: z.number().int().nullable(),
  related_user_id: z.string().nullable(),
  client_app_name: z.string().nullable(),
  changes: jsonObject.nullable(),
}));

const noteCryptoFields = exactSchema<NoteCryptoFields>()(z.object({
  mode: z.string(),
  writer_encryption_key: z.string(),
  writer_signing_key: z.string(),
  recipient_signing_key: z.string().exactOptional(),
  encrypted_access_key: z.string(),
  signature: z.string(),
  data: stringMap,
}));

const identity = exactSchema<IdentityJson>()(z.object({
  identity_id: z.string(),
  realm_domain: z.string(),
  username: z.string(),
  client_id: z.string(),
  signing_key: z.string(),
  public_key: z.string(),
  created: z.string(),
}));

const realmInfo = exactSchema<RealmInfoJson>()(z.object({
  name: z.string(),
  domain: z.string(),
  broker_id: z.string(),
}));

/**
 * The JSON answers of Arca's own endpoints (users, containers, events, notes, identity), by
 * name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arcaResponseSchemas } from "./arca_response_schemas.ts";
 * const reminder = arcaResponseSchemas.reminder.parse({ user_id: "u", reminder: "the cat" });
 * assert.equal(reminder.reminder, "the cat");
 * assert.ok(!arcaResponseSchemas.reminder.safeParse({ user_id: "u" }).success);
 * ```
 */
export const arcaResponseSchemas = {
  keyFileUpload: exactSchema<KeyFileUploadResponse>()(z.object({
    user_id: z.string(),
    checksum: z.string(),
    updated_at: z.string(),
  })),
  keyFile: exactSchema<KeyFileResponse>()(z.object({
    user_id: z.string(),
    key_file: z.string(),
    checksum: z.string(),
    updated_at: z.string(),
  })),
  userInfo: exactSchema<UserInfoResponse>()(z.object({
    user_id: z.string(),
    checksum: z.string(),
    updated_at: z.string(),
    reminder: z.string(),
    key_file_downloads: z.number().int(),
    failed_key_file_downloads: z.number().int(),
  })),
  reminder: exactSchema<ReminderResponse>()(z.object({
    user_id: z.string(),
    reminder: z.string(),
  })),
  keyFileKdf: exactSchema<KeyFileKdfResponse>()(z.object({
    user_id: z.string(),
    header: z.string(),
  })),
  container,
  containerList: exactSchema<ContainerListResponse>()(z.object({
    containers: z.array(container),
    next: z.string().nullable(),
  })),
  containerEvent,
  eventList: exactSchema<EventListResponse>()(z.object({
    events: z.array(containerEvent),
    last_event_id: z.number().int(),
  })),
  note: exactSchema<NoteJson>()(noteCryptoFields.extend({
    note_id: z.string(),
    id_string: z.string(),
    client_id: z.string().nullable(),
    recipient_signing_key: z.string(),
    type: z.string(),
    plain: stringMap,
    file_meta: jsonObject,
    created_at: z.string(),
    max_views: z.number().int(),
    views: z.number().int(),
    expiration: z.string(),
    expires: z.boolean(),
    eacp: jsonObject.nullable(),
  })),
  realmInfo,
  realmList: z.array(realmInfo),
  loginAction: exactSchema<LoginActionJson>()(z.object({
    login_action: z.boolean(),
    type: z.enum(["continue", "fetch"]),
    action_url: z.string(),
    content_type: z.string(),
    fields: stringMap,
    context: stringMap,
  })),
  identityTokens: exactSchema<IdentityTokensJson>()(z.object({
    access_token: z.string(),
    token_type: z.string(),
    refresh_token: z.string(),
    expiry: z.string(),
    refresh_expiry: z.string(),
    expires_in: z.number().int(),
  })),
  identityList: z.array(identity),
  identityRegistration: exactSchema<IdentityRegistrationJson>()(identity.extend({
    realm_name: z.string(),
    api_key_id: z.string(),
    api_secret: z.string(),
    client_public_key: storageResponseSchemas.publicKey,
    client_signing_key: storageResponseSchemas.signingKey,
  })),
};
