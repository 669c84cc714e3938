/**
 * `session.containers`: create, get, update, delete and list secured containers, and page
 * through the caller's events. Everything is sealed and opened here, in the client: the server
 * sees sealed parts, key blobs and clear metadata only. docs/containers.md ("SDK").
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../../errors.ts";
import type { ContainerUpdateBody } from "../../protocol/containers.ts";
import { MAX_EVENT_PAGE } from "../../protocol/events.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { CONTAINER_DOWNLOAD } from "../../protocol/permissions.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import { ContainerKeys } from "../../crypto/container_keys.ts";
import type { ClientContext } from "../context.ts";
import type { Container } from "../container.ts";
import { ContainerContent } from "../container_content.ts";
import { accessGrants } from "./_access_input.ts";
import {
  type ContainerReply,
  deleteContainer,
  getContainer,
  listContainers,
  listEvents,
  patchContainer,
  postContainer,
} from "./_container_requests.ts";
import { ContainerIo } from "./_container_io.ts";
import { accessChange, rekey } from "./_container_update.ts";
import { accessWithKeyBlobs, contentFields } from "./_container_writer.ts";
import { streamedContent } from "./_content.ts";
import type {
  ContainerEvent,
  ContainerPage,
  ContentInput,
  CreateOptions,
  EventFilter,
  GetOptions,
  ListOptions,
  Portion,
  TransferProgress,
  UpdateOptions,
} from "./container_types.ts";
import { PORTIONS } from "./container_types.ts";
import { eventQuery, startingEventId } from "./_event_wire.ts";
import type { EventsCursorStore } from "./events_cursor.ts";
import { newContainerKey, openContentBytes, openHeader, sealHeader } from "./_sealing.ts";
import { lazyStream } from "./_transfer.ts";

/** What the containers API needs of its session. */
export interface ContainerSessionLink {
  /** The logged-in client's context (throws once logged out). */
  context(): Promise<ClientContext>;
  /** Sent as `Arca-App-Name`. */
  appName: string;
  /** Where temporary files go (`<rootDir>/arca/tmp`). */
  rootDir: string;
  /** The events cursor of `getEvents` and `events.subscribe`. */
  cursor: EventsCursorStore;
  /** Called with each event `events.subscribe` gives out, before it is given (cache purge). */
  onEvent?: ((event: ContainerEvent) => Promise<void>) | undefined;
}

/** `options` as an object (`{}` when omitted); `ValidationError` otherwise. */
export function checkedObject<T>(options: T | undefined, what: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    throw new ValidationError(`${what} must be an object`);
  }
  return options;
}

/** A container type: a non-empty string or `undefined`. */
export function checkedType(type: unknown): string | undefined {
  if (type === undefined) return undefined;
  if (typeof type !== "string" || type === "") {
    throw new ValidationError("type must be a non-empty string");
  }
  return type;
}

/** Content: bytes, text or a stream. */
export function checkedContent(content: unknown): ContentInput {
  if (
    typeof content === "string" || content instanceof Uint8Array ||
    content instanceof ReadableStream
  ) return content;
  throw new ValidationError("Content must be a Uint8Array, a string or a ReadableStream");
}

/** A header: any JSON value or `undefined`. */
export function checkedHeader(header: unknown): unknown {
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
  readonly #io: ContainerIo;
  /** The replies behind the sealed containers `get(id, { decrypt: false })` returned. */
  readonly #sealedReplies = new WeakMap<Container, ContainerReply>();

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
    this.#io = new ContainerIo(link);
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
  async create(content: ContentInput, options?: CreateOptions): Promise<Container> {
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
    const sealed = await this.#io.sealContent(context, key, scope, input, checked);
    try {
      const reply = await postContainer(this.#io.endpoint(context), {
        container_id: scope.containerId,
        ...(type === undefined ? {} : { type }),
        ...contentFields(sealed),
        ...(header === undefined
          ? {}
          : { header: encodeBase64Url(await sealHeader(context.suite, key, scope, header)) }),
        access: await accessWithKeyBlobs(context, key, scope, grants, () => true),
      });
      await this.#io.upload(context, scope, sealed);
      return this.#io.written(context, reply, key, scope, header, sealed);
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
  async get(id: string, options?: GetOptions): Promise<Container> {
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
    const reply = await getContainer(this.#io.endpoint(context), containerId, wantContent);
    if (checked.decrypt === false) return this.#sealed(context, reply, portion);
    return await this.#opened(context, reply, portion, checked.onProgress);
  }

  /**
   * The keys of a container `get(id, { decrypt: false })` returned, from the caller's key blob
   * (its signature checked against the writer's registered signing key first); `null` without
   * `container.decrypt`. `container.decrypt(keys)` then opens it, with no further request.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a logged-in session.
   * const sealed = await session.containers.get(id, { decrypt: false });
   * const keys = await session.containers.keys(sealed);
   * if (keys !== null) await sealed.decrypt(keys);
   * ```
   */
  async keys(container: Container): Promise<ContainerKeys | null> {
    const reply = this.#sealedReplies.get(container);
    if (reply === undefined) {
      throw new ValidationError(
        "keys() takes a container that get(id, { decrypt: false }) returned",
      );
    }
    if (reply.keyBlob === null) return null;
    const context = await this.#link.context();
    const { containerId, version } = this.#io.scope(reply);
    return new ContainerKeys(containerId, version, await this.#io.containerKey(context, reply));
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
  async update(id: string, options: UpdateOptions): Promise<Container> {
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
    const endpoint = this.#io.endpoint(context);
    if (content === undefined && header === undefined && grants === undefined) {
      const reply = await patchContainer(endpoint, containerId, { type: type! });
      return this.#io.container(context, reply.metadata, {});
    }
    const current = await getContainer(endpoint, containerId, content === undefined);
    if (content === undefined && header === undefined) {
      const body: ContainerUpdateBody = type === undefined ? {} : { type };
      if (grants !== undefined) {
        body.access = await accessChange(this.#io, context, current, grants);
      }
      const reply = await patchContainer(endpoint, containerId, body);
      return await this.#opened(context, reply, "metadata", undefined);
    }
    return await rekey(this.#io, context, current, { ...checked, type, content, header, grants });
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
    await deleteContainer(this.#io.endpoint(await this.#link.context()), containerId);
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
    const context = await this.#link.context();
    const page = await listContainers(this.#io.endpoint(context), query);
    return {
      containers: page.containers.map((metadata) => this.#io.container(context, metadata, {})),
      next: page.next,
    };
  }

  /**
   * The caller's events matching `filter`, ascending. Without `startingEventId`, those new
   * since the previous call (the cursor is kept sealed in the local cache under `rootDir`;
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
      const page = await listEvents(this.#io.endpoint(context), query, after, MAX_EVENT_PAGE);
      events.push(...page.events);
      after = Math.max(after, page.lastEventId);
      if (page.events.length < MAX_EVENT_PAGE) break;
    }
    await this.#link.cursor.advance(context.clientId, after);
    return events;
  }

  async #opened(
    context: ClientContext,
    reply: ContainerReply,
    portion: Portion,
    onProgress: ((progress: TransferProgress) => void) | undefined,
  ): Promise<Container> {
    const metadata = reply.metadata;
    if (portion === "metadata" || reply.keyBlob === null) {
      return this.#io.container(context, metadata, {});
    }
    const key = await this.#io.containerKey(context, reply);
    const scope = this.#io.scope(reply);
    const header = portion !== "content" && reply.header !== null
      ? await openHeader(context.suite, key, scope, reply.header)
      : null;
    if (portion === "header") return this.#io.container(context, metadata, { header });
    if (reply.content !== null) {
      const bytes = await openContentBytes(context.suite, key, scope, reply.content);
      if (bytes.length !== metadata.length) {
        throw new IntegrityError(`Container content has ${bytes.length} bytes, not its length`);
      }
      return this.#io.container(context, metadata, {
        header,
        content: new ContainerContent(bytes),
      });
    }
    if ((this.#io.ownBits(context, reply) & CONTAINER_DOWNLOAD) === 0) {
      return this.#io.container(context, metadata, { header });
    }
    const content = streamedContent(
      metadata.length,
      () => this.#io.openRemote(context, key, scope, reply.contentSize, onProgress),
    );
    return this.#io.container(context, metadata, { header, content });
  }

  /** The container still sealed; its key blob is kept for `keys(container)`. */
  #sealed(context: ClientContext, reply: ContainerReply, portion: Portion): Container {
    const scope = this.#io.scope(reply);
    const wantHeader = portion === "all" || portion === "header";
    const wantContent = portion === "all" || portion === "content";
    const canDownload = (this.#io.ownBits(context, reply) & CONTAINER_DOWNLOAD) !== 0;
    const inline = reply.content;
    const content = !wantContent || !canDownload ? null : new ContainerContent(
      inline !== null ? inline : lazyStream(() => this.#io.fetchSealed(context, scope)),
    );
    const header = wantHeader ? reply.header : null;
    const container = this.#io.container(context, reply.metadata, { sealed: { header, content } });
    this.#sealedReplies.set(container, reply);
    return container;
  }
}
