/**
 * Arca: an end-to-end encrypted data store for Deno that speaks Tozny E3DB's wire protocol.
 *
 * Clients encrypt before anything leaves them; the server stores ciphertext and enforces access.
 * This module is the SDK: the {@linkcode Client} (records, queries, sharing, authorizers), its
 * {@linkcode Config} (E3DB credential files and profiles), the error classes, and the cipher
 * suites and wire formats beneath them (Sodium by default, NIST with `ARCA_CRYPTO_SUITE=NIST`).
 *
 * @example Register a client and write an encrypted record
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client } from "@arca/arca";
 * import { startServer } from "@arca/arca/server";
 *
 * // A throwaway server for the example; use your server's URL and registration token instead.
 * const dataDir = await Deno.makeTempDir();
 * const server = await startServer({ dataDir, port: 0, print: () => {} });
 * const token = server.generatedRegistrationToken!;
 *
 * const keys = await Client.generateKeypair();
 * const signingKeys = await Client.generateSigningKeypair();
 * const { config } = await Client.register(token, "my-app", keys, {
 *   apiUrl: server.url,
 *   signingKeys,
 * });
 * const client = new Client(config);
 * const record = await client.write("contact", { name: "Jon Snow" }, { house: "Stark" });
 * assert.equal((await client.read(record.meta.recordId)).data.name, "Jon Snow");
 * await server.shutdown();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./lib/sdk/mod.ts";
export {
  ArcaError,
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  ValidationError,
} from "./lib/errors.ts";

// Cipher suites.
export type {
  CryptoSuite,
  KeyPair,
  PasswordKdfParams,
  StreamPuller,
  StreamPusher,
} from "./lib/crypto/suite.ts";
export { type SodiumSuite, sodiumSuite } from "./lib/crypto/sodium.ts";
export type { KeyFileKdf } from "./lib/crypto/key_file.ts";
export { type NistSuite, nistSuite } from "./lib/crypto/nist.ts";
export { getSuite, parseSuiteName, suiteNameFromEnv } from "./lib/crypto/suites.ts";

// E3DB wire formats, for tools that work below the Client.
export { decodeBase64Url, encodeBase64Url } from "./lib/crypto/encoding.ts";
export {
  decryptField,
  decryptRecordData,
  encryptField,
  encryptRecordData,
  type FieldRandomness,
  randomKey,
} from "./lib/crypto/fields.ts";
export { unwrapAccessKey, wrapAccessKey } from "./lib/crypto/access_key.ts";
export {
  canonicalQueryForms,
  signRequest,
  TSV1_DEFAULT_WINDOW_SECONDS,
  TSV1_NIST_SCHEME,
  TSV1_SODIUM_SCHEME,
  Tsv1Error,
  type Tsv1Reason,
  tsv1Scheme,
  type Tsv1SignInput,
  type Tsv1Suites,
  type Tsv1Verified,
  type Tsv1VerifyInput,
  verifyRequest,
} from "./lib/crypto/tsv1.ts";
export {
  isSignedField,
  signField,
  TFSP1_NIST_VERSION,
  TFSP1_SODIUM_VERSION,
  tfsp1Version,
  verifyField,
} from "./lib/crypto/tfsp1.ts";
export {
  assertRecordSignature,
  type BoundRecordMeta,
  RECORD_SIGNATURE_V2_MARKER,
  type RecordSignatureMeta,
  recordSignatureVersion,
  signBoundRecord,
  signRecord,
  verifyRecordSignature,
} from "./lib/crypto/record_signature.ts";
export {
  decryptNote,
  type DecryptNoteOptions,
  encryptNote,
  type EncryptNoteInput,
  type NoteCryptoFields,
  type NoteRandomness,
} from "./lib/crypto/note_crypto.ts";
export {
  deriveNoteCredentials,
  IDENTITY_DERIVATION_ITERATIONS,
  type NoteCredentials,
} from "./lib/crypto/identity_credentials.ts";
export {
  decryptFileStream,
  encryptedSize,
  encryptFileStream,
  FILE_CHUNK_BYTES,
} from "./lib/crypto/file_stream.ts";
export { ChecksumStream, type FileChecksum, fileChecksum } from "./lib/crypto/file_checksum.ts";

// Containers: permissions and access entries.
export {
  Access,
  type AccessJson,
  type AccessOptions,
  parseExpiration,
} from "./lib/protocol/access.ts";
export {
  ACCESS_MODIFY,
  ACCESS_VIEW,
  type AccessPermissions,
  ALL_PERMISSIONS,
  CONTAINER_DECRYPT,
  CONTAINER_DOWNLOAD,
  CONTAINER_TYPE_MODIFY,
  CONTAINER_TYPE_VIEW,
  CONTAINER_UPLOAD,
  type ContainerPermissions,
  type ContainerTypePermissions,
  CREATOR_DEFAULT_PERMISSIONS,
  OTHERS_DEFAULT_PERMISSIONS,
  parsePermissionBits,
  PERMISSION_BITS,
  type PermissionName,
  Permissions,
} from "./lib/protocol/permissions.ts";

// Containers: keys, part sealing, key blobs and the Container value.
export {
  CONTAINER_KEY_BYTES,
  CONTAINER_KEYS_BYTES,
  ContainerKeys,
  MAX_CONTAINER_VERSION,
  parseContainerId,
  parseContainerVersion,
} from "./lib/crypto/container_keys.ts";
export {
  type ContainerPart,
  containerPartKey,
  containerPartLabel,
  decryptContainerContent,
  encryptContainerContent,
  openContainerContent,
  openContainerHeader,
  sealContainerContent,
  sealContainerHeader,
  sealedContentSize,
} from "./lib/crypto/container_parts.ts";
export {
  type KeyBlob,
  type KeyBlobRecipient,
  keyBlobSignedText,
  type KeyBlobWriter,
  openKeyBlob,
  type OpenKeyBlobInput,
  parseKeyBlob,
  type RegisteredWriterKeys,
  sealKeyBlob,
} from "./lib/crypto/container_key_blob.ts";
export { Container, type ContainerInit, type SealedContainerParts } from "./lib/sdk/container.ts";
export { ContainerContent, type ContentSource } from "./lib/sdk/container_content.ts";
