/**
 * The SDK's public surface in one import (the package's `mod.ts` re-exports it): the
 * {@linkcode Client}, its {@linkcode Config}, the {@linkcode AdminClient}, and their types.
 *
 * @example
 * ```ts ignore
 * // Reads a credential file under ~/.tozny.
 * import { Client, Config } from "./lib/sdk/mod.ts";
 * const client = new Client(await Config.load());
 * ```
 *
 * @module
 */
export { Client } from "./client.ts";
export { ClientConnection } from "./client_connection.ts";
export {
  Config,
  CONFIG_ENV_NAMES,
  type ConfigFields,
  type ConfigPathOptions,
  type ConfigWriteOptions,
  type CredentialFileJson,
} from "./config.ts";
export type { EnvReader } from "../env_reader.ts";
export {
  AdminClient,
  type AdminClientInfo,
  type AdminClientOptions,
  type IssuedRegistrationToken,
  type RegistrationTokenInfo,
} from "./admin_client.ts";
export type { ArcaRecord, RecordMeta } from "./record.ts";
export type { FileDestination, FileProgress, FileSource, FileTransferOptions } from "./files.ts";
export type { RecordUpdate, WriteOptions } from "./records.ts";
export { DEFAULT_PAGE_SIZE, type QueryOptions, type QueryPage, QueryResults } from "./query.ts";
export {
  Search,
  type SearchClauseOptions,
  type SearchOptions,
  type SearchRangeOptions,
  type SearchTime,
} from "./search.ts";
export { SearchResult } from "./search_result.ts";
export {
  SEARCH_CONDITIONS,
  SEARCH_ORDERS,
  SEARCH_RANGE_KEYS,
  SEARCH_STRATEGIES,
} from "../protocol/search_limits.ts";
export type {
  SearchClauseJson,
  SearchCondition,
  SearchOrder,
  SearchRangeJson,
  SearchRangeKey,
  SearchRequest,
  SearchStrategy,
  SearchTermsJson,
} from "../protocol/search.ts";
export type { IncomingShare, OutgoingShare } from "./sharing.ts";
export type { AuthorizerGrant } from "./authorizers.ts";
export type { ClientInfo } from "./client_directory.ts";
export type { ClientOptions, ConnectionOptions, SignaturePolicy } from "./context.ts";
export type { KeyPairText } from "./key_text.ts";
export {
  DEFAULT_API_URL,
  defaultApiUrl,
  type RegisterOptions,
  type Registration,
} from "./registration.ts";
export { KEY_BACKUP_TYPE } from "./backup.ts";
export type { PlainFilter } from "../protocol/plain_filter.ts";
export type { SuiteName } from "../crypto/suite.ts";
export {
  type AnonymousNoteOptions,
  type Note,
  type NoteKeysText,
  type NoteOptions,
  type NoteReadOptions,
  readAnonymousNote,
  readAnonymousNoteByName,
  writeAnonymousNote,
} from "./notes.ts";
export { TOZID_LOGIN_TOKEN_HEADER } from "../protocol/note_constants.ts";
export {
  DEFAULT_APP_NAME,
  Identity,
  type IdentityConfigJson,
  type IdentityConnectionOptions,
  identityLogin,
  type IdentityLoginOptions,
  type IdentityTokens,
  type RealmInfo,
  realmInfo,
} from "./identity.ts";
export {
  createRealm,
  deleteIdentity,
  listRealms,
  type RealmAdminOptions,
  type RegisteredIdentity,
  registerIdentity,
  type RegisterIdentityOptions,
} from "./identity_admin.ts";
export { type AppUsers, Arca, type LoginCredentials } from "./users/app.ts";
export {
  type AppSettings,
  type ArcaOptions,
  type Provider,
  PROVIDERS,
} from "./users/app_options.ts";
export { type LogoutOptions, type PublicKeys, Session, type SessionKeys } from "./users/session.ts";
export {
  KeyFileSync,
  type KeyFileSyncLink,
  type KeyFileSyncOptions,
} from "./users/key_file_sync.ts";
export { ProviderContainers, type ProviderLink } from "./containers/provider_containers.ts";
export { type EventsCursorStore } from "./containers/events_cursor.ts";
export { SessionCache } from "./cache/session_cache.ts";
export { type CacheEntry, type CacheStats, CacheStore } from "./cache/cache_store.ts";
export { MAX_REMINDER_LENGTH } from "../protocol/user_constants.ts";
export {
  containers,
  currentUser,
  type DefaultContainers,
  type DefaultEvents,
  type DefaultKeyFile,
  type DefaultKeys,
  type DefaultUsers,
  events,
  initialize,
  keyFile,
  keys,
  login,
  logout,
  users,
} from "./users/default_app.ts";
export {
  type CredentialKind,
  type CredentialValidator,
  DEFAULT_CREDENTIAL_RULE,
  isPassphraseValid,
  isPasswordValid,
  isReminderValid,
  setValidators,
  type Validators,
} from "./users/validators.ts";
export { SessionContainers } from "./containers/session_containers.ts";
export { SessionEvents } from "./containers/session_events.ts";
export {
  EventSubscription,
  type ServerSentEvent,
  type StreamOpener,
  type SubscriptionOptions,
} from "./containers/event_subscription.ts";
export {
  type AccessInput,
  type AccessList,
  type ContainerEvent,
  type ContainerPage,
  type ContentInput,
  type CreateOptions,
  type EventAction,
  type EventFilter,
  type EventType,
  type GetOptions,
  type ListOptions,
  type Portion,
  PORTIONS,
  type TransferProgress,
  type UpdateOptions,
} from "./containers/container_types.ts";
