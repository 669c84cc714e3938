/**
 * `session.containers`: create, get, update, delete and list secured containers, and page
 * through the caller's events. Everything is sealed and opened here, in the client: the server
 * sees sealed parts, key blobs and clear metadata only. docs/containers.md ("SDK").
 *
 * @module
 */
import { join } from "node:path";
import { ConflictError, ForbiddenError, IntegrityError, ValidationError } from "../../errors.ts";
import type { ContainerAccessInput, ContainerUpdateBody } from "../../protocol/containers.ts";
import { MAX_EVENT_PAGE } from "../../protocol/events.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { ACCESS_VIEW, CONTAINER_DECRYPT, CONTAINER_DOWNLOAD } from "../../protocol/permissions.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import type { ClientContext } from "../context.ts";
import { type AccessGrant, accessGrants } from "./_access_input.ts";
import {
  type ContainerReply,
  deleteContainer,
  type Endpoint,
  getContainer,
  getContent,
  listContainers,
  listEvents,
  patchContainer,
  postContainer,
  putContent,
} from "./_container_requests.ts";
import {
  accessWithKeyBlobs,
  contentFields,
  sealContentInput,
  type SealedContent,
} from "./_container_writer.ts";
import { memoryContent, streamedContent } from "./_content.ts";
import type {
  ContainerEvent,
  ContainerPage,
  ContentInput,
  CreateOptions,
  EventFilter,
  GetOptions,
  ListOptions,
  Portion,
  SealedContainer,
  StoredContainer,
  TransferProgress,
  UpdateOptions,
} from "./container_types.ts";
import { PORTIONS } from "./container_types.ts";
import { eventQuery, startingEventId } from "./_event_wire.ts";
import type { EventsCursor } from "./events_cursor.ts";
import {
  type KeyScope,
  newContainerKey,
  openContent,
  openHeader,
  openKeyBlob,
  sealHeader,
} from "./_sealing.ts";
import { bytesStream, lazyStream, progressStage, watchErrors } from "./_transfer.ts";

/** What the containers API needs of its session. */
export interface ContainerSessionLink {
  /** The logged-in client's context (throws once logged out). */
  context(): Promise<ClientContext>;
  /** Sent as `Arca-App-Name`. */
  appName: string;
  /** Where temporary files go (`<rootDir>/arca/tmp`). */
  rootDir: string;
  /** The events cursor of `getEvents` and `events.subscribe`. */
  cursor: EventsCursor;
}

function checkedObject<T>(options: T | undefined, what: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    throw new ValidationError(`${what} must be an object`);
  }
  return options;
}

function checkedType(type: unknown): string | undefined {
  if (type === undefined) return undefined;
  if (typeof type !== "string" || type === "") {
    throw new ValidationError("type must be a non-empty string");
  }
  return type;
}

function checkedContent(content: unknown): ContentInput {
  if (
    typeof content === "string" || content instanceof Uint8Array ||
    content instanceof ReadableStream
  ) return content;
  throw new ValidationError("Content must be a Uint8Array, a string or a ReadableStream");
}

function checkedHeader(header: unknown): unknown {
  if (header === undefined) return undefined;
  try {
    JSON.stringify(header);
  } catch (error) {
    throw new ValidationError("header must be a JSON value", { cause: error });
  }
  return header;
}

/**
 * The containers API of a session (`session.containers`).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server and a logged-in session.
 * const made = await session.containers.create("hello", { header: { name: "greeting" } });
 * const read = await session.containers.get(made.id);
 * console.log(await read.content!.text(), read.header);
 * ```
 */
export class SessionContainers {
  readonly #link: ContainerSessionLink;

  /**
   * The containers API over a session (sessions make it; see `Session.containers`).
   *
   * @example
   * ```ts ignore
   * // Sessions make their own.
   * const containers = new SessionContainers({
   *   context,
   *   appName: "app",
   *   rootDir: ".",
   *   cursorOnDisk: true,
   * });
   * ```
   */
  constructor(link: ContainerSessionLink) {
    this.#link = link;
  }

  /**
   * Creates a container from `content` (bytes, text or a stream) with an optional JSON
   * `header` and clear `type`. Without `access`, only the caller has access; with it, only
   * the listed users (the caller too only if listed).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const made = await session.containers.create(bytes, { access: [bobId], type: "photo" });
   * ```
   */
  async create(content: ContentInput, options?: CreateOptions): Promise<StoredContainer> {
    const checked = checkedObject(options, "Create options");
    const input = checkedContent(content);
    const type = checkedType(checked.type);
    const header = checkedHeader(checked.header);
    const context = await this.#link.context();
    const grants = checked.access === undefined
      ? [{ userId: context.clientId, permissions: 127, expiration: null }]
      : accessGrants(checked.access);
    const scope = { containerId: crypto.randomUUID(), version: 1 };
    const key = newContainerKey(context.suite);
    const sealed = await this.#sealContent(context, key, scope, input, checked);
    try {
      const reply = await postContainer(this.#endpoint(context), {
        container_id: scope.containerId,
        ...(type === undefined ? {} : { type }),
        ...contentFields(sealed),
        ...(header === undefined
          ? {}
          : { header: encodeBase64Url(await sealHeader(context.suite, key, scope, header)) }),
        access: await accessWithKeyBlobs(context, key, scope, grants, () => true),
      });
      await this.#upload(context, scope, sealed);
      return this.#written(context, reply, key, scope, header, sealed);
    } finally {
      await sealed.cleanup();
    }
  }

  /**
   * A container as the caller may see it: the parts it may not see are `null`. `portion`
   * picks what to fetch (`"all"`, `"content"`, `"header"`, `"metadata"`); `decrypt: false`
   * returns the parts still sealed. A key blob or part that fails its check is an
   * `IntegrityError`, and nothing past it is opened.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const { header } = await session.containers.get(id, { portion: "header" });
   * ```
   */
  get(id: string, options: GetOptions & { decrypt: false }): Promise<SealedContainer>;
  /**
   * The container opened (the default, `decrypt: true`).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const container = await session.containers.get(id);
   * ```
   */
  get(id: string, options?: GetOptions & { decrypt?: true | undefined }): Promise<StoredContainer>;
  async get(id: string, options?: GetOptions): Promise<StoredContainer | SealedContainer> {
    const containerId = parseUuid(id, "Container id");
    const checked = checkedObject(options, "Get options");
    const portion = checked.portion ?? "all";
    if (!PORTIONS.includes(portion)) {
      throw new ValidationError(`portion must be one of ${PORTIONS.join(", ")}`);
    }
    if (checked.decrypt !== undefined && typeof checked.decrypt !== "boolean") {
      throw new ValidationError("decrypt must be true or false");
    }
    const context = await this.#link.context();
    const wantContent = portion === "all" || portion === "content";
    const reply = await getContainer(this.#endpoint(context), containerId, wantContent);
    if (checked.decrypt === false) return this.#sealed(context, reply, portion);
    return await this.#opened(context, reply, portion, checked.onProgress);
  }

  /**
   * Changes a container: `access` (the complete new list), `type`, and new `content` and/or
   * `header`, which re-key it (a fresh key, new key blobs for every user who keeps access,
   * and the part not given re-sealed under the new key).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * await session.containers.update(id, { header: { status: "final" } });
   * ```
   */
  async update(id: string, options: UpdateOptions): Promise<StoredContainer> {
    const containerId = parseUuid(id, "Container id");
    const checked = checkedObject(options, "Update options");
    const type = checkedType(checked.type);
    const content = checked.content === undefined ? undefined : checkedContent(checked.content);
    const header = checkedHeader(checked.header);
    const grants = checked.access === undefined ? undefined : accessGrants(checked.access);
    if (
      type === undefined && content === undefined && header === undefined && grants === undefined
    ) {
      throw new ValidationError("update needs at least one of access, content, header, type");
    }
    const context = await this.#link.context();
    const endpoint = this.#endpoint(context);
    const current = await getContainer(endpoint, containerId, content === undefined);
    if (content === undefined && header === undefined) {
      const body: ContainerUpdateBody = type === undefined ? {} : { type };
      if (grants !== undefined) body.access = await this.#accessChange(context, current, grants);
      const reply = await patchContainer(endpoint, containerId, body);
      return await this.#opened(context, reply, "metadata", undefined);
    }
    return await this.#rekey(context, current, { ...checked, type, content, header, grants });
  }

  /**
   * Removes the caller's own access; the server deletes the container once nobody has any.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * await session.containers.delete(id);
   * ```
   */
  async delete(id: string): Promise<void> {
    const containerId = parseUuid(id, "Container id");
    await deleteContainer(this.#endpoint(await this.#link.context()), containerId);
  }

  /**
   * One page of the containers the caller can reach (metadata only).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * let page = await session.containers.list({ type: "photo" });
   * while (page.next !== null) page = await session.containers.list({ after: page.next });
   * ```
   */
  async list(options?: ListOptions): Promise<ContainerPage> {
    const checked = checkedObject(options, "List options");
    const query = new URLSearchParams();
    const type = checkedType(checked.type);
    if (type !== undefined) query.set("type", type);
    if (checked.limit !== undefined) {
      if (!Number.isSafeInteger(checked.limit) || checked.limit < 1 || checked.limit > 1000) {
        throw new ValidationError("limit must be an integer from 1 to 1000");
      }
      query.set("limit", String(checked.limit));
    }
    if (checked.after !== undefined) query.set("after", parseUuid(checked.after, "after"));
    return await listContainers(this.#endpoint(await this.#link.context()), query);
  }

  /**
   * The caller's events matching `filter`, ascending. Without `startingEventId`, those new
   * since the previous call (the cursor is kept at `<rootDir>/arca/users/<id>.events-cursor`;
   * in memory with the `"server"` provider). The cursor only moves forward.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * for (const event of await session.containers.getEvents({ action: "added" })) {
   *   console.log(event.eventId, event.containerId);
   * }
   * ```
   */
  async getEvents(filter?: EventFilter): Promise<ContainerEvent[]> {
    const checked = checkedObject(filter, "Event filter");
    const query = eventQuery(checked);
    const context = await this.#link.context();
    const cursor = await this.#link.cursor.read(context.clientId);
    let after = startingEventId(checked) ?? cursor;
    const events: ContainerEvent[] = [];
    for (;;) {
      const page = await listEvents(this.#endpoint(context), query, after, MAX_EVENT_PAGE);
      events.push(...page.events);
      after = Math.max(after, page.lastEventId);
      if (page.events.length < MAX_EVENT_PAGE) break;
    }
    await this.#link.cursor.advance(context.clientId, after);
    return events;
  }

  #endpoint(context: ClientContext): Endpoint {
    return { transport: context.transport, appName: this.#link.appName };
  }

  async #sealContent(
    context: ClientContext,
    key: Uint8Array,
    scope: KeyScope,
    input: ContentInput,
    options: { length?: number | undefined; onProgress?: CreateOptions["onProgress"] },
  ): Promise<SealedContent> {
    return await sealContentInput(context, key, scope, input, {
      length: options.length,
      onProgress: options.onProgress,
      tempDir: join(this.#link.rootDir, "arca", "tmp"),
    });
  }

  async #upload(context: ClientContext, scope: KeyScope, sealed: SealedContent): Promise<void> {
    if (sealed.upload === undefined) return;
    // A failure of the source (a short stream, a read error) is reported as itself, not as the
    // failed request it causes.
    let sourceError: unknown;
    const watched = watchErrors(sealed.upload(), (error) => sourceError = error);
    try {
      await putContent(this.#endpoint(context), scope.containerId, scope.version, watched);
    } catch (error) {
      throw sourceError ?? error;
    }
  }

  /** The container key of a reply, from the caller's key blob (checked against its writer). */
  async #containerKey(context: ClientContext, reply: ContainerReply): Promise<Uint8Array> {
    const blob = reply.keyBlob!;
    const writerId = blob.writerId;
    const self = writerId === context.clientId;
    const signingKey = self ? context.signingKeys?.publicKey : await context.directory.signingKey(
      writerId,
    );
    if (signingKey === undefined) {
      throw new IntegrityError(`Key blob writer ${writerId} has no registered signing key`);
    }
    const publicKey = self
      ? context.encryptionKeys.publicKey
      : await context.directory.publicKey(writerId);
    return await openKeyBlob(
      context.suite,
      blob,
      { ...this.#scope(reply), recipientId: context.clientId, writerId },
      context.encryptionKeys.privateKey,
      { publicKey, signingKey },
    );
  }

  #scope(reply: ContainerReply): KeyScope {
    return { containerId: reply.metadata.id, version: reply.metadata.version };
  }

  #ownBits(context: ClientContext, reply: ContainerReply): number {
    return reply.metadata.access.find((entry) => entry.userId === context.clientId)
      ?.permissions ?? 0;
  }

  async #opened(
    context: ClientContext,
    reply: ContainerReply,
    portion: Portion,
    onProgress: ((progress: TransferProgress) => void) | undefined,
  ): Promise<StoredContainer> {
    const empty = { ...reply.metadata, header: null, content: null };
    if (portion === "metadata" || reply.keyBlob === null) return empty;
    const key = await this.#containerKey(context, reply);
    const scope = this.#scope(reply);
    const header = portion !== "content" && reply.header !== null
      ? await openHeader(context.suite, key, scope, reply.header)
      : null;
    if (portion === "header") return { ...empty, header };
    if (reply.content !== null) {
      const opened = bytesStream(reply.content)
        .pipeThrough(await openContent(context.suite, key, scope));
      const bytes = await new Response(opened).bytes();
      if (bytes.length !== reply.metadata.length) {
        throw new IntegrityError(`Container content has ${bytes.length} bytes, not its length`);
      }
      return { ...empty, header, content: memoryContent(bytes) };
    }
    if ((this.#ownBits(context, reply) & CONTAINER_DOWNLOAD) === 0) return { ...empty, header };
    const content = streamedContent(
      reply.metadata.length,
      () => this.#openRemote(context, key, scope, reply.contentSize, onProgress),
    );
    return { ...empty, header, content };
  }

  async #openRemote(
    context: ClientContext,
    key: Uint8Array,
    scope: KeyScope,
    size: number,
    onProgress: ((progress: TransferProgress) => void) | undefined,
  ): Promise<ReadableStream<Uint8Array>> {
    const sealed = await this.#fetchSealed(context, scope);
    return sealed.pipeThrough(progressStage("download", size, onProgress))
      .pipeThrough(await openContent(context.suite, key, scope));
  }

  async #fetchSealed(context: ClientContext, scope: KeyScope): Promise<ReadableStream<Uint8Array>> {
    const fetched = await getContent(this.#endpoint(context), scope.containerId);
    if (fetched.version !== scope.version) {
      await fetched.body.cancel();
      throw new ConflictError(
        `Container ${scope.containerId} changed while it was read (version ${fetched.version}, ` +
          `expected ${scope.version}): get it again`,
      );
    }
    return fetched.body;
  }

  #sealed(context: ClientContext, reply: ContainerReply, portion: Portion): SealedContainer {
    const scope = this.#scope(reply);
    const wantHeader = portion === "all" || portion === "header";
    const wantContent = portion === "all" || portion === "content";
    const canDownload = (this.#ownBits(context, reply) & CONTAINER_DOWNLOAD) !== 0;
    const inline = reply.content;
    const content = !wantContent || !canDownload
      ? null
      : inline !== null
      ? bytesStream(inline)
      : lazyStream(() => this.#fetchSealed(context, scope));
    return {
      ...reply.metadata,
      keyBlob: reply.keyBlob,
      header: wantHeader ? reply.header : null,
      content,
    };
  }

  /**
   * The container just written, without fetching it back. An uploaded version became current
   * only with its upload, after the answer describing the container was sent.
   */
  #written(
    context: ClientContext,
    reply: ContainerReply,
    key: Uint8Array,
    scope: KeyScope,
    header: unknown,
    sealed: SealedContent,
  ): StoredContainer {
    const content = sealed.plaintext !== undefined
      ? memoryContent(sealed.plaintext)
      : streamedContent(
        sealed.length,
        () => this.#openRemote(context, key, scope, sealed.size, undefined),
      );
    const metadata = { ...reply.metadata, version: scope.version, length: sealed.length };
    return { ...metadata, header: header ?? null, content };
  }

  /** The access list of an access-only change: key blobs for users who newly may decrypt. */
  async #accessChange(
    context: ClientContext,
    current: ContainerReply,
    grants: AccessGrant[],
  ): Promise<ContainerAccessInput[]> {
    const before = new Map(current.metadata.access.map((entry) => [entry.userId, entry]));
    const gainsDecrypt = (grant: AccessGrant) =>
      ((before.get(grant.userId)?.permissions ?? 0) & CONTAINER_DECRYPT) === 0;
    const needsKey = grants.some((grant) =>
      (grant.permissions & CONTAINER_DECRYPT) !== 0 && gainsDecrypt(grant)
    );
    const key = needsKey && current.keyBlob !== null
      ? await this.#containerKey(context, current)
      : undefined;
    return await accessWithKeyBlobs(context, key, this.#scope(current), grants, gainsDecrypt);
  }

  async #rekey(
    context: ClientContext,
    current: ContainerReply,
    change: {
      type: string | undefined;
      content: ContentInput | undefined;
      header: unknown;
      grants: AccessGrant[] | undefined;
      length?: number | undefined;
      onProgress?: UpdateOptions["onProgress"];
    },
  ): Promise<StoredContainer> {
    const grants = change.grants ?? this.#keptAccess(context, current);
    const needsOld = change.content === undefined || change.header === undefined;
    const oldKey = needsOld ? await this.#oldKey(context, current) : undefined;
    const oldScope = this.#scope(current);
    const scope = { containerId: oldScope.containerId, version: oldScope.version + 1 };
    const key = newContainerKey(context.suite);
    const header = change.header !== undefined
      ? change.header
      : current.header === null
      ? undefined
      : await openHeader(context.suite, oldKey!, oldScope, current.header);
    const content = change.content ??
      await this.#oldContent(context, current, oldKey!, change.onProgress);
    const length = change.content === undefined ? current.metadata.length : change.length;
    const sealed = await this.#sealContent(context, key, scope, content, {
      length,
      onProgress: change.onProgress,
    });
    try {
      const body: ContainerUpdateBody = {
        version: scope.version,
        ...contentFields(sealed),
        header: header === undefined
          ? null
          : encodeBase64Url(await sealHeader(context.suite, key, scope, header)),
        access: await accessWithKeyBlobs(context, key, scope, grants, () => true),
        ...(change.type === undefined ? {} : { type: change.type }),
      };
      const reply = await patchContainer(this.#endpoint(context), scope.containerId, body);
      await this.#upload(context, scope, sealed);
      return this.#written(context, reply, key, scope, header, sealed);
    } finally {
      await sealed.cleanup();
    }
  }

  /** Everyone's access as it is (re-keying keeps it); refused when the caller cannot see it. */
  #keptAccess(context: ClientContext, current: ContainerReply): AccessGrant[] {
    if ((this.#ownBits(context, current) & ACCESS_VIEW) === 0) {
      throw new ForbiddenError(
        "Re-keying without access.view would drop the other users' access: " +
          "give the complete access list",
      );
    }
    return current.metadata.access.map((entry) => ({
      userId: entry.userId,
      permissions: entry.permissions,
      expiration: entry.expiration === null ? null : entry.expiration.getTime() * 1000,
    }));
  }

  async #oldKey(context: ClientContext, current: ContainerReply): Promise<Uint8Array> {
    if (current.keyBlob === null) {
      throw new ForbiddenError(
        "Re-keying keeps the part not given, which needs container.decrypt: give both content and header",
      );
    }
    return await this.#containerKey(context, current);
  }

  async #oldContent(
    context: ClientContext,
    current: ContainerReply,
    key: Uint8Array,
    onProgress: UpdateOptions["onProgress"],
  ): Promise<ContentInput> {
    const scope = this.#scope(current);
    if (current.content !== null) {
      const opened = bytesStream(current.content)
        .pipeThrough(await openContent(context.suite, key, scope));
      return new Uint8Array(await new Response(opened).arrayBuffer());
    }
    if ((this.#ownBits(context, current) & CONTAINER_DOWNLOAD) === 0) {
      throw new ForbiddenError(
        "Re-keying keeps the content, which needs container.download: give new content",
      );
    }
    return await this.#openRemote(context, key, scope, current.contentSize, onProgress);
  }
}
