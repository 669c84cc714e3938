/**
 * What the store keeps for containers (`/v1/arca/containers`), and the methods every backend
 * implements for them:
 *
 * - containers: clear metadata, the current version, the sealed header, and the sealed content
 *   either inline (small) or as a pointer into the `BlobStore` (`blobKey`);
 * - access entries: who may reach a container, with which permission bits, until when, and
 *   that user's key blob of the current version (opaque JSON text; the server never opens it);
 * - uploads: versions announced with `content_size` whose bytes have not arrived yet. The
 *   change they carry (`change`, JSON) is applied when the upload completes; until then a new
 *   container is invisible. Uploads not completed by `expires` are swept.
 *
 * Times are integer microseconds since the Unix epoch.
 *
 * @module
 */

/** One container. */
export interface ContainerRow {
  /** Its id (chosen by the creator). */
  containerId: string;
  /** Clear type, or `null`. */
  type: string | null;
  /** The current version (≥ 1). */
  version: number;
  /** Creation time. */
  created: number;
  /** The creator. */
  createdBy: string;
  /** Last change. */
  modified: number;
  /** Who made the last change. */
  modifiedBy: string;
  /** Plaintext content bytes (as the writer declared). */
  length: number;
  /** Sealed content bytes. */
  contentSize: number;
  /** The sealed header (base64url), or `null`. */
  header: string | null;
  /** The sealed content (base64url) when kept inline, else `null`. */
  inlineContent: string | null;
  /** The blob holding the sealed content when uploaded, else `null`. */
  blobKey: string | null;
}

/** One user's access to a container. */
export interface ContainerAccessRow {
  /** The container. */
  containerId: string;
  /** The user (a client id). */
  userId: string;
  /** The 7-bit permission set. */
  permissions: number;
  /** When the access ends, or `null` for never. */
  expiration: number | null;
  /** Who granted it. */
  grantedBy: string;
  /** The user's key blob of the current version (JSON text), or `null`. */
  keyBlob: string | null;
}

/** Where an upload is: waiting for its bytes, or receiving them. */
export type ContainerUploadState = "pending" | "uploading";

/** A version announced with `content_size`, waiting for its bytes. */
export interface ContainerUploadRow {
  /** The container. */
  containerId: string;
  /** The version the bytes belong to (1 for a new container). */
  version: number;
  /** The client that announced it (and alone may upload it). */
  writerId: string;
  /** Where the bytes go. */
  blobKey: string;
  /** The exact number of bytes expected. */
  contentSize: number;
  /** Upload progress. */
  state: ContainerUploadState;
  /** When it was announced. */
  created: number;
  /** When it is swept if still not uploaded. */
  expires: number;
  /** The change to apply once the bytes are in (JSON text, the server's own format). */
  change: string;
}

/** A page of the containers one user can reach. */
export interface ReachableQuery {
  /** The user. */
  userId: string;
  /** Entries with `expiration <= now` do not count. */
  now: number;
  /** Only ids after this one (ascending id order). */
  after?: string | undefined;
  /** Only this type. */
  type?: string | undefined;
  /** Page size. */
  limit: number;
}

/**
 * The container methods of a store (`store.containers`). Each is atomic on its own; group them
 * with `transaction`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const containerId = crypto.randomUUID();
 * const userId = crypto.randomUUID();
 * await store.containers.create({
 *   containerId, type: "memo", version: 1, created: 1, createdBy: userId, modified: 1,
 *   modifiedBy: userId, length: 2, contentSize: 40, header: null, inlineContent: "AA",
 *   blobKey: null,
 * });
 * await store.containers.replaceAccess(containerId, [
 *   { containerId, userId, permissions: 127, expiration: null, grantedBy: userId, keyBlob: null },
 * ]);
 * const page = await store.containers.listReachable({ userId, now: 5, limit: 10 });
 * assert.deepEqual(page.map((row) => row.containerId), [containerId]);
 * assert.equal(await store.containers.delete(containerId), true);
 * assert.equal(await store.containers.getAccess(containerId, userId), undefined);
 * await store.close();
 * ```
 */
export interface ContainerStore {
  /** One container, or `undefined`. */
  get(containerId: string): Promise<ContainerRow | undefined>;
  /** Adds a container (its id must be new). */
  create(row: ContainerRow): Promise<void>;
  /** Replaces a container's fields (all but id, created, createdBy); false when there is none. */
  update(row: ContainerRow): Promise<boolean>;
  /** Removes a container with its access entries and uploads; false when there was none. */
  delete(containerId: string): Promise<boolean>;

  /** A container's access entries, by user id. */
  listAccess(containerId: string): Promise<ContainerAccessRow[]>;
  /** One user's access entry, or `undefined`. */
  getAccess(containerId: string, userId: string): Promise<ContainerAccessRow | undefined>;
  /** Replaces a container's whole access list. */
  replaceAccess(containerId: string, rows: ContainerAccessRow[]): Promise<void>;
  /** Removes one access entry; false when there was none. */
  deleteAccess(containerId: string, userId: string): Promise<boolean>;
  /** Every access entry of a user (for deleting the user), by container id. */
  listAccessOfUser(userId: string): Promise<ContainerAccessRow[]>;
  /** Up to `limit` entries with `expiration <= now`, soonest first. */
  listExpiredAccess(now: number, limit: number): Promise<ContainerAccessRow[]>;
  /** The containers `query.userId` has unexpired access to, ascending id, one page. */
  listReachable(query: ReachableQuery): Promise<ContainerRow[]>;

  /** Adds an upload (container id and version must not have one yet). */
  createUpload(row: ContainerUploadRow): Promise<void>;
  /** One upload, or `undefined`. */
  getUpload(containerId: string, version: number): Promise<ContainerUploadRow | undefined>;
  /** Moves an upload from state `from` to `to`; false when it is not in `from` (or gone). */
  setUploadState(
    containerId: string,
    version: number,
    from: ContainerUploadState,
    to: ContainerUploadState,
  ): Promise<boolean>;
  /** Removes an upload; false when there was none. */
  deleteUpload(containerId: string, version: number): Promise<boolean>;
  /** Up to `limit` uploads with `expires <= now` (the caller removes them). */
  listExpiredUploads(now: number, limit: number): Promise<ContainerUploadRow[]>;
  /** Every upload a client announced (for deleting the client). */
  listUploadsByWriter(writerId: string): Promise<ContainerUploadRow[]>;
}
