/**
 * The shapes of the containers API (`session.containers`, the module-level `containers`):
 * what `create`, `get`, `update`, `list` and `getEvents` take and return. docs/containers.md
 * ("SDK") describes them.
 *
 * @module
 */
import type { Permissions } from "../../protocol/permissions.ts";
import type { Container } from "../container.ts";

/** What a container's content may be given as: bytes, text (UTF-8), or a stream of bytes. */
export type ContentInput = Uint8Array | string | ReadableStream<Uint8Array>;

/** Which parts `containers.get` fetches and opens. */
export type Portion = "all" | "content" | "header" | "metadata";

/** The portions, in the order the documentation lists them. */
export const PORTIONS: readonly Portion[] = ["all", "content", "header", "metadata"];

/** One user's access to a container, as the SDK takes it (an `Access` value fits). */
export interface AccessInput {
  /** The 7-bit permission set: an integer 0..127 or a `Permissions` value. */
  permissions?: number | Permissions | undefined;
  /** When the access ends: a `Date`, microseconds since the epoch, or `null` (never). */
  expiration?: Date | number | null | undefined;
}

/**
 * Who gets access: a list of user ids (each with the others' default permissions), or a map
 * user id → access (a plain object or a `Map`), or a list of `Access` values (`{ userId, ... }`).
 */
export type AccessList =
  | readonly string[]
  | readonly (AccessInput & { userId: string })[]
  | Readonly<Record<string, AccessInput>>
  | ReadonlyMap<string, AccessInput>;

/** Options of `containers.create`. */
export interface CreateOptions {
  /** Who gets access; only the creator when omitted (listed users only when given). */
  access?: AccessList | undefined;
  /** Any JSON value, sealed apart from the content. */
  header?: unknown;
  /** Clear metadata (who may see it is a permission). */
  type?: string | undefined;
  /**
   * The content's length in bytes when it is a stream: it then goes to the server as it is
   * sealed. Without it a stream is sealed to a temporary file first (constant memory either way).
   */
  length?: number | undefined;
  /** Progress of a streamed upload (sealed bytes). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/** Options of `containers.get`. */
export interface GetOptions {
  /** What to fetch: `"all"` (default), `"content"`, `"header"` or `"metadata"`. */
  portion?: Portion | undefined;
  /**
   * `false` returns the container still sealed (`container.sealed`); `containers.keys(container)`
   * then gives its keys. Default `true`.
   */
  decrypt?: boolean | undefined;
  /** Progress of a streamed download (sealed bytes). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** `server_cache_ofs`: skip the cache and read from the server (then refill the cache). */
  forceRefresh?: boolean | undefined;
}

/** Options of `containers.update`: at least one of `access`, `content`, `header`, `type`. */
export interface UpdateOptions {
  /** The complete new access list (replaces the old one). */
  access?: AccessList | undefined;
  /** New content: re-keys the container. */
  content?: ContentInput | undefined;
  /** New header: re-keys the container. */
  header?: unknown;
  /** New type. */
  type?: string | undefined;
  /** The content's length when it is a stream (see {@linkcode CreateOptions.length}). */
  length?: number | undefined;
  /** Progress of a streamed upload (sealed bytes). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/** Options of `containers.list`. */
export interface ListOptions {
  /** Only containers of this type. */
  type?: string | undefined;
  /** Most containers per page (1..1000, default 100). */
  limit?: number | undefined;
  /** Continue after this container id (the `next` of the previous page). */
  after?: string | undefined;
}

/** Progress of a streamed transfer. */
export interface TransferProgress {
  /** `upload` or `download`. */
  phase: "upload" | "download";
  /** Sealed bytes so far. */
  bytes: number;
  /** Sealed bytes in all, when known. */
  total: number | undefined;
}

/** The caller's key blob of one container version, as the server sends it (signed by its writer). */
export interface KeyBlob {
  /** Who sealed it. */
  writerId: string;
  /** The container key encrypted to the caller. */
  encryptedKey: string;
  /** The writer's signature (base64url). */
  signature: string;
}

/** One page of `containers.list`. */
export interface ContainerPage {
  /** The containers (metadata only: header and content are `null`). */
  containers: Container[];
  /** Pass as `after` for the next page; `null` on the last one. */
  next: string | null;
}

import type { EventAction, EventType } from "../../protocol/events.ts";
export type { EventAction, EventType };

/** One event as the server reports it (see docs/containers.md). */
export interface ContainerEvent {
  /** Strictly increasing across the server. */
  eventId: number;
  /** What happened. */
  action: EventAction;
  /** `container` or `key_file`. */
  type: EventType;
  /** When. */
  date: Date;
  /** The container, or `null` for key-file events. */
  containerId: string | null;
  /** The container's type (when the user may see it). */
  containerType: string | null;
  /** When the container last changed. */
  containerModifiedAt: Date | null;
  /** When an access expired (expiry events). */
  containerExpiredAt: Date | null;
  /** Who did it, or whose access changed. */
  relatedUserId: string | null;
  /** The `Arca-App-Name` of the request that caused it. */
  clientAppName: string | null;
  /** What changed, or `null`. */
  changes: Record<string, unknown> | null;
}

/** Filters of `getEvents` and `events.subscribe`. */
export interface EventFilter {
  /** `container` or `key_file`. */
  type?: EventType | undefined;
  /** Only events of containers of this type. */
  containerType?: string | undefined;
  /** Only events of this container. */
  containerId?: string | undefined;
  /** Only this action. */
  action?: EventAction | undefined;
  /**
   * Only events with this id or a later one (`0`: from the beginning). Without it, `getEvents`
   * returns what is new since the caller's previous call (the cursor under `rootDir`) and
   * `subscribe` starts with the events that happen from now on.
   */
  startingEventId?: number | undefined;
}
